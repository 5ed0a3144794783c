import Foundation
import LetheLayers
import LetheTensor
import LetheText
import LetheUnlearning
import Testing

/// One token per character (scalar value mod 20): enough text machinery for tiny models.
private func batch(_ pairs: [(String, String)]) throws -> LabelledBatch {
    try pairs.map { try TextExample(prompt: $0.0, completion: $0.1).encoded(with: CharacterEncoder(), options: EncodingOptions()) }.padded()
}

private func tinyModel(seed: UInt64) throws -> GPT2Model {
    var rng = RandomGenerator(seed: seed)
    let c = GPT2Configuration(
        vocabularySize: 20, contextLength: 32, embeddingSize: 8, layerCount: 1, headCount: 2,
        residualDropout: 0, embeddingDropout: 0, attentionDropout: 0)
    let model = try GPT2Model(configuration: c, rng: &rng)
    for t in model.parameters.tensors { t.fill { rng.nextNormal() * 0.5 } }  // sharper than 0.02
    return model
}

/// Direct computation from the logits: per row, Σ log p(target) over counted targets, and counts.
private func direct(_ model: any CausalLanguageModel, _ b: LabelledBatch) throws -> (logProbabilities: [Double], counts: [Int], meanNLL: Double) {
    let logits = try withoutGradients { try model.logits(b.tokens) }.doubles
    let (B, T, V) = (b.tokens.batchSize, b.tokens.length, model.dimensions.vocabularySize)
    var sums = [Double](repeating: 0, count: B)
    var counts = [Int](repeating: 0, count: B)
    for r in 0..<B {
        for t in 0..<(T - 1) where b.labels[r * T + t + 1] != -100 {
            let row = Array(logits[((r * T + t) * V)..<((r * T + t + 1) * V)])
            let m = row.max() ?? 0
            let lse = m + Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - m) })
            sums[r] += row[b.labels[r * T + t + 1]] - lse
            counts[r] += 1
        }
    }
    return (sums, counts, -sums.reduce(0, +) / Double(counts.reduce(0, +)))
}

private func logSigmoid(_ x: Double) -> Double { min(x, 0) - Foundation.log1p(Foundation.exp(-abs(x))) }

private func loss(_ losses: [NamedLoss], _ name: String) throws -> Double {
    guard let l = losses.first(where: { $0.name == name }) else { throw UnlearningError.invalidInput("no \(name) loss") }
    return try l.value.item()
}

@Suite("Objectives against direct computations on a tiny model")
struct ObjectiveTests {
    let forget: LabelledBatch
    let retain: LabelledBatch
    let refusal: LabelledBatch

    init() throws {
        forget = try batch([("Tell me", " you idiot"), ("Why?", " shut up")])
        retain = try batch([("Hello", " good day"), ("Thanks", " welcome!")])
        refusal = try batch([("Tell me", " I don't know."), ("Why?", " I can't say.")])
    }

    @Test func gradAscentAndGradDiff() throws {
        let model = try tinyModel(seed: 1)
        let f = try direct(model, forget)
        let r = try direct(model, retain)
        let ga = try ObjectiveRegistry.builtIn.make("grad_ascent", options: ["gamma": .number(2)])
        let ascent = try loss(ga.losses(model: model, reference: nil, batch: TrainingBatch(forget: forget)), "forget")
        #expect(abs(ascent + 2 * f.meanNLL) < 1e-5)
        let gd = try ObjectiveRegistry.builtIn.make("grad_diff", options: ["alpha": .number(0.5)])
        let losses = try gd.losses(model: model, reference: nil, batch: TrainingBatch(forget: forget, retain: retain))
        let (forgetLoss, retainLoss) = (try loss(losses, "forget"), try loss(losses, "retain"))
        #expect(abs(forgetLoss + f.meanNLL) < 1e-5)
        #expect(abs(retainLoss - 0.5 * r.meanNLL) < 1e-5)
    }

    @Test func klRetainIsZeroAtTheReferenceAndPositiveAway() throws {
        let model = try tinyModel(seed: 2)
        let reference = ReferenceModel(model: try model.copy())
        let gd = try ObjectiveRegistry.builtIn.make("grad_diff", options: ["retain_loss": .text("kl")])
        #expect(gd.usesReferenceModel)
        let at = try loss(gd.losses(model: model, reference: reference, batch: TrainingBatch(forget: forget, retain: retain)), "retain")
        #expect(abs(at) < 1e-6)
        try model.parameters.flat.addInPlace(Tensor.randomNormal([model.parameters.scalarCount], std: 0.1, using: &rngHolder.rng))
        let away = try loss(gd.losses(model: model, reference: reference, batch: TrainingBatch(forget: forget, retain: retain)), "retain")
        #expect(away > 1e-4)
    }

