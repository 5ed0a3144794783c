import Foundation
import LetheStorage
import LetheTensor
import Testing

/// The GGUF reader against the fixture of scripts/reference/make_gguf_fixture.py (written with
/// the `gguf` package): every metadata value type, the model and tokenizer keys, and one
/// tensor per ggml type, dequantized bit-equal to llama.cpp's reference formulas.
@Suite("GGUF reader")
struct GGUFTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let tiny = fixtures + "/gguf/tiny.gguf"
    static let expected = fixtures + "/gguf/tiny_expected.safetensors"

    @Test func headerAndEveryMetadataValueType() throws {
        let file = try GGUFFile.open(path: Self.tiny)
        #expect(file.version == 3)
        #expect(file.alignment == 64)
        #expect(file.metadataKeys.first == "general.architecture")
        #expect(file.value("test.uint8") == .uint8(200))
        #expect(file.value("test.int8") == .int8(-100))
        #expect(file.value("test.uint16") == .uint16(60000))
        #expect(file.value("test.int16") == .int16(-30000))
        #expect(file.value("test.uint32") == .uint32(4_000_000_000))
        #expect(file.value("test.int32") == .int32(-2_000_000_000))
        #expect(file.value("test.float32") == .float32(0.1))
        #expect(file.value("test.bool") == .bool(true))
        #expect(file.value("test.string") == .string("naïve café 🙂"))
        #expect(file.value("test.uint64") == .uint64(18_000_000_000_000_000_000))
        #expect(file.value("test.int64") == .int64(-9_000_000_000_000_000_000))
        #expect(file.value("test.float64") == .float64(0.1))
        #expect(file.value("test.array.int32") == .array(elementType: .int32, values: [.int32(1), .int32(-2), .int32(3)]))
        #expect(file.value("test.array.uint8") == .array(elementType: .uint8, values: [.uint8(1), .uint8(2), .uint8(255)]))
        #expect(try file.integers("test.array.int32") == [1, -2, 3])
        #expect(try file.numbers("test.array.float32") == [0.5, -1.25])
        #expect(try file.strings("test.array.string") == ["a", "", "ü"])
        #expect(try file.integer("test.uint32") == 4_000_000_000)
        #expect(try file.number("test.float32") == Double(Float(0.1)))
        #expect(try file.bool("test.bool"))
        // A uint64 beyond Int is not an integer; a missing key and a wrong type name the key.
        #expect(throws: GGUFError.self) { try file.integer("test.uint64") }
        #expect(throws: GGUFError.missingKey(path: Self.tiny, key: "no.such.key")) { try file.integer("no.such.key") }
        #expect(try file.integerIfPresent("no.such.key") == nil)
        do {
            _ = try file.string("test.int8")
            Issue.record("a wrong type must throw")
        } catch let error as GGUFError {
            #expect("\(error)".contains("test.int8") && "\(error)".contains("int8 -100"))
        }
    }

    @Test func modelHyperparametersAndTokenizer() throws {
        let file = try GGUFFile.open(path: Self.tiny)
        let model = try file.modelHyperparameters()
        #expect(model.architecture == "llama")
        #expect(model.blockCount == 2 && model.contextLength == 64 && model.embeddingLength == 32)
        #expect(model.feedForwardLength == 48 && model.headCount == 4 && model.headCountKV == 2 && model.headDimension == 8)
        #expect(model.ropeFrequencyBase == 500_000 && model.ropeDimensionCount == 8 && model.ropeScalingType == nil)
        #expect(model.rmsNormEpsilon == Double(Float(1e-5)))
        #expect(model.vocabularySize == 5 && !model.hasOutputWeight)
        let tokenizer = try file.tokenizerMetadata()
        #expect(tokenizer.model == "gpt2" && tokenizer.preTokenizer == "smollm")
        #expect(tokenizer.tokens == ["<s>", "</s>", "a", "b", "ab"])
        #expect(tokenizer.tokenTypes == [3, 3, 1, 1, 1])
        #expect(tokenizer.merges == ["a b"])
        #expect(tokenizer.bosTokenID == 0 && tokenizer.eosTokenID == 1 && tokenizer.paddingTokenID == 1)
        #expect(tokenizer.unknownTokenID == nil && tokenizer.scores == nil)
        #expect(tokenizer.addBOS == false && tokenizer.addEOS == nil)
        #expect(tokenizer.chatTemplate?.hasPrefix("{% for m in messages %}<|im_start|>") == true)
    }

    /// Every tensor, bit for bit, in Hugging Face shape order (GGUF's dims reversed).
    @Test func everyTypeDequantizesBitEqualToTheReference() throws {
        let file = try GGUFFile.open(path: Self.tiny)
        let expected = try SafetensorsFile.read(path: Self.expected)
        let names = ["f32.rank3", "f32.rank1", "f16", "bf16", "q8_0", "q4_0", "q4_1", "q4_k", "q6_k", "q4_k.rank3"]
        #expect(file.tensorInfos.map(\.name) == names)
        #expect(Set(file.tensorInfos.compactMap(\.type)) == Set(GGMLType.allCases))
        for name in names {
            let tensor = try file.tensor(name)
            let reference = try #require(expected.tensors[name], "\(name) missing from the expected values")
            #expect(tensor.shape == reference.shape, "\(name)")
            let (got, want) = (tensor.floats.map(\.bitPattern), reference.floats.map(\.bitPattern))
            let mismatches = got.indices.filter { $0 < want.count && got[$0] != want[$0] }
            #expect(got.count == want.count && mismatches.isEmpty, "\(name): \(mismatches.count) values differ, first at \(mismatches.first ?? -1)")
        }
        #expect(file.tensorInfo("f32.rank3")?.dimensions == [4, 3, 2])
        #expect(file.tensorInfo("q6_k")?.byteCount == 2 * 2 * 210)
        #expect(throws: GGUFError.missingTensor(path: Self.tiny, tensor: "nope")) { try file.tensor("nope") }
    }

    /// convert_hf_to_gguf.py's `permute` (computed by the fixture script) undone and redone.
    @Test func llamaQueryKeyPermutation() throws {
        let expected = try SafetensorsFile.read(path: Self.expected)
        let input = try #require(expected.tensors["permute.input"])
        for (name, heads, kvHeads) in [("permute.q", 2, 2), ("permute.k", 4, 3)] {
            let permuted = try #require(expected.tensors[name])
            #expect(try GGUFLlamaPermutation.apply(input, headCount: heads, headCountKV: kvHeads).floats == permuted.floats, "\(name)")
            #expect(try GGUFLlamaPermutation.undo(permuted, headCount: heads, headCountKV: kvHeads).floats == input.floats, "\(name)")
        }
        let bias = try #require(expected.tensors["permute.bias"])
        let undone = try GGUFLlamaPermutation.undo(bias, headCount: 6, headCountKV: nil)
        #expect(undone.floats == (0..<12).map(Float.init))
        #expect(throws: TensorError.self) { try GGUFLlamaPermutation.undo(input, headCount: 5, headCountKV: nil) }
    }

    @Test func huggingFaceNames() throws {
        #expect(GGUFFile.huggingFaceName(ofLlamaTensor: "blk.12.attn_k.bias") == "model.layers.12.self_attn.k_proj.bias")
        #expect(GGUFFile.huggingFaceName(ofLlamaTensor: "blk.0.ffn_norm.weight") == "model.layers.0.post_attention_layernorm.weight")
        #expect(GGUFFile.huggingFaceName(ofLlamaTensor: "output.weight") == "lm_head.weight")
        for unmapped in ["rope_freqs.weight", "blk.x.attn_q.weight", "blk.-1.attn_q.weight", "blk.0.attn_q.scale", "blk.0.attn_q"] {
            #expect(GGUFFile.huggingFaceName(ofLlamaTensor: unmapped) == nil, "\(unmapped)")
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-\(UUID().uuidString).gguf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var b = GGUFBuilder()
        b.header(tensors: 0, keys: 1)
        b.string("general.architecture")
        b.u32(8)
        b.string("gpt2")
        try b.write(to: path)
        #expect(throws: GGUFError.wrongType(path: path, key: "general.architecture", expected: "one of llama, qwen2", found: "gpt2")) {
            try GGUFFile.open(path: path).huggingFaceLlamaNames()
        }
    }

    @Test func unsupportedTypeIsRefusedNamingTheTensor() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("q5k-\(UUID().uuidString).gguf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var b = GGUFBuilder()
        b.header(tensors: 1, keys: 0)
        b.tensorInfo("blk.0.ffn_down.weight", dims: [256, 1], type: 13, offset: 0)
        b.pad()
        b.bytes += [UInt8](repeating: 0, count: 176)
        try b.write(to: path)
        let file = try GGUFFile.open(path: path)
        #expect(file.tensorInfos.first?.typeName == "Q5_K (code 13)")
        #expect(throws: GGUFError.unsupportedType(path: path, tensor: "blk.0.ffn_down.weight", type: "Q5_K (code 13)")) {
            try file.tensor("blk.0.ffn_down.weight")
        }
    }
}
