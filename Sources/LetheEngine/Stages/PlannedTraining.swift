import LetheOptions
import LetheUnlearning

/// The part every training stage shares at plan time: its `TrainingOptions` read over the
/// stage's defaults, plus its objective and combiner built from the registries (so a wrong
/// name or option is found before stage 1).
public struct PlannedTraining {
    public let options: TrainingOptions
    public let objective: any TrainingObjective
    public let combiner: any GradientCombiner

    /// - Parameters:
    ///   - extraKeys: the stage's own keys besides `TrainingOptions.keys`.
    ///   - defaults: the stage's defaults (objective included).
    /// - Throws: `OptionError`, or `AlreadyReported` when collecting into the plan's diagnostics.
    public init(_ options: PluginOptions, plan: StagePlanContext, defaults: TrainingOptions, extraKeys: [String] = []) throws {
        try options.accept(TrainingOptions.keys + extraKeys)
        let read = try defaults.read(options)
        let d = options.diagnostics
        let objective = try Diagnostics.collect(d, origin: plan.origin) { try plan.plugins.objectives.make(read.objective, diagnostics: d) }
        let combiner = try Diagnostics.collect(d, origin: plan.origin) { try plan.plugins.combiners.make(read.combiner, diagnostics: d) }
        guard let objective, let combiner else { throw AlreadyReported() }
        (self.options, self.objective, self.combiner) = (read, objective, combiner)
    }

    /// The stage's seed: its own `seed` option, or the recipe's.
    public func seed(_ run: RunSession) -> UInt64 { options.seed ?? run.recipe.seed }
}