    @Test func npoSimNPOAndDPOMatchTheirFormulas() throws {
        let model = try tinyModel(seed: 3)
        let reference = ReferenceModel(model: try model.copy())
        let beta = 0.5
        // At the reference every log-ratio is 0: the loss is (2/β) log 2.
        let npo = try ObjectiveRegistry.builtIn.make("npo", options: ["beta": .number(beta)])
        let atReference = try loss(npo.losses(model: model, reference: reference, batch: TrainingBatch(forget: forget)), "forget")
        #expect(abs(atReference - 2 / beta * Foundation.log(2)) < 1e-5)
        let dpo = try ObjectiveRegistry.builtIn.make("idk_dpo", options: ["beta": .number(beta)])
        #expect(!dpo.preferredAnswers.isEmpty && dpo.usesReferenceModel)
        let both = TrainingBatch(forget: forget, retain: retain, preferred: refusal)
        #expect(abs(try loss(dpo.losses(model: model, reference: reference, batch: both), "forget") - 2 / beta * Foundation.log(2)) < 1e-5)
        // Away from the reference: compare with the direct formulas.
        try model.parameters.flat.addInPlace(Tensor.randomNormal([model.parameters.scalarCount], std: 0.2, using: &rngHolder.rng))
        let (f, f0) = (try direct(model, forget), try direct(reference.model, forget))
        let (w, w0) = (try direct(model, refusal), try direct(reference.model, refusal))
        let npoExpected = -2 / beta * zip(f.logProbabilities, f0.logProbabilities).map { logSigmoid(-beta * ($0 - $1)) }.reduce(0, +) / 2
        #expect(abs(try loss(npo.losses(model: model, reference: reference, batch: TrainingBatch(forget: forget)), "forget") - npoExpected) < 1e-4)
        let dpoExpected = -2 / beta * (0..<2).map { i in
            logSigmoid(beta * ((w.logProbabilities[i] - w0.logProbabilities[i]) - (f.logProbabilities[i] - f0.logProbabilities[i])))
        }.reduce(0, +) / 2
        let dpoLosses = try dpo.losses(model: model, reference: reference, batch: both)
        #expect(abs(try loss(dpoLosses, "forget") - dpoExpected) < 1e-4)
        #expect(abs(try loss(dpoLosses, "retain") - (try direct(model, retain).meanNLL)) < 1e-5)
        let simnpo = try ObjectiveRegistry.builtIn.make("simnpo", options: ["beta": .number(2), "delta": .number(0.3), "gamma": .number(1)])
        let simExpected = -2 / 2.0 * (0..<2).map { i in
            logSigmoid(-2 * f.logProbabilities[i] / Double(f.counts[i]) - 0.3)
        }.reduce(0, +) / 2
        #expect(abs(try loss(simnpo.losses(model: model, reference: nil, batch: TrainingBatch(forget: forget)), "forget") - simExpected) < 1e-4)
        #expect(reference.hits > 0)  // the frozen model's sequence log-probs came from the cache
    }

    @Test func idkSFTAndRetainOnlyObjectives() throws {
        let model = try tinyModel(seed: 4)
        let sft = try ObjectiveRegistry.builtIn.make("idk_sft")
        let losses = try sft.losses(model: model, reference: nil, batch: TrainingBatch(forget: forget, retain: retain, preferred: refusal))
        #expect(abs(try loss(losses, "forget") - (try direct(model, refusal).meanNLL)) < 1e-5)
        let nll = try ObjectiveRegistry.builtIn.make("retain_nll")
        #expect(abs(try loss(nll.losses(model: model, reference: nil, batch: TrainingBatch(retain: retain)), "retain") - (try direct(model, retain).meanNLL)) < 1e-5)
        let kl = try ObjectiveRegistry.builtIn.make("retain_kl")
        #expect(abs(try loss(kl.losses(model: model, reference: ReferenceModel(model: try model.copy()), batch: TrainingBatch(retain: retain)), "retain")) < 1e-6)
    }

    @Test func missingPartsAndBadOptionsAreNamed() throws {
        let model = try tinyModel(seed: 5)
        #expect(throws: UnlearningError.missingBatch(owner: "grad_diff", part: "retain")) {
            try ObjectiveRegistry.builtIn.make("grad_diff").losses(model: model, reference: nil, batch: TrainingBatch(forget: forget))
        }
        do {
            _ = try ObjectiveRegistry.builtIn.make("npo", options: ["betta": .number(1)])
            Issue.record("should fail")
        } catch {
            #expect("\(error)".contains("betta") && "\(error)".contains("beta"))
        }
        #expect(throws: OptionError.self) { try ObjectiveRegistry.builtIn.make("npo", options: ["beta": .number(-1)]) }
        #expect(throws: UnlearningError.self) { try ObjectiveRegistry.builtIn.make("gradient_ascent") }
        #expect(ObjectiveRegistry.builtIn.names.contains("idk_dpo"))
    }
}

/// A generator for perturbations shared by the tests above (each test owns its model).
private final class RNGHolder: @unchecked Sendable { var rng = RandomGenerator(seed: 77) }
private let rngHolder = RNGHolder()
