import LetheEvaluation
import LetheOptions
import LetheUnlearning

/// Every registry a run resolves names against: stages, objectives, combiners, evaluation
/// suites. `Plugins.builtIn` holds Lethe's own; a package that depends on Lethe adds its
/// plugins with `adding(...)` and passes the result to `RecipeRunner` (and to `lethe`-like
/// commands), so the same names work in its recipes, in `resume` and in `recipe check`.
public struct Plugins {
    public var stages: Registry<any Stage.Type>
    public var objectives: ObjectiveRegistry
    public var combiners: CombinerRegistry
    public var suites: Registry<any EvaluationSuite.Type>

    public init(
        stages: Registry<any Stage.Type>, objectives: ObjectiveRegistry, combiners: CombinerRegistry,
        suites: Registry<any EvaluationSuite.Type>
    ) {
        (self.stages, self.objectives, self.combiners, self.suites) = (stages, objectives, combiners, suites)
    }

    /// Lethe's built-in plugins.
    public static let builtIn = Plugins(
        stages: Registry(kind: "stage", [
            (PretrainStage.kind, PretrainStage.self),
            (FinetuneStage.kind, FinetuneStage.self),
            (RetrainStage.kind, RetrainStage.self),
            (UnlearnStage.kind, UnlearnStage.self),
            (EvaluateStage.kind, EvaluateStage.self),
            (TrainClassifierStage.kind, TrainClassifierStage.self),
        ]),
        objectives: .builtIn, combiners: .builtIn, suites: EvaluationSuites.builtIn)

    /// With a stage type added (replacing a built-in of the same kind).
    public func adding(stage: any Stage.Type) -> Plugins {
        var copy = self
        copy.stages = stages.adding(stage.kind, stage)
        return copy
    }

    public func adding(suite: any EvaluationSuite.Type) -> Plugins {
        var copy = self
        copy.suites = suites.adding(suite.name, suite)
        return copy
    }

    public func adding(objective: any TrainingObjective.Type) -> Plugins {
        var copy = self
        copy.objectives = objectives.adding(objective)
        return copy
    }

    public func adding(combiner: any GradientCombiner.Type) -> Plugins {
        var copy = self
        copy.combiners = combiners.adding(combiner)
        return copy
    }
}
