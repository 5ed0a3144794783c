import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import Testing

@Suite("Llama configurations: variants refused by key, sizes checked before allocating")
struct LlamaConfigurationTests {
    private func decode(_ json: String) throws -> LlamaConfiguration {
        try JSONDecoder().decode(LlamaConfiguration.self, from: Data(json.utf8))
    }

    private func refusedKey(_ json: String) -> String? {
        do {
            _ = try decode(json)
            return nil
        } catch let LayerError.invalidConfiguration(key, _) {
            return key
        } catch {
            return "other: \(error)"
        }
    }

    private let tiny = #""vocab_size": 16, "hidden_size": 8, "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "max_position_embeddings": 64"#

    @Test func unsupportedVariantsNameTheirKey() {
        #expect(refusedKey(#"{"model_type": "mistral", "#+tiny+#", "sliding_window": 32}"#) == "sliding_window")
        #expect(refusedKey(#"{"model_type": "mistral", "#+tiny+#"}"#) == nil)  // default window 4096 covers 64
        #expect(refusedKey(#"{"model_type": "qwen2", "#+tiny+#", "use_sliding_window": true, "sliding_window": 8, "max_window_layers": 0}"#) == "sliding_window")
        #expect(refusedKey(#"{"model_type": "llama", "#+tiny+#", "rope_scaling": {"rope_type": "yarn", "factor": 4}}"#) == "rope_scaling")
        #expect(refusedKey(#"{"model_type": "llama", "#+tiny+#", "rope_parameters": {"rope_type": "dynamic", "rope_theta": 10000}}"#) == "rope_scaling")
        #expect(refusedKey(#"{"model_type": "llama", "#+tiny+#", "hidden_act": "gelu"}"#) == "hidden_act")
        #expect(refusedKey(#"{"model_type": "llama", "#+tiny+#", "num_key_value_heads": 3}"#) == "num_key_value_heads")
        #expect(refusedKey(#"{"model_type": "llama", "#+tiny+#", "partial_rotary_factor": 0.5}"#) == "partial_rotary_factor")
        #expect(refusedKey(#"{"model_type": "gemma", "#+tiny+#"}"#) == "model_type")
    }

    @Test func bothRotarySpellingsAndEOSListsAreRead() throws {
        let legacy = try decode(#"{"model_type": "llama", "#+tiny+#", "rope_theta": 500000, "eos_token_id": [2, 3], "rope_scaling": {"type": "linear", "factor": 2}}"#)
        let current = try decode(#"{"model_type": "llama", "#+tiny+#", "eos_token_id": [2, 3], "rope_parameters": {"rope_type": "linear", "factor": 2, "rope_theta": 500000}}"#)
        #expect(legacy == current)
        #expect(legacy.rope.theta == 500000 && legacy.rope.type == .linear && legacy.endOfTextIDs == [2, 3])
        let frequencies = legacy.rope.inverseFrequencies(headSize: 4)
        #expect(abs(frequencies[0] - 0.5) < 1e-7 && abs(frequencies[1] - 0.5 / 500000.0.squareRoot()) < 1e-9)
        // Written in transformers 4's spelling and read back unchanged.
        let again = try decode(String(decoding: try JSONEncoder().encode(legacy), as: UTF8.self))
        #expect(again == legacy)
    }

    @Test func unknownModelTypesAreRefusedNamingArchitectures() throws {
        let folder = try temporaryFolder("phi")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(#"{"model_type": "phi3", "architectures": ["Phi3ForCausalLM"]}"#.utf8).write(to: URL(fileURLWithPath: folder + "/config.json"))
        #expect {
            try ModelFile.load(folder)
        } throws: { error in
            let text = "\(error)"
            return text.contains("phi3") && text.contains("Phi3ForCausalLM") && text.contains("llama")
        }
    }

    @Test func aHostileConfigIsRefusedBeforeAllocating() throws {
        let fixture = try LlamaFixture("llama_gqa")
        let folder = try temporaryFolder("hostile")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var object = (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixture.directory + "/model/config.json"))) as? [String: Any]) ?? [:]
        object["num_hidden_layers"] = 1 << 40
        object["intermediate_size"] = 1 << 40
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: folder + "/config.json"))
        try FileManager.default.copyItem(atPath: fixture.directory + "/model/model.safetensors", toPath: folder + "/model.safetensors")
        #expect(throws: LayerError.self) { try ModelFile.load(folder) }
    }

    @Test func strictLoadingListsEveryProblem() throws {
        let fixture = try LlamaFixture("llama_gqa")
        let model = try fixture.model()
        var state = try SafetensorsFile.read(path: fixture.directory + "/model/model.safetensors").tensors
        state["model.norm.weight"] = nil
        state["model.layers.0.mlp.extra.weight"] = Tensor(zeros: [2])
        state["model.layers.1.input_layernorm.weight"] = Tensor(zeros: [3])
        #expect {
            try model.loadState(state, source: "test")
        } throws: { error in
            guard case let LayerError.stateMismatch(_, missing, unexpected, misshapen) = error else { return false }
            return missing == ["model.norm.weight"] && unexpected == ["model.layers.0.mlp.extra.weight"] && misshapen.count == 1
        }
    }
}
