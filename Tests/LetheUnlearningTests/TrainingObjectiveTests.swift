import Foundation
import LetheLayers
import LetheTensor
import LetheTestSupport
import LetheText
import LetheUnlearning
import Testing

private func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }
private func bce(_ x: Double, _ y: Double) -> Double { -y * Foundation.log(sigmoid(x)) - (1 - y) * Foundation.log(1 - sigmoid(x)) }

/// A tiny GPT-2 with the classification head of `labels` outputs.
func tinyClassifier(labels: Int, seed: UInt64) throws -> GPT2Model {
    var rng = RandomGenerator(seed: seed)
    let c = GPT2Configuration(
        vocabularySize: 20, contextLength: 32, embeddingSize: 8, layerCount: 1, headCount: 2,
        residualDropout: 0, embeddingDropout: 0, attentionDropout: 0, labelCount: labels, padTokenID: 0)
    return try GPT2Model(configuration: c, head: .sequenceClassification, rng: &rng)
}

/// Labelled texts with two scores each, encoded one token per character.
func scoredExamples() throws -> [EncodedExample] {
    let texts: [(String, Int, Double, Double)] = [
        ("you fool", 1, 0.9, 0.2), ("good day", 0, 0.05, 0.0), ("go away now", 1, 0.7, 0.6), ("thanks a lot", 0, 0.1, 0.05),
        ("how dumb", 1, 0.8, 0.1), ("see you", 0, 0.0, 0.1),
    ]
    return try texts.map { text, label, insult, threat in
        try TextExample(text: text, label: label, scores: ["insult": insult, "threat": threat])
            .encoded(with: CharacterEncoder(), options: EncodingOptions())
    }
}

@Suite("next_token, classification and distillation: values and gradients")
struct TrainingObjectiveTests {
    /// logits [2, 3, 4]: position t predicts label t + 1; −100 and each row's last position do not count.
    @Test func nextTokenIsTheShiftedMeanCrossEntropy() throws {
        let logits = randomDoubles([2, 3, 4], low: -2, high: 2, seed: 3)
        let labels = [-100, 2, 1, 0, 3, -100]  // counted targets: (0,0)→2, (0,1)→1, (1,0)→3
        let x = logits.doubles
        func nll(_ row: Int, _ t: Int, _ target: Int) -> Double {
            let z = Array(x[((row * 3 + t) * 4)..<((row * 3 + t + 1) * 4)])
            return Foundation.log(z.reduce(0) { $0 + Foundation.exp($1) }) - z[target]
        }
        let expected = (nll(0, 0, 2) + nll(0, 1, 1) + nll(1, 0, 3)) / 3
        #expect(abs(try NextToken.loss(logits: logits, labels: labels).item() - expected) < 1e-12)
        let check = try checkGradients([logits]) { try NextToken.loss(logits: $0[0], labels: labels) }
        #expect(check.passed, "\(check)")
    }

    @Test func nextTokenObjectiveIsTheModelsLanguageModelLoss() throws {
        var rng = RandomGenerator(seed: 4)
        let c = GPT2Configuration(vocabularySize: 20, contextLength: 32, embeddingSize: 8, layerCount: 1, headCount: 2)
        let model = try GPT2Model(configuration: c, rng: &rng)
        let train = try toyExamples([("Say", " hello"), ("Hi", " there you")]).padded()
        let losses = try ObjectiveRegistry.builtIn.make("next_token").losses(model: model, reference: nil, batch: TrainingBatch(train: train))
        #expect(losses.map(\.name) == ["train"])
        let direct = try model.languageModelLoss(train.tokens, labels: train.labels).item()
        #expect(abs(try losses[0].value.item() - direct) < 1e-6)
        #expect(throws: UnlearningError.self) { try NextToken().losses(model: model, reference: nil, batch: TrainingBatch(forget: train)) }
    }

    @Test func classificationLossesMatchTheirFormulas() throws {
        // cross_entropy: logits [3, 2], labels 1, 0, 1.
        let two = randomDoubles([3, 2], low: -2, high: 2, seed: 5)
        let z = two.doubles
        let ce = [1, 0, 1].enumerated().map { b, c in
            Foundation.log(Foundation.exp(z[2 * b]) + Foundation.exp(z[2 * b + 1])) - z[2 * b + c]
        }.reduce(0, +) / 3
        #expect(abs(try Classification.loss(.crossEntropy, logits: two, classLabels: [1, 0, 1], targets: nil).item() - ce) < 1e-12)
        // bce: one logit per row.
        let one = randomDoubles([3, 1], low: -3, high: 3, seed: 6)
        let b = zip(one.doubles, [1.0, 0, 1]).map { bce($0, $1) }.reduce(0, +) / 3
        #expect(abs(try Classification.loss(.bce, logits: one, classLabels: [1, 0, 1], targets: nil).item() - b) < 1e-12)
        // multilabel_bce and mse on soft targets [3, 2].
        let targets: [[Float]] = [[0.25, 1], [0, 0.5], [0.75, 0.125]]
        let flat = targets.joined().map(Double.init)
        let multi = zip(z, flat).map { bce($0, $1) }.reduce(0, +) / 6
        let mse = zip(z, flat).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / 6
        #expect(abs(try Classification.loss(.multilabelBCE, logits: two, classLabels: [nil, nil, nil], targets: targets).item() - multi) < 1e-12)
        #expect(abs(try Classification.loss(.mse, logits: two, classLabels: [nil, nil, nil], targets: targets).item() - mse) < 1e-12)
        for (kind, input) in [(Classification.Loss.crossEntropy, two), (.bce, one), (.multilabelBCE, two), (.mse, two)] {
            let check = try checkGradients([input]) { try Classification.loss(kind, logits: $0[0], classLabels: [1, 0, 1], targets: targets) }
            #expect(check.passed, "\(kind): \(check)")
        }
    }

