import Foundation
import LetheTensor
import LetheTestSupport
import Testing

/// One differentiable operation under a finite-difference check: input shapes, the range
/// their values are drawn from, and the function of the inputs.
struct GradCase: CustomTestStringConvertible, Sendable {
    let name: String
    let shapes: [[Int]]
    var low = -1.0
    var high = 1.0
    let f: @Sendable ([Tensor]) throws -> Tensor
    var testDescription: String { name }
}

private let fixedMask = try! Tensor([0, 1, 0, 0, 1, 1] as [Double], shape: [2, 3])
private let paddingMask = try! Tensor([1, 1, 1, 0, 1, 1, 0, 0] as [Double], shape: [2, 4])

let elementwiseCases: [GradCase] = [
    GradCase(name: "add same shape", shapes: [[2, 3], [2, 3]]) { try $0[0] + $0[1] },
    GradCase(name: "add row broadcast", shapes: [[2, 3], [3]]) { try $0[0] + $0[1] },
    GradCase(name: "add both broadcast", shapes: [[2, 1, 4], [3, 1]]) { try $0[0] + $0[1] },
    GradCase(name: "sub scalar tensor", shapes: [[2, 3], []]) { try $0[0] - $0[1] },
    GradCase(name: "sub broadcast left", shapes: [[3], [2, 3]]) { try $0[0] - $0[1] },
    GradCase(name: "mul broadcast", shapes: [[2, 1, 4], [3, 1]]) { try $0[0] * $0[1] },
    GradCase(name: "mul same tensor twice", shapes: [[5]]) { try $0[0] * $0[0] },
    GradCase(name: "div broadcast", shapes: [[2, 3], [1, 3]], low: 0.5, high: 2) { try $0[0] / $0[1] },
    GradCase(name: "scalar ops", shapes: [[2, 3]], low: 0.5, high: 2) { x in
        try ((x[0] + 2) * 3 - 1) / 4 + (2 - x[0]) * (1 / x[0])
    },
    GradCase(name: "neg", shapes: [[4]]) { -$0[0] },
    GradCase(name: "exp", shapes: [[2, 3]]) { $0[0].exp() },
    GradCase(name: "log", shapes: [[2, 3]], low: 0.2, high: 3) { $0[0].log() },
    GradCase(name: "tanh", shapes: [[2, 3]], low: -3, high: 3) { $0[0].tanh() },
    GradCase(name: "sqrt", shapes: [[2, 3]], low: 0.2, high: 3) { $0[0].sqrt() },
    GradCase(name: "pow 2.5", shapes: [[2, 3]], low: 0.2, high: 3) { $0[0].pow(2.5) },
    GradCase(name: "pow -1", shapes: [[2, 3]], low: 0.5, high: 3) { $0[0].pow(-1) },
    GradCase(name: "sigmoid", shapes: [[2, 3]], low: -6, high: 6) { $0[0].sigmoid() },
    GradCase(name: "logSigmoid", shapes: [[2, 3]], low: -30, high: 30) { $0[0].logSigmoid() },
    GradCase(name: "gelu", shapes: [[3, 5]], low: -4, high: 4) { $0[0].gelu() },
    GradCase(name: "geluExact", shapes: [[3, 5]], low: -4, high: 4) { $0[0].geluExact() },
]

let reductionAndLayoutCases: [GradCase] = [
    GradCase(name: "sum all", shapes: [[2, 3, 4]]) { try $0[0].sum() },
    GradCase(name: "sum axis 1", shapes: [[2, 3, 4]]) { try $0[0].sum(axes: [1]) },
    GradCase(name: "sum axes 0,2 keepDims", shapes: [[2, 3, 4]]) { try $0[0].sum(axes: [0, -1], keepDims: true) },
    GradCase(name: "mean axis -1", shapes: [[2, 3, 4]]) { try $0[0].mean(axes: [-1]) },
    GradCase(name: "mean all", shapes: [[3, 4]]) { try $0[0].mean() },
    GradCase(name: "max axis 1", shapes: [[2, 5, 3]]) { try $0[0].max(axis: 1) },
    GradCase(name: "max last keepDims", shapes: [[4, 6]]) { try $0[0].max(axis: -1, keepDims: true) },
    GradCase(name: "reshape", shapes: [[2, 6]]) { try $0[0].reshaped([3, -1]) * $0[0].reshaped([3, 4]) },
    GradCase(name: "expand", shapes: [[3, 1]]) { try $0[0].expanded(to: [2, 3, 4]) },
    GradCase(name: "permute", shapes: [[2, 3, 4]]) { try $0[0].permuted([2, 0, 1]) },
    GradCase(name: "transpose", shapes: [[2, 3, 4]]) { try $0[0].transposed(0, 1) },
    GradCase(name: "slice middle axis", shapes: [[2, 5, 3]]) { try $0[0].slice(axis: 1, 1..<4) },
    GradCase(name: "concatenate", shapes: [[2, 2, 3], [2, 1, 3], [2, 3, 3]]) {
        try Tensor.concatenate($0, axis: 1)
    },
    GradCase(name: "indexSelect repeated rows", shapes: [[5, 3]]) {
        try $0[0].indexSelect([4, 0, 4, 2, 1, 4], indexShape: [2, 3])
    },
    GradCase(name: "gather last axis", shapes: [[2, 3, 4]]) {
        try $0[0].gather(lastAxisIndices: [3, 0, 1, 1, 2, 3])
    },
    GradCase(name: "maskedFill broadcast mask", shapes: [[4, 2, 3]]) {
        try $0[0].maskedFill(fixedMask, value: -5)
    },
]

