import Foundation
import LetheTensor
import LetheUnlearning
import Testing

/// Gradient sets over two tensors, a [2] and b [1], from flat values [a0, a1, b0].
private func set(_ values: [Float]) throws -> NamedTensors {
    let t = try NamedTensors(shapes: [("a", [2]), ("b", [1])])
    try t.flat.assign(Tensor(values, shape: [3]))
    return t
}

private func run(_ combiner: any GradientCombiner, _ parts: [(String, [Float])]) throws -> (direction: [Float], report: CombinerReport) {
    let output = try set([0, 0, 0])
    let report = try combiner.combine(try parts.map { NamedGradients($0.0, try set($0.1)) }, into: output)
    return (output.flat.floats, report)
}

private func combine(_ name: String, _ options: [String: PluginOptions.Value] = [:], _ parts: [(String, [Float])]) throws
    -> (direction: [Float], report: CombinerReport)
{
    try run(try CombinerRegistry.builtIn.make(name, options: options), parts)
}

private func close(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-5) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
}

private func close(_ a: [String: Double], _ b: [String: Double], _ tolerance: Double = 1e-4) -> Bool {
    a.keys.sorted() == b.keys.sorted() && a.allSatisfy { abs($0.value - (b[$0.key] ?? .nan)) <= tolerance }
}

private let conflicting: [(String, [Float])] = [("forget", [1, 0, 0]), ("retain", [-1, 1, 0])]

@Suite("Gramian combiners on vectors worked by hand")
struct CombinerVectorTests {
    @Test func upgradOnTorchjdsDocstringExample() throws {
        // torchjd's docstring: J = [[-4, 1, 1], [6, 1, 1]] → [0.2929, 1.9004, 1.9004], weights [1.1109, 0.7894].
        let (d, report) = try combine("upgrad", [:], [("forget", [-4, 1, 1]), ("retain", [6, 1, 1])])
        #expect(close(d, [0.2929, 1.9004, 1.9004], 1e-4), "\(d)")
        #expect(close(report.weights, ["forget": 1.1109, "retain": 0.7894]), "\(report.weights)")
        #expect(report.projected == ["forget": true, "retain": true])
        // Aligned gradients are in the dual cone already: their mean, nothing projected.
        let (aligned, alignedReport) = try combine("upgrad", ["reg_eps": .number(0)], [("forget", [1, 1, 0]), ("retain", [2, 0, 1])])
        #expect(close(aligned, [1.5, 0.5, 0.5]) && alignedReport.projected.values.allSatisfy { !$0 })
    }

    @Test func mgdaIsTheMinimumNormPointOfTheHull() throws {
        // g1 = [1, 0], g2 = [-1, 1]: γ₁ = (g2⋅g2 − g1⋅g2) / ‖g1 − g2‖² = 3/5, d = [0.2, 0.4].
        let (d, report) = try combine("mgda", [:], conflicting)
        #expect(close(d, [0.2, 0.4, 0]))
        #expect(close(report.weights, ["forget": 0.6, "retain": 0.4], 1e-12))
        // Aligned, the paper's γ = 1 at the clip (LibMTL would give 0.999).
        let (aligned, _) = try combine("mgda", [:], [("forget", [1, 0, 0]), ("retain", [2, 0, 0])])
        #expect(close(aligned, [1, 0, 0]))
        // Loss normalisation needs the losses' values.
        #expect(throws: UnlearningError.self) { try combine("mgda", ["normalization": .text("loss")], conflicting) }
    }

    @Test func imtlGEqualisesTheProjectionsOnUnitGradients() throws {
        // G = diag(1, 9): α ∝ G⁻¹ √diag(G) = [1, 1/3] → [0.75, 0.25]; d ⋅ u₁ = d ⋅ u₂ = 0.75.
        let (d, report) = try combine("imtl_g", [:], [("forget", [1, 0, 0]), ("retain", [0, 3, 0])])
        #expect(close(d, [0.75, 0.75, 0]))
        #expect(close(report.weights, ["forget": 0.75, "retain": 0.25], 1e-12))
    }

    @Test func alignedMTLEqualisesTheSingularValues() throws {
        // G = diag(1, 9): B = √1 ⋅ diag(1, 1/3), α = B 1 = [1, 1/3], d = [1, 1]; mean halves it.
        let (d, _) = try combine("aligned_mtl", [:], [("forget", [1, 0, 0]), ("retain", [0, 3, 0])])
        #expect(close(d, [1, 1, 0]))
        let (mean, _) = try combine("aligned_mtl", ["reduction": .text("mean")], [("forget", [1, 0, 0]), ("retain", [0, 3, 0])])
        #expect(close(mean, [0.5, 0.5, 0]))
        let (median, _) = try combine("aligned_mtl", ["scale_mode": .text("rmse")], [("forget", [1, 0, 0]), ("retain", [0, 3, 0])])
        #expect(close(median, [2.2360680, 2.2360680, 0]))  // σ = mean(1, 9) = 5
    }

