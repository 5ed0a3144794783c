import LetheTensor
import LetheTestSupport
import Testing

@Suite("Autograd: tape, accumulation, several losses, frozen parameters, no-grad")
struct AutogradTests {
    @Test func gradientsAccumulateAcrossBackwardPasses() throws {
        let w = try Tensor([1, 2, 3] as [Float], shape: [3], requiresGrad: true)
        try (w * w).sum().backward()
        try (w * w).sum().backward()
        #expect(w.grad?.floats == [4, 8, 12])  // 2 × 2w
    }

    @Test func twoLossesFromOneForwardGiveSeparateGradients() throws {
        let w = try Tensor([1, -2] as [Float], shape: [2], requiresGrad: true)
        let shared = try w * w  // one forward pass feeds both losses
        let forget = try shared.sum()
        let retain = try (shared * w).sum()
        // Each named loss writes into its own flat buffer through a view.
        let buffers = [Tensor(zeros: [2]), Tensor(zeros: [2])]
        for (loss, buffer) in zip([forget, retain], buffers) {
            w.grad = buffer
            try loss.backward()
        }
        #expect(buffers[0].floats == [2, -4])  // 2w
        #expect(buffers[1].floats == [3, 12])  // 3w²
    }

    @Test func gradientsWithRespectToLeavesAndIntermediates() throws {
        let x = try Tensor([2, 3] as [Double], shape: [2], requiresGrad: true)
        let y = x.exp()
        let loss = try y.sum()
        let grads = try loss.gradients(withRespectTo: [x, y])
        #expect(grads[0]?.doubles == y.doubles)
        #expect(grads[1]?.doubles == [1, 1])
        #expect(x.grad == nil)  // the functional form leaves .grad alone
    }

    @Test func frozenParametersGetNoGradient() throws {
        let frozen = try Tensor([1, 2] as [Float], shape: [2])
        let trained = try Tensor([3, 4] as [Float], shape: [2], requiresGrad: true)
        try (frozen * trained).sum().backward()
        #expect(frozen.grad == nil)
        #expect(trained.grad?.floats == [1, 2])
    }

    @Test func noGradScopeRecordsNothing() throws {
        let w = try Tensor([1, 2] as [Float], shape: [2], requiresGrad: true)
        let loss = try withoutGradients { try (w * w).sum() }
        #expect(!loss.tracksGradient)
        try loss.backward()
        #expect(w.grad == nil)
    }

    @Test func gradientFlowsIntoFlatBufferViews() throws {
        // Two parameters viewing one flat buffer, gradients viewing another.
        let parameters = Storage(count: 5, dtype: .float32)
        let gradients = Storage(count: 5, dtype: .float32)
        let a = Tensor(shape: [2], storage: parameters, offset: 0, requiresGrad: true)
        let b = Tensor(shape: [3], storage: parameters, offset: 2, requiresGrad: true)
        a.fill(1)
        b.fill(2)
        a.grad = Tensor(shape: [2], storage: gradients, offset: 0)
        b.grad = Tensor(shape: [3], storage: gradients, offset: 2)
        try ((a * 3).sum() + (b * b).sum()).backward()
        #expect(Tensor(shape: [5], storage: gradients).floats == [3, 3, 4, 4, 4])
    }

    @Test func backwardNeedsAScalar() {
        #expect(throws: TensorError.self) { try Tensor(zeros: [2], requiresGrad: true).backward() }
    }

    @Test func graphIsFreedWhenTheLossIsReleased() throws {
        final class WeakBox { weak var tensor: Tensor? }
        let w = try Tensor([0.5, 1.5] as [Double], shape: [2], requiresGrad: true)
        var boxes: [WeakBox] = []
        do {
            // Ops whose backward reuses their own output: none may keep itself alive.
            let x = try w / (w + 1)
            let outputs = [x.exp(), x.tanh(), x.sqrt(), x.sigmoid(), try x.softmax(), try x.logSoftmax(), x]
            try outputs.reduce(Tensor(scalar: 0, dtype: .float64)) { try $0 + $1.sum() }.backward()
            for output in outputs {
                let box = WeakBox()
                box.tensor = output
                boxes.append(box)
            }
        }
        #expect(boxes.allSatisfy { $0.tensor == nil })
        #expect(w.grad != nil)
    }

    @Test func deepChainDoesNotOverflowTheStack() throws {
        let x = try Tensor([1] as [Double], shape: [1], requiresGrad: true)
        var y = x
        for _ in 0..<20_000 { y = y * 1.0 }
        try y.sum().backward()
        #expect(x.grad?.doubles == [1])
    }
}
