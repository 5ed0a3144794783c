import LetheTensor
import Testing

@Suite("Finding the first tensor with a NaN or an infinity")
struct NonFiniteTests {
    /// Three tensors; the middle one is large enough for the parallel path and has a tail
    /// beyond the last full SIMD block.
    private func tensors(_ dtype: DType = .float32) throws -> NamedTensors {
        let set = try NamedTensors(shapes: [("wte", [5, 3]), ("h.0.attn.c_attn.weight", [257, 131]), ("ln_f.bias", [7])], dtype: dtype)
        for (index, tensor) in set.tensors.enumerated() { tensor.fill(Double(index) - 1.5) }
        return set
    }

    @Test func finiteValuesGiveNil() throws {
        let set = try tensors()
        #expect(set.firstNonFinite() == nil)
        set["h.0.attn.c_attn.weight"]?.fill(Double(Float.greatestFiniteMagnitude))
        set["wte"]?.fill(-Double(Float.greatestFiniteMagnitude))
        #expect(set.firstNonFinite() == nil)  // large but finite: no overflow in the check
    }

    @Test func eachKindOfNonFiniteValueIsFoundAnywhere() throws {
        let middle = 257 * 131
        // (flat index, value, expected name): first element, a SIMD tail element, the last one.
        let cases: [(Int, Float, String)] = [
            (0, .nan, "wte"), (15, .infinity, "h.0.attn.c_attn.weight"),
            (15 + middle - 1, -.infinity, "h.0.attn.c_attn.weight"), (15 + middle + 6, .nan, "ln_f.bias"),
        ]
        for (index, value, name) in cases {
            let set = try tensors()
            set.flat.floatPointer[index] = value
            #expect(set.firstNonFinite() == name, "index \(index)")
        }
    }

    @Test func theFirstInStorageOrderIsNamed() throws {
        let set = try tensors()
        set["ln_f.bias"]?.fill(.nan)
        set.flat.floatPointer[15 + 1000] = .infinity
        #expect(set.firstNonFinite() == "h.0.attn.c_attn.weight")
    }

    @Test func float64BuffersAreChecked() throws {
        let set = try tensors(.float64)
        #expect(set.firstNonFinite() == nil)
        set["ln_f.bias"]?.fill(.infinity)
        #expect(set.firstNonFinite() == "ln_f.bias")
    }
}