let fusedCases: [GradCase] = [
    GradCase(name: "matmul", shapes: [[3, 4], [4, 5]]) { try $0[0].matmul($0[1]) },
    GradCase(name: "matmul transposeA", shapes: [[4, 3], [4, 5]]) { try $0[0].matmul($0[1], transposeA: true) },
    GradCase(name: "matmul transposeB", shapes: [[3, 4], [5, 4]]) { try $0[0].matmul($0[1], transposeB: true) },
    GradCase(name: "matmul both transposed", shapes: [[4, 3], [5, 4]]) {
        try $0[0].matmul($0[1], transposeA: true, transposeB: true)
    },
    GradCase(name: "batched matmul", shapes: [[2, 3, 4], [2, 4, 2]]) { try $0[0].matmul($0[1]) },
    GradCase(name: "batched x shared weight", shapes: [[2, 3, 4], [4, 5]]) { try $0[0].matmul($0[1]) },
    GradCase(name: "shared weight transposed", shapes: [[2, 3, 4], [5, 4]]) {
        try $0[0].matmul($0[1], transposeB: true)
    },
    GradCase(name: "softmax", shapes: [[3, 5]], low: -3, high: 3) { try $0[0].softmax() },
    GradCase(name: "logSoftmax", shapes: [[3, 5]], low: -3, high: 3) { try $0[0].logSoftmax() },
    GradCase(name: "layerNorm", shapes: [[2, 3, 6], [6], [6]], low: -2, high: 2) {
        try $0[0].layerNorm(weight: $0[1], bias: $0[2])
    },
    GradCase(name: "crossEntropy mean with ignored rows", shapes: [[2, 3, 5]], low: -3, high: 3) {
        try $0[0].crossEntropy(targets: [1, -100, 4, 0, -100, 2])
    },
    GradCase(name: "crossEntropy sum", shapes: [[4, 5]], low: -3, high: 3) {
        try $0[0].crossEntropy(targets: [1, 3, 4, 0], reduction: .sum)
    },
    GradCase(name: "crossEntropy per token", shapes: [[4, 5]], low: -3, high: 3) {
        try $0[0].crossEntropy(targets: [1, -100, 4, 0], reduction: .none)
    },
    GradCase(name: "BCE with logits, soft targets with a gradient", shapes: [[2, 3], [2, 3]], low: -3, high: 3) {
        try $0[0].binaryCrossEntropyWithLogits(targets: $0[1].sigmoid())
    },
    GradCase(name: "BCE with logits, large logits, 0/1 targets, sum", shapes: [[2, 3]], low: -30, high: 30) {
        try $0[0].binaryCrossEntropyWithLogits(targets: fixedMask, reduction: .sum)
    },
    GradCase(name: "BCE with logits per element", shapes: [[2, 3]], low: -4, high: 4) {
        try $0[0].binaryCrossEntropyWithLogits(targets: fixedMask * 0.5 + 0.25, reduction: .none)
    },
    GradCase(name: "mean squared error, targets with a gradient", shapes: [[2, 3], [2, 3]]) {
        try $0[0].meanSquaredError(targets: $0[1])
    },
    GradCase(name: "squared error sum and per element", shapes: [[2, 3]], low: -2, high: 2) {
        try $0[0].meanSquaredError(targets: fixedMask, reduction: .none) + $0[0].meanSquaredError(targets: fixedMask, reduction: .sum)
    },
    GradCase(name: "causal attention", shapes: [[2, 2, 4, 3], [2, 2, 4, 3], [2, 2, 4, 3]]) {
        try Tensor.causalSelfAttention(query: $0[0], key: $0[1], value: $0[2])
    },
    GradCase(name: "causal attention with padding", shapes: [[2, 2, 4, 3], [2, 2, 4, 3], [2, 2, 4, 3]]) {
        try Tensor.causalSelfAttention(query: $0[0], key: $0[1], value: $0[2], keyPaddingMask: paddingMask)
    },
    GradCase(name: "bidirectional attention with padding", shapes: [[2, 2, 4, 3], [2, 2, 4, 3], [2, 2, 4, 3]]) {
        try Tensor.bidirectionalSelfAttention(query: $0[0], key: $0[1], value: $0[2], keyPaddingMask: paddingMask)
    },
    GradCase(name: "bidirectional attention with dropout", shapes: [[2, 2, 4, 3], [2, 2, 4, 3], [2, 2, 4, 3]]) {
        var rng = RandomGenerator(seed: 23)
        return try Tensor.selfAttention(
            query: $0[0], key: $0[1], value: $0[2], keyPaddingMask: paddingMask, causal: false, dropout: 0.3, rng: &rng)
    },
    GradCase(name: "causal attention with padding and dropout", shapes: [[2, 2, 4, 3], [2, 2, 4, 3], [2, 2, 4, 3]]) {
        var rng = RandomGenerator(seed: 21)
        return try Tensor.causalSelfAttention(
            query: $0[0], key: $0[1], value: $0[2], keyPaddingMask: paddingMask, dropout: 0.3, rng: &rng)
    },
    GradCase(name: "dropout (fixed seed)", shapes: [[3, 8]]) {
        var rng = RandomGenerator(seed: 11)
        return try $0[0].dropout(probability: 0.3, using: &rng)
    },
    GradCase(name: "linear layer chain", shapes: [[2, 3, 4], [4, 6], [6]], low: -1, high: 1) {
        try ($0[0].matmul($0[1]) + $0[2]).gelu().logSoftmax()
    },
]

