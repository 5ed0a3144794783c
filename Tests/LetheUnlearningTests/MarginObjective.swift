import LetheLayers
import LetheTensor
import LetheUnlearning

/// The plugin proof: an objective defined outside the library, in its own file, with no
/// edit to Lethe. It pushes the forget answers' mean NLL up to a margin and no further,
///
///     forget = max(0, margin − CE(θ; x_f, y_f))     retain = CE(θ; x_r, y_r)
///
/// (max(0, m − x) written as ReLU via (|z| + z)/2 with |z| = √(z² + ε) for a smooth tensor op).
/// Option `margin` (default 5). Setting `margin` to "nan" makes the loss NaN (for the
/// trainer's non-finite-loss test).
struct MarginObjective: TrainingObjective {
    static let name = "forget_margin"
    var parts: [String] { [TrainingBatch.forget, TrainingBatch.retain] }
    let margin: Double
    let poison: Bool

    init(options: PluginOptions) throws {
        try options.accept(["margin", "poison"])
        margin = try options.number("margin", default: 5)
        poison = try options.flag("poison", default: false)
    }

    func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss] {
        let model = try model.languageModel(for: Self.name)
        guard let forget = batch.forget, let retain = batch.retain else {
            throw UnlearningError.missingBatch(owner: Self.name, part: "forget and retain")
        }
        let gap = try model.languageModelLoss(forget.tokens, labels: forget.labels).affine(scale: -1, shift: margin)
        var hinge = try ((gap * gap + 1e-8).sqrt() + gap) * 0.5
        if poison { hinge = hinge.affine(scale: 1, shift: .nan) }
        return [
            NamedLoss("forget", hinge),
            NamedLoss("retain", try model.languageModelLoss(retain.tokens, labels: retain.labels)),
        ]
    }
}
