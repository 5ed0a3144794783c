import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import Testing

@Suite("BERT: LoRA, Hugging Face folders out and back, strict loading")
struct BertInteropTests {
    private func temporaryDirectory(_ name: String) -> String {
        NSTemporaryDirectory() + "lethe-bert-\(name)-\(UInt64.random(in: 0..<UInt64.max))"
    }

    /// PEFT's LoRA on `query` and `value` (r 4, alpha 8) with the fixture's A and B: the same
    /// logits, loss and adapter gradients; fused, the plain model gives the same logits.
    @Test func loraOnQueryAndValueMatchesPEFT() throws {
        let fixture = try BertFixture("bert_classifier_3")
        let expected = try SafetensorsFile.read(path: BertFixture.root + "/bert_lora/expected.safetensors").tensors
        let model = try fixture.model()
        var rng = RandomGenerator(seed: 3)
        let before = try withoutGradients { try model.classificationLogits(fixture.batch, tokenTypes: fixture.tokenTypes) }
        let adapters = try model.applyLoRA(LoRAConfiguration(rank: 4, alpha: 8, targets: ["query", "value"]), rng: &rng)
        #expect(adapters.prefixes.count == 4 && adapters.prefixes.allSatisfy { $0.hasSuffix(".query") || $0.hasSuffix(".value") })
        let unchanged = try withoutGradients { try model.classificationLogits(fixture.batch, tokenTypes: fixture.tokenTypes) }
        #expect(relativeError(unchanged, before) == 0)  // B = 0 at initialisation
        for name in adapters.parameters.names {
            guard let value = expected[name], let target = adapters.parameters[name] else {
                Issue.record("fixture lacks \(name)")
                continue
            }
            try target.assign(withoutGradients { try value.transposed() })  // PEFT: A [r, in], B [out, r]
        }
        let loss = try model.classificationLoss(fixture.batch, tokenTypes: fixture.tokenTypes, labels: [2, 0, 1])
        #expect(abs(try loss.item() - 2.57014536857605) < 1e-5)
        let gradients = try adapters.parameters.gradients(of: loss)
        for (name, gradient) in zip(gradients.names, gradients.tensors) {
            guard let value = expected["grad." + name] else {
                Issue.record("fixture lacks grad.\(name)")
                continue
            }
            let error = relativeError(gradient, try withoutGradients { try value.transposed() })
            #expect(error < 5e-5, "\(name): relative error \(error)")
        }
        #expect(try model.parameters.gradients(of: model.classificationLoss(fixture.batch, tokenTypes: fixture.tokenTypes, labels: [2, 0, 1])).norm() == 0)
        let adapted = try withoutGradients { try model.classificationLogits(fixture.batch, tokenTypes: fixture.tokenTypes) }
        #expect(relativeError(adapted, try #require(expected["logits"])) < 2e-5)
        try model.fuseLoRA()
        #expect(model.linears.values.allSatisfy { $0 is Linear })
        let fused = try withoutGradients { try model.classificationLogits(fixture.batch, tokenTypes: fixture.tokenTypes) }
        #expect(relativeError(fused, adapted) < 2e-5)
    }

