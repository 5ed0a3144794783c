import LetheEngine

/// The example's plugins, registered once: Lethe's built-in ones plus the four of this
/// package. `lethe-plugins` runs with them, so its recipes (and `resume`, `recipe check`,
/// `list`, `eval`) know the four names.
public enum ExamplePlugins {
    public static let all = Plugins.builtIn
        .adding(objective: MaxEntropy.self)  // objective: {name: max_entropy}
        .adding(combiner: MeanCombiner.self)  // combiner: mean
        .adding(stage: ShrinkStage.self)  // - shrink: {factor: 0.9}
        .adding(suite: WeightNormSuite.self)  // evaluate: {weight_norm: {}}
}
