import LetheEngine
import LetheOptions

/// `shrink`: multiplies every parameter of the run's model (weights, biases, LayerNorm gains)
/// by `factor`, θ ← c ⋅ θ: the weight shrinkage of "shrink and perturb" (Ash & Adams 2020),
/// here as a stage of its own to show what a stage plugin does. No data, no training.
///
///     - shrink: {factor: 0.9}
///
/// Options: `factor` (0.9), a positive number.
///
/// Crash safety comes from `RunSession.finish`: the shrunk model is written whole as the
/// stage's checkpoint before `state.json` points past the stage. Killed before that, the run
/// resumes from the previous stage's checkpoint and shrinks again, to the same weights.
public struct ShrinkStage: Stage {
    public static let kind = "shrink"
    public static let summary = "multiply every parameter of the model by a factor (weight shrinkage)"
    public let factor: Double

    public init(options: PluginOptions, plan: StagePlanContext) throws {
        try options.accept(["factor"])
        factor = try options.positive("factor", default: 0.9)
    }

    public func run(in run: RunSession, index: Int) throws {
        let model = run.model
        model.parameters.flat.scaleInPlace(factor)
        run.log("  every parameter × \(factor)")
        try run.finish(stage: index, model: model, label: "\(run.state.label), shrunk ×\(factor)")
    }
}