    @Test(arguments: ["bert_classifier_3", "roberta_classifier_3", "bert_masked_lm", "roberta_masked_lm", "bert_model"])
    func savedFolderReloadsWithTheSameKeysAndOutputs(_ name: String) throws {
        let fixture = try BertFixture(name)
        let model = try fixture.model()
        let directory = temporaryDirectory(name)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try model.save(huggingFaceDirectory: directory)
        // scripts/reference/check_bert_export.py reads these with transformers.
        if let export = ProcessInfo.processInfo.environment["LETHE_EXPORT_DIR"] { try model.save(huggingFaceDirectory: export + "/" + name) }
        let original = try SafetensorsFile.read(path: fixture.directory + "/model/model.safetensors").tensors
        let saved = try SafetensorsFile.read(path: directory + "/model.safetensors").tensors
        #expect(saved.keys.sorted() == original.keys.sorted())
        for (key, value) in saved { #expect(value.floats == original[key]?.floats, "\(key)") }
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/config.json"))) as? [String: Any]
        #expect((config?["architectures"] as? [String]) == [model.architecture])
        let reloaded = try BertModel.load(huggingFaceDirectory: directory)
        #expect(reloaded.configuration == model.configuration && reloaded.head == model.head)
        let (a, b) = try withoutGradients {
            try (model.hiddenStates(fixture.batch, tokenTypes: fixture.tokenTypes), reloaded.hiddenStates(fixture.batch, tokenTypes: fixture.tokenTypes))
        }
        #expect(a.floats == b.floats)
    }

    @Test func strictLoadingNamesEveryMissingAndUnexpectedKey() throws {
        let fixture = try BertFixture("bert_classifier_3")
        var state = try SafetensorsFile.read(path: fixture.directory + "/model/model.safetensors").tensors
        state["bert.pooler.dense.bias"] = nil
        state["cls.seq_relationship.weight"] = Tensor(zeros: [2, 24])
        state["bert.embeddings.position_ids"] = Tensor(zeros: [1, 24])  // an old buffer, ignored
        let configuration = try BertConfiguration.load(path: fixture.directory + "/model/config.json")
        var rng = RandomGenerator(seed: 0)
        let model = try BertModel(configuration: configuration, head: .sequenceClassification, rng: &rng)
        #expect(throws: LayerError.stateMismatch(
            source: "state", missing: ["pooler.dense.bias"], unexpected: ["cls.seq_relationship.weight"], misshapen: [])
        ) { try model.loadState(state, source: "state") }
    }

    @Test func maskedLanguageModelRefusesAnUntiedDecoder() throws {
        let fixture = try BertFixture("bert_masked_lm")
        var state = try SafetensorsFile.read(path: fixture.directory + "/model/model.safetensors").tensors
        let model = try fixture.model()
        state["cls.predictions.decoder.weight"] = try #require(state["bert.embeddings.word_embeddings.weight"])
        try model.loadState(state, source: "tied")
        state["cls.predictions.decoder.weight"] = Tensor(zeros: [60, 24])
        #expect(throws: LayerError.self) { try model.loadState(state, source: "untied") }
    }

    @Test func configurationErrorsNameTheKey() throws {
        for (json, key) in [
            (#"{"model_type": "bert", "hidden_size": 10, "num_attention_heads": 3}"#, "hidden_size"),
            (#"{"model_type": "electra"}"#, "model_type"),
            (#"{"model_type": "bert", "hidden_act": "swish"}"#, "hidden_act"),
            (#"{"model_type": "bert", "position_embedding_type": "relative_key"}"#, "position_embedding_type"),
            (#"{"model_type": "bert", "problem_type": "ranking"}"#, "problem_type"),
        ] {
            #expect {
                try JSONDecoder().decode(BertConfiguration.self, from: Data(json.utf8))
            } throws: { error in
                guard case let LayerError.invalidConfiguration(found, _) = error else { return false }
                return found == key
            }
        }
        let roberta = try JSONDecoder().decode(BertConfiguration.self, from: Data(#"{"model_type": "roberta", "num_labels": 1}"#.utf8))
        #expect(roberta.padTokenID == 1 && roberta.resolvedProblemType == .regression)
    }
}

@Suite("BERT: a new head on a pretrained encoder")
struct BertNewHeadTests {
    @Test func maskedLanguageModelFolderStartsAClassifier() throws {
        let fixture = try BertFixture("bert_masked_lm")
        var rng = RandomGenerator(seed: 5)
        let (classifier, unused) = try BertModel.load(
            huggingFaceDirectory: fixture.directory + "/model", newHead: .sequenceClassification, labelCount: 2, rng: &rng)
        #expect(unused == ["cls.predictions.bias", "cls.predictions.transform.LayerNorm.bias", "cls.predictions.transform.LayerNorm.weight",
            "cls.predictions.transform.dense.bias", "cls.predictions.transform.dense.weight"])
        #expect(classifier.labelCount == 2 && classifier.configuration.resolvedProblemType == .singleLabelClassification)
        let source = try fixture.model()
        let (a, b) = try withoutGradients {
            try (classifier.hiddenStates(fixture.batch, tokenTypes: fixture.tokenTypes), source.hiddenStates(fixture.batch, tokenTypes: fixture.tokenTypes))
        }
        #expect(a.floats == b.floats)
        let weights = try #require(classifier.parameters["classifier.weight"]).doubles
        let std = (weights.map { $0 * $0 }.reduce(0, +) / Double(weights.count)).squareRoot()
        #expect(std > 0.01 && std < 0.04)  // transformers' N(0, 0.02)
        #expect(try #require(classifier.parameters["pooler.dense.bias"]).doubles.allSatisfy { $0 == 0 })
        let loss = try classifier.classificationLoss(fixture.batch, tokenTypes: fixture.tokenTypes, labels: [1, 0, 1])
        #expect(try loss.item().isFinite)
    }

    @Test func aMissingEncoderKeyStillThrows() throws {
        let fixture = try BertFixture("bert_masked_lm")
        var state = try SafetensorsFile.read(path: fixture.directory + "/model/model.safetensors").tensors
        state["bert.encoder.layer.1.output.dense.weight"] = nil
        var rng = RandomGenerator(seed: 5)
        let model = try BertModel(configuration: try BertConfiguration.load(path: fixture.directory + "/model/config.json"), head: .base, rng: &rng)
        #expect(throws: LayerError.stateMismatch(source: "s", missing: ["encoder.layer.1.output.dense.weight"], unexpected: [], misshapen: [])) {
            try model.loadEncoder(state, source: "s")
        }
    }
}