    @Test func classificationRefusesWhatItCannotRead() throws {
        let two = randomDoubles([2, 2], seed: 7)
        #expect(throws: UnlearningError.self) { try Classification.loss(.bce, logits: two, classLabels: [1, 0], targets: nil) }
        #expect(throws: UnlearningError.self) { try Classification.loss(.crossEntropy, logits: two, classLabels: [1, nil], targets: nil) }
        #expect(throws: UnlearningError.self) { try Classification.loss(.crossEntropy, logits: two, classLabels: [1, 2], targets: nil) }
        #expect(throws: UnlearningError.self) { try Classification.loss(.mse, logits: two, classLabels: [1, 0], targets: nil) }
        #expect(throws: UnlearningError.self) { try Classification.loss(.multilabelBCE, logits: two, classLabels: [1, 0], targets: [[0, 2], [0, 1]]) }
        #expect(throws: OptionError.self) { try ObjectiveRegistry.builtIn.make("classification", options: ["loss": .text("hinge")]) }
    }

    @Test func classificationObjectiveReadsTheModelsHead() throws {
        let model = try tinyClassifier(labels: 2, seed: 8)
        let train = try scoredExamples().prefix(3).map { $0 }.padded(scoreNames: ["insult", "threat"])
        for kind in Classification.Loss.allCases where kind != .bce {
            let objective = try ObjectiveRegistry.builtIn.make("classification", options: ["loss": .text(kind.rawValue)])
            let losses = try objective.losses(model: model, reference: nil, batch: TrainingBatch(train: train))
            let direct = try Classification.loss(kind, logits: model.classificationLogits(train.tokens), classLabels: train.classLabels, targets: train.targets)
            let (value, expected) = (try losses[0].value.item(), try direct.item())
            #expect(losses.map(\.name) == ["train"] && abs(value - expected) < 1e-6)
        }
    }

    /// σ BCE(z₀, y) + (1 − σ) MSE(z₁…z_K, s) on logits [2, 3] (K = 2).
    @Test func distillationIsTheSeedsWeightedSum() throws {
        let logits = randomDoubles([2, 3], low: -2, high: 2, seed: 9)
        let z = logits.doubles
        let (labels, scores): ([Int?], [[Float]]) = ([1, 0], [[0.5, 0.25], [0, 1]])
        let sigma = 0.8
        let toxicity = (bce(z[0], 1) + bce(z[3], 0)) / 2
        let mse = ((z[1] - 0.5) * (z[1] - 0.5) + (z[2] - 0.25) * (z[2] - 0.25) + z[4] * z[4] + (z[5] - 1) * (z[5] - 1)) / 4
        let (t, s) = try Distillation.losses(logits: logits, classLabels: labels, targets: scores, sigma: sigma)
        let (tv, sv) = (try t.item(), try s.item())
        #expect(abs(tv - sigma * toxicity) < 1e-12 && abs(sv - (1 - sigma) * mse) < 1e-12)
        let check = try checkGradients([logits]) { x in
            let (t, s) = try Distillation.losses(logits: x[0], classLabels: labels, targets: scores, sigma: 0.3)
            return try t + s
        }
        #expect(check.passed, "\(check)")
    }

    @Test func distillationObjectiveSplitsIntoTwoLossesThatSumToOne() throws {
        let model = try tinyClassifier(labels: 3, seed: 10)
        let train = try scoredExamples().prefix(4).map { $0 }.padded(scoreNames: ["insult", "threat"])
        let batch = TrainingBatch(train: train)
        let whole = try ObjectiveRegistry.builtIn.make("distillation", options: ["sigma": .number(0.8)]).losses(model: model, reference: nil, batch: batch)
        let split = try ObjectiveRegistry.builtIn.make("distillation", options: ["sigma": .number(0.8), "split": .flag(true)])
            .losses(model: model, reference: nil, batch: batch)
        #expect(whole.map(\.name) == ["train"] && split.map(\.name) == ["toxicity", "scores"])
        let (w, a, b) = (try whole[0].value.item(), try split[0].value.item(), try split[1].value.item())
        #expect(abs(w - (a + b)) < 1e-6)
        #expect(throws: UnlearningError.self) { try ObjectiveRegistry.builtIn.make("distillation", options: ["sigma": .number(1.5)]) }
        let unscored = try scoredExamples().prefix(2).map { $0 }.padded()
        #expect(throws: UnlearningError.self) {
            try Distillation(options: PluginOptions()).losses(model: model, reference: nil, batch: TrainingBatch(train: unscored))
        }
    }
}
