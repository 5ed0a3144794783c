import LetheTensor
import LetheTestSupport
import Testing

@Suite("Named tensors in one flat buffer; one gradient set per named loss")
struct NamedTensorsTests {
    private func parameters() throws -> NamedTensors {
        let p = try NamedTensors(shapes: [("h.0.weight", [2, 3]), ("h.0.bias", [3]), ("ln.weight", [3])])
        var rng = RandomGenerator(seed: 1)
        for t in p.tensors { t.fill { rng.nextNormal() } }
        p.markTrainable()
        return p
    }

    @Test func viewsShareTheFlatBuffer() throws {
        let p = try parameters()
        #expect(p.scalarCount == 12)
        p["h.0.bias"]?.fill(7)
        #expect(Array(p.flat.floats[6..<9]) == [7, 7, 7])
        #expect(p["missing"] == nil)
        #expect(throws: TensorError.self) { try NamedTensors(shapes: [("a", [1]), ("a", [2])]) }
    }

    @Test func separateGradientsPerLossReadableByName() throws {
        let p = try parameters()
        let x = try Tensor([1, 2] as [Float], shape: [1, 2])
        guard let w = p["h.0.weight"], let b = p["h.0.bias"], let g = p["ln.weight"] else {
            Issue.record("missing names")
            return
        }
        let hidden = try x.matmul(w) + b  // one shared forward pass
        let forget = try (hidden * g).sum()
        let retain = try (hidden * hidden).sum()
        let forgetGradients = try p.gradients(of: forget)
        let retainGradients = try p.gradients(of: retain)
        #expect(forgetGradients["h.0.bias"]?.floats == g.floats)
        #expect(forgetGradients["ln.weight"]?.floats == hidden.floats)
        #expect(retainGradients["h.0.bias"]?.floats == hidden.floats.map { 2 * $0 })
        #expect(retainGradients["ln.weight"]?.floats == [0, 0, 0])
        #expect(w.grad == nil)
    }

    @Test func frozenNamesGetZeroGradient() throws {
        let p = try parameters()
        p.markTrainable(except: ["ln.weight"])
        guard let g = p["ln.weight"], let b = p["h.0.bias"] else { return }
        let gradients = try p.gradients(of: try (g * b).sum())
        #expect(gradients["ln.weight"]?.floats == [0, 0, 0])
        #expect(gradients["h.0.bias"]?.floats == g.floats)
    }

    @Test func dotAndNormAccumulateInDouble() throws {
        let n = 1_000_003
        let a = try NamedTensors(shapes: [("a", [n])])
        let b = try NamedTensors(shapes: [("a", [n])])
        a.flat.fill(0.1)
        b.flat.fill(3)
        // Float32 products and partial sums drift by about 1e-2 here; Double does not.
        #expect(abs(try a.dot(b) - Double(n) * Double(Float(0.1)) * 3) < 1e-4)
        #expect(abs(b.norm() - 3 * Double(n).squareRoot()) < 1e-6)
        #expect(a.norms().count == 1)
    }
}