@Suite("Finite-difference gradient checks (float64)")
struct GradientCheckTests {
    @Test(arguments: elementwiseCases + reductionAndLayoutCases + fusedCases)
    func gradientsMatchFiniteDifferences(_ c: GradCase) throws {
        let inputs = c.shapes.enumerated().map {
            randomDoubles($0.element, low: c.low, high: c.high, seed: UInt64(100 + $0.offset))
        }
        let result = try checkGradients(inputs, c.f)
        #expect(result.passed, "\(c.name): \(result)")
    }

    @Test func extremeSoftmaxInputsKeepFiniteGradients() throws {
        let x = try Tensor([300, -300, 0, 299.5, -1, 300] as [Double], shape: [2, 3])
        for f in [{ (t: Tensor) in try t.softmax() }, { (t: Tensor) in try t.logSoftmax() }] {
            let result = try checkGradients([x], step: 1e-4) { try f($0[0]) }
            #expect(result.passed, "\(result)")
        }
        let ce = try checkGradients([x], step: 1e-4) { try $0[0].crossEntropy(targets: [1, 2]) }
        #expect(ce.passed, "\(ce)")
    }

    @Test func binaryCrossEntropyWithLogitsIsStableAndMatchesItsDefinition() throws {
        // float32, logits far beyond where e^x overflows: ℓ = max(x,0) − x y + log(1 + e^−|x|).
        let x = try Tensor([200, -200, 200, -200, 0, 1.5] as [Float], shape: [6], requiresGrad: true)
        let y = try Tensor([0, 1, 1, 0, 1, 0.25] as [Float], shape: [6])
        let perElement = try x.binaryCrossEntropyWithLogits(targets: y, reduction: .none).doubles
        let expected: [Double] = [200, 200, 0, 0, Foundation.log(2.0), 1.5 - 1.5 * 0.25 + Foundation.log(1 + Foundation.exp(-1.5))]
        for (value, want) in zip(perElement, expected) { #expect(abs(value - want) < 1e-5 * Swift.max(1.0, want), "\(perElement)") }
        let mean = try x.binaryCrossEntropyWithLogits(targets: y)
        #expect(abs(try mean.item() - expected.reduce(0, +) / 6) < 1e-4)
        let gradient = try mean.gradients(withRespectTo: [x])[0]?.doubles ?? []
        let sigmoid = { (v: Double) in 1 / (1 + Foundation.exp(-v)) }
        let want = zip([200, -200, 200, -200, 0, 1.5] as [Double], [0, 1, 1, 0, 1, 0.25] as [Double]).map { (sigmoid($0) - $1) / 6 }
        for (g, w) in zip(gradient, want) { #expect(abs(g - w) < 1e-6, "\(gradient)") }
    }
}

@Suite("The gradient checker itself")
struct GradientCheckerTests {
    @Test func detectsAWrongGradient() throws {
        // detached() hides one factor from the tape, so the recorded gradient is half the truth.
        let x = randomDoubles([6], seed: 3)
        let result = try checkGradients([x]) { try $0[0].detached() * $0[0] }
        #expect(!result.passed)
    }
}
