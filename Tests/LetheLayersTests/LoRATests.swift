import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import Testing

@Suite("LoRA: identity at start, adapters only train, fuse, save and load alone")
struct LoRATests {
    private func model(seed: UInt64 = 5) throws -> GPT2Model {
        var rng = RandomGenerator(seed: seed)
        let c = GPT2Configuration(
            vocabularySize: 30, contextLength: 16, embeddingSize: 16, layerCount: 2, headCount: 2,
            residualDropout: 0, embeddingDropout: 0, attentionDropout: 0)
        return try GPT2Model(configuration: c, rng: &rng)
    }

    private let batch = try? TokenBatch(ids: [1, 5, 7, 9, 2, 3, 4, 0], batchSize: 2, length: 4, attentionMask: [1, 1, 1, 1, 1, 1, 1, 0])

    @Test func adaptedModelEqualsBaseAtInitialisation() throws {
        let m = try model()
        guard let batch else { return }
        let before = try m.logits(batch).floats
        var rng = RandomGenerator(seed: 9)
        let adapters = try m.applyLoRA(LoRAConfiguration(rank: 4, alpha: 8), rng: &rng)
        #expect(adapters.prefixes == ["h.0.attn.c_attn", "h.1.attn.c_attn"])
        #expect(try m.logits(batch).floats == before)
    }

    @Test func onlyAdaptersReceiveGradientsAndFusingKeepsTheOutput() throws {
        let m = try model()
        guard let batch else { return }
        var rng = RandomGenerator(seed: 9)
        let adapters = try m.applyLoRA(LoRAConfiguration(rank: 4, alpha: 8, targets: ["c_attn", "mlp.c_fc"]), rng: &rng)
        let baseBefore = m.parameters.flat.floats
        let optimizer = AdamW(parameters: adapters.parameters, configuration: .init(weightDecay: 0))
        for _ in 0..<3 {
            let loss = try m.languageModelLoss(batch, labels: batch.ids)
            #expect(try m.parameters.gradients(of: loss).norm() == 0)
            try optimizer.update(gradients: try adapters.parameters.gradients(of: loss), learningRate: 0.05)
        }
        #expect(m.parameters.flat.floats == baseBefore)
        #expect(adapters.parameters.tensors.allSatisfy { t in t.floats.contains { $0 != 0 } })
        let adapted = try m.logits(batch)
        try m.fuseLoRA()
        #expect(m.linears.values.allSatisfy { $0 is Conv1D })
        let fused = try m.logits(batch)
        #expect(relativeError(fused, adapted) < 1e-5)
        #expect(m.parameters.flat.floats != baseBefore)
    }

    @Test func adaptersSaveAndLoadAlone() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lora-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let m = try model()
        guard let batch else { return }
        var rng = RandomGenerator(seed: 9)
        let adapters = try m.applyLoRA(LoRAConfiguration(rank: 2, alpha: 4), rng: &rng)
        for t in adapters.parameters.tensors { t.fill { rng.nextNormal() * 0.1 } }
        try adapters.save(directory: directory)
        let names = try SafetensorsFile.read(path: directory + "/adapter_model.safetensors").tensors
        #expect(names.count == 4)
        #expect(names["base_model.model.transformer.h.0.attn.c_attn.lora_A.weight"]?.shape == [2, 16])
        let fresh = try model()
        _ = try fresh.loadLoRA(directory: directory)
        #expect(relativeError(try fresh.logits(batch), try m.logits(batch)) < 1e-6)
        let other = try model()
        try FileManager.default.removeItem(atPath: directory + "/adapter_model.safetensors")
        #expect(throws: SafetensorsError.self) { try other.loadLoRA(directory: directory) }
    }

    @Test func badTargetsAreNamed() throws {
        var rng = RandomGenerator(seed: 1)
        #expect(throws: LayerError.self) { try model().applyLoRA(LoRAConfiguration(targets: ["q_proj"]), rng: &rng) }
    }
}
