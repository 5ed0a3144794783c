import LetheTensor
import LetheUnlearning
import Testing

/// Gradient sets over two tensors, a [2] and b [1], from flat values [a0, a1, b0].
private func set(_ values: [Float]) throws -> NamedTensors {
    let t = try NamedTensors(shapes: [("a", [2]), ("b", [1])])
    try t.flat.assign(Tensor(values, shape: [3]))
    return t
}

private func combine(_ name: String, _ options: [String: PluginOptions.Value] = [:], _ parts: [(String, [Float])]) throws
    -> (direction: [Float], report: CombinerReport)
{
    let combiner = try CombinerRegistry.builtIn.make(name, options: options)
    let named = try parts.map { NamedGradients($0.0, try set($0.1)) }
    let output = try set([0, 0, 0])
    let report = try combiner.combine(named, into: output)
    return (output.flat.floats, report)
}

private func close(_ a: [Float], _ b: [Float]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 } && a.count == b.count }

@Suite("Gradient combiners against hand-computed vectors")
struct CombinerTests {
    @Test func pcgradOnConflictingVectors() throws {
        // g1 = [1, 0], g2 = [-1, 1]: g1ᴾᶜ = [0.5, 0.5], g2ᴾᶜ = [0, 1] (Yu et al.; LibMTL agrees).
        let (d, report) = try combine("pcgrad", [:], [("forget", [1, 0, 0]), ("retain", [-1, 1, 0])])
        #expect(close(d, [0.5, 1.5, 0]))
        #expect(report.projected == ["forget": true, "retain": true])
        #expect(abs((report.cosine ?? 0) + 1 / 2.0.squareRoot()) < 1e-12)
        #expect(abs((report.norms["retain"] ?? 0) - 2.0.squareRoot()) < 1e-12)
        let (mean, _) = try combine("pcgrad", ["reduction": .text("mean")], [("forget", [1, 0, 0]), ("retain", [-1, 1, 0])])
        #expect(close(mean, [0.25, 0.75, 0]))
    }

    @Test func pcgradLeavesOrthogonalAndAlignedVectorsAlone() throws {
        let (orthogonal, r1) = try combine("pcgrad", [:], [("forget", [1, 0, 0]), ("retain", [0, 1, 0])])
        #expect(close(orthogonal, [1, 1, 0]) && r1.projected == ["forget": false, "retain": false])
        let (aligned, r2) = try combine("pcgrad", [:], [("forget", [1, 1, 0]), ("retain", [2, 0, 1])])
        #expect(close(aligned, [3, 1, 1]) && r2.projected.values.allSatisfy { !$0 })
    }

    @Test func oneSidedProjectsOnlyTheForgetGradient() throws {
        // f − (f⋅r/‖r‖²) r = [1, 0] + ½ [-1, 1] = [0.5, 0.5]; r unchanged.
        let (d, report) = try combine("pcgrad", ["mode": .text("one_sided")], [("forget", [1, 0, 0]), ("retain", [-1, 1, 0])])
        #expect(close(d, [-0.5, 1.5, 0]))
        #expect(report.projected == ["forget": true, "retain": false])
    }

    @Test func tensorGranularityProjectsEachTensorOnItsOwn() throws {
        // Whole model: f⋅r = -1 + 1 = 0, no conflict. Tensor a conflicts, tensor b does not.
        let parts: [(String, [Float])] = [("forget", [1, 0, 1]), ("retain", [-1, 1, 1])]
        let (model, modelReport) = try combine("pcgrad", [:], parts)
        #expect(close(model, [0, 1, 2]) && modelReport.projected["forget"] == false)
        let (tensor, tensorReport) = try combine("pcgrad", ["granularity": .text("tensor")], parts)
        #expect(close(tensor, [0.5, 1.5, 2]))
        #expect(tensorReport.projectedTensors == ["forget": 1, "retain": 1])
    }

    @Test func threeLossesProjectAgainstOriginals() throws {
        // g0 = [1, 0], g1 = [-1, 1], g2 = [0, -1] (b entries 0). Hand computation:
        // g0: vs g1 dot -1 → [1,0] + ½[-1,1] = [0.5, 0.5]; vs g2 dot -0.5 → + 0.5 [0,-1] = [0.5, 0]
        // g1: vs g0 dot -1 → [-1,1] + [1,0] = [0, 1]; vs g2 dot -1 → + [0,-1] = [0, 0]
        // g2: vs g0 dot 0 → same; vs g1 dot -1 → [0,-1] + ½[-1,1] = [-0.5, -0.5]
        let (d, _) = try combine("pcgrad", [:], [("a", [1, 0, 0]), ("b", [-1, 1, 0]), ("c", [0, -1, 0])])
        #expect(close(d, [0, -0.5, 0]))
    }

    @Test func weightedSum() throws {
        let (d, report) = try combine("sum", ["weight_retain": .number(0.5)], [("forget", [1, 0, 2]), ("retain", [-1, 1, 2])])
        #expect(close(d, [0.5, 0.5, 3]) && report.projected.values.allSatisfy { !$0 })
    }

    @Test func registryAndOptionErrorsNameWhatIsWrong() {
        let names = ["aligned_mtl", "cagrad", "graddrop", "gradvac", "imtl_g", "mgda", "nash_mtl", "pcgrad", "sum", "upgrad"]
        #expect(CombinerRegistry.builtIn.names == names)
        #expect(throws: UnlearningError.unknownName(kind: "combiner", name: "cagrad2", available: names)) {
            try CombinerRegistry.builtIn.make("cagrad2")
        }
        #expect(throws: OptionError.self) { try CombinerRegistry.builtIn.make("pcgrad", options: ["granularity": .text("layer")]) }
        #expect(throws: OptionError.self) { try CombinerRegistry.builtIn.make("pcgrad", options: ["modee": .text("x")]) }
        #expect(throws: UnlearningError.self) { try CombinerRegistry.builtIn.make("sum", options: ["retain": .number(1)]) }
    }
}
