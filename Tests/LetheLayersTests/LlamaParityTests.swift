import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import Testing

@Suite("The Llama family matches Hugging Face transformers on golden fixtures")
struct LlamaParityTests {
    @Test(arguments: LlamaFixture.cases)
    func logitsLossAndResidualStreamMatch(_ name: String) throws {
        let fixture = try LlamaFixture(name)
        let model = try fixture.model()
        let logits = try withoutGradients { try model.logits(fixture.batch) }
        #expect(relativeError(logits, try fixture.tensor("logits")) < 2e-5, "\(name)")
        let loss = try withoutGradients { try model.languageModelLoss(fixture.batch, labels: fixture.labels).item() }
        #expect(abs(loss - ((fixture.json["loss"] as? Double) ?? 0)) < 2e-5, "\(name): loss \(loss)")
        let residual = try withoutGradients { try model.residualStream(fixture.batch, afterLayer: 0) }
        #expect(relativeError(residual, try fixture.tensor("residual.layer0")) < 2e-5, "\(name)")
    }

    @Test(arguments: LlamaFixture.cases)
    func everyParameterGradientMatches(_ name: String) throws {
        let fixture = try LlamaFixture(name)
        let model = try fixture.model()
        let loss = try model.languageModelLoss(fixture.batch, labels: fixture.labels)
        let gradients = try model.parameters.gradients(of: loss)
        let expectedNames = fixture.expected.tensors.keys.filter { $0.hasPrefix("grad.") }
        #expect(gradients.names.count == expectedNames.count, "\(name)")
        for (parameter, gradient) in zip(gradients.names, gradients.tensors) {
            let error = relativeError(gradient, try fixture.tensor("grad." + parameter))
            #expect(error < 5e-5, "\(name) \(parameter): relative error \(error)")
        }
    }

    @Test(arguments: LlamaFixture.cases)
    func greedyGenerationMatchesTransformersWithAndWithoutCache(_ name: String) throws {
        let fixture = try LlamaFixture(name)
        let model = try fixture.model()
        let (prompts, expected) = fixture.generation
        let greedy = GenerationConfiguration(maxNewTokens: 10, stopTokens: [-1])
        var rng = RandomGenerator(seed: 0)
        #expect(try model.generate(prompts: prompts, configuration: greedy, rng: &rng) == expected, "\(name) cached")
        #expect(try model.generate(prompts: prompts, configuration: greedy, rng: &rng, useCache: false) == expected, "\(name)")
    }

    @Test func sampledDecodingWithTheCacheEqualsRecomputingAndBatchingDoesNotChangeARow() throws {
        let model = try LlamaFixture("llama_gqa").model()
        let sampled = GenerationConfiguration(maxNewTokens: 12, temperature: 0.9, topK: 20, topP: 0.95, stopTokens: [-1])
        var (a, b) = (RandomGenerator(seed: 42), RandomGenerator(seed: 42))
        let prompts = [[3, 4, 5, 6, 7], [9], [11, 12, 13]]
        let cached = try model.generate(prompts: prompts, configuration: sampled, rng: &a)
        #expect(cached == (try model.generate(prompts: prompts, configuration: sampled, rng: &b, useCache: false)))
        let greedy = GenerationConfiguration(maxNewTokens: 8, stopTokens: [-1])
        let batch = try model.generate(prompts: [[1, 2], [40, 41, 42, 43, 44, 45]], configuration: greedy, rng: &a)
        #expect(batch[0] == (try model.generate(prompts: [[1, 2]], configuration: greedy, rng: &a))[0])
    }

    /// The `llama_gqa` weights written as llama.cpp writes a GGUF (q/k rows permuted), by
    /// scripts/reference/make_llama_gguf_fixture.py: loading un-permutes them.
    @Test func aLlamaGGUFGivesTheTransformersLogits() throws {
        let fixture = try LlamaFixture("llama_gqa")
        let model = try ModelFile.load(LlamaFixture.root + "/llama_gqa.gguf")
        #expect(model.family == "llama" && model.dimensions.keyValueHeadCount == 2)
        let logits = try withoutGradients { try model.logits(fixture.batch) }
        #expect(relativeError(logits, try fixture.tensor("logits")) < 2e-5)
    }