    @Test func cagradWithoutARadiusIsTheMeanAndWithOneImprovesTheWorstLoss() throws {
        let (mean, _) = try combine("cagrad", ["c": .number(0)], conflicting)
        #expect(close(mean, [0, 0.5, 0]))
        // With c = 0.4 the worst loss's rate of decrease, min gᵢ ⋅ d, beats the mean's (−0.25 ⋅ 2 … ).
        let (d, report) = try combine("cagrad", [:], conflicting)
        let worst = min(d[0], -d[0] + d[1])
        #expect(worst > min(mean[0], -mean[0] + mean[1]), "\(d)")
        let (scaled, _) = try combine("cagrad", ["rescale": .text("c_squared")], conflicting)
        #expect(close(scaled, d.map { $0 / 1.16 }))
        #expect(report.weights.count == 2 && report.projected.values.allSatisfy { !$0 })
    }

    @Test func nashMTLSolvesTheBargainingAndClips() throws {
        // G = diag(4, 1), Ĝ = G/√17: αᵢ = Ĝᵢᵢ^{-1/2}, d = 17^{1/4} [1, 1]; ‖d‖ > 1 is clipped to 1.
        let parts: [(String, [Float])] = [("forget", [2, 0, 0]), ("retain", [0, 1, 0])]
        let free = try CombinerRegistry.builtIn.make("nash_mtl", options: ["max_norm": .number(0)])
        let (d, report) = try run(free, parts)
        let root = Float(pow(17.0, 0.25))
        #expect(close(d, [root, root, 0]) && !report.clipped)
        let (clipped, clippedReport) = try combine("nash_mtl", [:], parts)
        #expect(close(clipped, [0.70710678, 0.70710678, 0]) && clippedReport.clipped)
        // A zero gradient has no bargaining solution: the last α (1 at first) is kept.
        let (kept, _) = try combine("nash_mtl", ["max_norm": .number(0)], [("forget", [2, 0, 0]), ("retain", [0, 0, 0])])
        #expect(close(kept, [2, 0, 0]))
    }

    @Test func gradVacStartsAsPCGradThenAimsAtItsTarget() throws {
        let gradvac = try CombinerRegistry.builtIn.make("gradvac", options: ["beta": .number(0.5)])
        let (first, report) = try run(gradvac, conflicting)
        #expect(close(first, [0.5, 1.5, 0]) && report.projected == ["forget": true, "retain": true])
        // φ̂ = ½ ⋅ (−1/√2) now: each gradient is moved only to that cosine, less than PCGrad's 0.
        let (second, _) = try run(gradvac, conflicting)
        #expect(second[0] > 0 && second[0] < 0.5 && second[1] > 1 && second[1] < 1.5, "\(second)")
        let state = (gradvac as? any StatefulCombiner)?.state ?? [:]
        #expect(state["shape"] == [1, 2])
        #expect(abs((state["targets"]?[1] ?? 0) + 0.75 / 2.0.squareRoot()) < 1e-9)  // ½(−½/√2) + ½(−1/√2)
    }

    @Test func gradDropKeepsOneSignPerEntry() throws {
        // P = ½ everywhere (opposite gradients): U = 0.2 keeps the positive, 0.8 the negative, 0.5 neither.
        let rows: [[Float]] = [[1, 1, 1], [-1, -1, -1]]
        #expect(try GradDrop.combine(rows, uniforms: [0.2, 0.8, 0.5]) == [1, -1, 0])
        #expect(try GradDrop.combine(rows, uniforms: [0.2, 0.8, 0.5], leak: 0.5) == [0.5, -0.5, 0])
        // Gradients that agree in sign survive whole (P = 1 > U).
        #expect(try GradDrop.combine([[1, 2, 0], [3, 0, -1]], uniforms: [0.9, 0.9, 0.9]) == [4, 2, -1])
        // The combiner draws a new stream each step, the same for the same seed.
        let a = try CombinerRegistry.builtIn.make("graddrop", options: ["seed": .number(5)])
        let b = try CombinerRegistry.builtIn.make("graddrop", options: ["seed": .number(5)])
        let parts: [(String, [Float])] = [("forget", [1, -2, 3]), ("retain", [-1, 2, -3])]
        let steps = try (0..<16).map { _ in try run(a, parts).direction }
        #expect(try (0..<16).map { _ in try run(b, parts).direction } == steps)
        #expect(Set(steps.map { $0.map(\.bitPattern) }).count > 1)
        #expect(try run(a, parts).report.coefficients == nil)
    }

    @Test func optionsAreStrict() {
        for (name, options) in [
            ("cagrad", ["c": PluginOptions.Value.number(-1)]), ("cagrad", ["rescale": .text("1")]), ("mgda", ["normalization": .text("l1")]),
            ("upgrad", ["granularity": .text("layer")]), ("gradvac", ["beta": .number(0)]), ("nash_mtl", ["granularity": .text("tensor")]),
            ("graddrop", ["leak": .number(2)]), ("imtl_g", ["c": .number(1)]), ("aligned_mtl", ["scale_mode": .text("max")]),
        ] {
            #expect(throws: OptionError.self, "\(name) \(options)") { try CombinerRegistry.builtIn.make(name, options: options) }
        }
    }
}
