import LetheOptions

extension ObjectiveRegistry {
    /// Builds the objective a recipe names (`objective: {name: grad_diff, gamma: 1}`).
    /// - Throws: `OptionError` at the choice's line for an unknown name (listing the
    ///   available ones) or a bad option; with `diagnostics`, option mistakes are recorded there.
    public func make(_ choice: PluginChoice, diagnostics: Diagnostics? = nil) throws -> any TrainingObjective {
        try Registry(kind: "objective", types.map { ($0.name, $0) }).build(choice, diagnostics: diagnostics) { try $0.init(options: $1) }
    }
}

extension CombinerRegistry {
    /// Builds the combiner a recipe names (`combiner: pcgrad` or `{name: sum, weight_forget: 2}`).
    /// - Throws: as `ObjectiveRegistry.make(_:diagnostics:)`.
    public func make(_ choice: PluginChoice, diagnostics: Diagnostics? = nil) throws -> any GradientCombiner {
        try Registry(kind: "combiner", types.map { ($0.name, $0) }).build(choice, diagnostics: diagnostics) { try $0.init(options: $1) }
    }
}
