import LetheLayers
import LetheStorage
import LetheTensor
import Testing

@Suite("GPT-2 matches Hugging Face transformers on the golden fixture")
struct GPT2ParityTests {
    @Test func logitsAndLossMatch() throws {
        let fixture = try GPT2Fixture()
        let model = try fixture.model()
        let logits = try withoutGradients { try model.logits(fixture.batch) }
        #expect(relativeError(logits, try fixture.tensor("logits")) < 2e-5)
        let loss = try withoutGradients { try model.languageModelLoss(fixture.batch, labels: fixture.labels) }
        #expect(abs(try loss.item() - ((fixture.json["loss"] as? Double) ?? 0)) < 1e-5)
    }

    @Test func everyParameterGradientMatches() throws {
        let fixture = try GPT2Fixture()
        let model = try fixture.model()
        let loss = try model.languageModelLoss(fixture.batch, labels: fixture.labels)
        let gradients = try model.parameters.gradients(of: loss)
        #expect(gradients.names.count == 2 + 12 * 2 + 2)
        for (name, gradient) in zip(gradients.names, gradients.tensors) {
            let error = relativeError(gradient, try fixture.tensor("grad." + name))
            #expect(error < 5e-5, "\(name): relative error \(error)")
        }
    }

    @Test func classificationHeadMatches() throws {
        let fixture = try GPT2Fixture()
        var state = try SafetensorsFile.read(path: GPT2Fixture.directory + "/model/model.safetensors").tensors
        state["score.weight"] = try fixture.tensor("classifier.score.weight")
        var rng = RandomGenerator(seed: 1)
        let configuration = try GPT2Configuration.load(path: GPT2Fixture.directory + "/model/config.json")
        #expect(configuration.labelCount == 3)
        let classifier = try GPT2Model(configuration: configuration, head: .sequenceClassification, rng: &rng)
        try classifier.loadState(state, source: "fixture")
        let logits = try withoutGradients { try classifier.classificationLogits(fixture.batch) }
        #expect(relativeError(logits, try fixture.tensor("classifier.logits")) < 2e-5)
    }
}

@Suite("Training mode: seeded dropout")
struct TrainingModeTests {
    @Test func dropoutIsSeededAndOffInEvaluation() throws {
        let fixture = try GPT2Fixture()
        var c = try GPT2Configuration.load(path: GPT2Fixture.directory + "/model/config.json")
        (c.residualDropout, c.embeddingDropout, c.attentionDropout) = (0.1, 0.1, 0.1)
        var rng = RandomGenerator(seed: 4)
        let model = try GPT2Model(configuration: c, rng: &rng)
        let evaluation = try model.languageModelLoss(fixture.batch, labels: fixture.labels).item()
        model.dropout = RandomGenerator(seed: 99)
        let first = try model.languageModelLoss(fixture.batch, labels: fixture.labels).item()
        model.dropout = RandomGenerator(seed: 99)
        let again = try model.languageModelLoss(fixture.batch, labels: fixture.labels).item()
        let next = try model.languageModelLoss(fixture.batch, labels: fixture.labels).item()
        #expect(first == again)
        #expect(first != evaluation && next != first)
        model.dropout = nil
        #expect(try model.languageModelLoss(fixture.batch, labels: fixture.labels).item() == evaluation)
    }
}
