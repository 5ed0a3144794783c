import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import Testing

let classifierCases = ["bert_classifier_3", "bert_regression_1", "bert_multilabel_3", "roberta_classifier_3", "roberta_regression_1"]
let maskedLanguageModelCases = ["bert_masked_lm", "roberta_masked_lm"]

@Suite("BERT and RoBERTa match Hugging Face transformers on the golden fixtures")
struct BertParityTests {
    @Test(arguments: classifierCases)
    func classifierLogitsLossAndGradientsMatch(_ name: String) throws {
        let fixture = try BertFixture(name)
        let model = try fixture.model()
        #expect(model.head == .sequenceClassification)
        let logits = try withoutGradients { try model.classificationLogits(fixture.batch, tokenTypes: fixture.tokenTypes) }
        #expect(relativeError(logits, try fixture.tensor("logits")) < 2e-5)
        let hidden = try withoutGradients { try model.hiddenStates(fixture.batch, tokenTypes: fixture.tokenTypes) }
        #expect(relativeError(hidden, try fixture.tensor("hidden")) < 2e-5)
        let loss = try model.classificationLoss(fixture.batch, tokenTypes: fixture.tokenTypes, labels: fixture.labels ?? [])
        #expect(abs(try loss.item() - (fixture.loss ?? .nan)) < 1e-5 * (1 + abs(fixture.loss ?? 0)))
        try expectGradients(model, loss: loss, fixture: fixture)
    }

    @Test(arguments: maskedLanguageModelCases)
    func maskedLanguageModelMatches(_ name: String) throws {
        let fixture = try BertFixture(name)
        let model = try fixture.model()
        #expect(model.head == .maskedLanguageModel)
        let logits = try withoutGradients { try model.maskedLanguageModelLogits(fixture.batch, tokenTypes: fixture.tokenTypes) }
        #expect(relativeError(logits, try fixture.tensor("logits")) < 2e-5)
        let labels = (fixture.labels ?? []).map { Int($0) }
        let loss = try model.maskedLanguageModelLoss(fixture.batch, tokenTypes: fixture.tokenTypes, labels: labels)
        #expect(abs(try loss.item() - (fixture.loss ?? .nan)) < 1e-5 * (1 + abs(fixture.loss ?? 0)))
        try expectGradients(model, loss: loss, fixture: fixture)
    }

    @Test func bareModelPoolsLikeTransformers() throws {
        let fixture = try BertFixture("bert_model")
        let model = try fixture.model()
        #expect(model.head == .base && model.hasPooler)
        let (hidden, pooled, mean) = try withoutGradients {
            try (
                model.hiddenStates(fixture.batch, tokenTypes: fixture.tokenTypes),
                model.pooledOutput(fixture.batch, tokenTypes: fixture.tokenTypes),
                model.meanPooled(fixture.batch, tokenTypes: fixture.tokenTypes)
            )
        }
        #expect(relativeError(hidden, try fixture.tensor("hidden")) < 2e-5)
        #expect(relativeError(pooled, try fixture.tensor("pooled")) < 2e-5)
        #expect(relativeError(mean, try fixture.tensor("mean_pooled")) < 2e-5)
        let layers = try withoutGradients { try model.allHiddenStates(fixture.batch, tokenTypes: fixture.tokenTypes) }
        #expect(layers.count == model.configuration.layerCount + 1)
        for (index, layer) in layers.enumerated() {
            #expect(relativeError(layer, try fixture.tensor("hidden.\(index)")) < 2e-5, "layer \(index)")
        }
    }

    @Test func robertaPositionsStartAfterPadding() throws {
        let fixture = try BertFixture("roberta_classifier_3")
        let model = try fixture.model()
        let batch = try TokenBatch(ids: [0, 7, 2, 1, 1, 0, 9, 9, 8, 2], batchSize: 2, length: 5)
        #expect(model.positionIDs(batch) == [2, 3, 4, 1, 1, 2, 3, 4, 5, 6])
    }

    private func expectGradients(_ model: BertModel, loss: Tensor, fixture: BertFixture) throws {
        let gradients = try model.parameters.gradients(of: loss)
        #expect(gradients.names.sorted() == fixture.gradientNames)
        for (name, gradient) in zip(gradients.names, gradients.tensors) {
            let error = relativeError(gradient, try fixture.tensor("grad." + name))
            #expect(error < 5e-5, "\(name): relative error \(error)")
        }
    }
}

@Suite("BERT training mode: seeded dropout")
struct BertTrainingModeTests {
    @Test func dropoutIsSeededAndOffInEvaluation() throws {
        let fixture = try BertFixture("bert_classifier_3")
        var c = try BertConfiguration.load(path: fixture.directory + "/model/config.json")
        (c.hiddenDropout, c.attentionDropout) = (0.1, 0.1)
        var rng = RandomGenerator(seed: 4)
        let model = try BertModel(configuration: c, head: .sequenceClassification, rng: &rng)
        func loss() throws -> Double { try model.classificationLoss(fixture.batch, tokenTypes: fixture.tokenTypes, labels: [2, 0, 1]).item() }
        let evaluation = try loss()
        model.dropout = RandomGenerator(seed: 99)
        let first = try loss()
        model.dropout = RandomGenerator(seed: 99)
        let again = try loss()
        let next = try loss()
        #expect(first == again)
        #expect(first != evaluation && next != first)
        model.dropout = nil
        #expect(try loss() == evaluation)
    }
}