    @Test func classificationHeadMatches() throws {
        let fixture = try LlamaFixture("llama_gqa")
        var state = try SafetensorsFile.read(path: fixture.directory + "/model/model.safetensors").tensors
        state["lm_head.weight"] = nil
        state["score.weight"] = try fixture.tensor("classifier.score.weight")
        let configuration = try LlamaConfiguration.load(path: fixture.directory + "/model/config.json")
        #expect(configuration.labelCount == 3)
        var rng = RandomGenerator(seed: 1)
        let classifier = try LlamaModel(configuration: configuration, head: .sequenceClassification, rng: &rng)
        try classifier.loadState(state, source: "fixture")
        let ids = try fixture.tensor("classifier.ids").doubles.map { Int($0) }
        let batch = try TokenBatch(ids: ids, batchSize: fixture.batch.batchSize, length: fixture.batch.length, attentionMask: fixture.batch.attentionMask)
        let logits = try withoutGradients { try classifier.classificationLogits(batch) }
        #expect(relativeError(logits, try fixture.tensor("classifier.logits")) < 2e-5)
    }

    @Test(arguments: ["llama_gqa", "qwen2_tied"])
    func checkpointAndFolderRoundTripsKeepTheLogits(_ name: String) throws {
        let fixture = try LlamaFixture(name)
        let model = try fixture.model()
        let folder = try temporaryFolder("llama")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ModelFile.save(model, to: folder + "/model.h5")
        let restored = try ModelFile.loadCheckpoint(folder + "/model.h5")
        #expect(restored.family == "llama")
        try ModelFile.saveHuggingFace(model, directory: folder + "/export")
        let exported = try ModelFile.load(folder + "/export")
        let reference = try withoutGradients { try model.logits(fixture.batch) }
        for other in [restored, exported] {
            #expect(try other.configurationJSON() == model.configurationJSON())
            #expect(relativeError(try withoutGradients { try other.logits(fixture.batch) }, reference) == 0)
        }
    }

    @Test func loRAAdaptsProjectionsAndStartsAtTheBaseModel() throws {
        let fixture = try LlamaFixture("llama_gqa")
        let model = try fixture.model()
        let before = try withoutGradients { try model.logits(fixture.batch) }
        var rng = RandomGenerator(seed: 3)
        let adapters = try model.applyLoRA(LoRAConfiguration(rank: 2, targets: ["q_proj", "v_proj", "down_proj"]), rng: &rng)
        #expect(adapters.prefixes.count == 6)
        #expect(relativeError(try withoutGradients { try model.logits(fixture.batch) }, before) < 1e-6)
        let loss = try model.languageModelLoss(fixture.batch, labels: fixture.labels)
        let gradients = try adapters.parameters.gradients(of: loss)
        #expect(gradients.norm() > 0)
        #expect(model.huggingFaceKey("model.layers.0.self_attn.q_proj") == "model.layers.0.self_attn.q_proj")
    }

    /// Re-saves every fixture model as a Hugging Face folder and reads it back; with
    /// LETHE_LLAMA_EXPORT_DIR set, leaves `<dir>/<case>` for scripts/reference/check_llama_export.py.
    @Test(arguments: LlamaFixture.cases)
    func exportsAFolderTransformersLoads(_ name: String) throws {
        let model = try LlamaFixture(name).model()
        let keep = ProcessInfo.processInfo.environment["LETHE_LLAMA_EXPORT_DIR"]
        let root = try keep ?? temporaryFolder("llama-export")
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: root) } }
        try model.save(huggingFaceDirectory: root + "/" + name)
        let again = try LlamaModel.load(huggingFaceDirectory: root + "/" + name)
        #expect(again.configuration == model.configuration)
        #expect(again.parameters.flat.floats == model.parameters.flat.floats)
    }

    @Test func attentionDropoutIsSeededAndOffInEvaluation() throws {
        let fixture = try LlamaFixture("llama_gqa")
        var c = try LlamaConfiguration.load(path: fixture.directory + "/model/config.json")
        c.attentionDropout = 0.2
        var rng = RandomGenerator(seed: 4)
        let model = try LlamaModel(configuration: c, rng: &rng)
        let evaluation = try model.languageModelLoss(fixture.batch, labels: fixture.labels).item()
        model.dropout = RandomGenerator(seed: 99)
        let first = try model.languageModelLoss(fixture.batch, labels: fixture.labels).item()
        model.dropout = RandomGenerator(seed: 99)
        #expect(try model.languageModelLoss(fixture.batch, labels: fixture.labels).item() == first)
        #expect(first != evaluation)
        model.dropout = nil
        #expect(try model.languageModelLoss(fixture.batch, labels: fixture.labels).item() == evaluation)
    }
}
