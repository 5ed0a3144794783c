import LetheEvaluation
import LetheOptions
import LetheRecipes

/// A stage plugin: one kind of step of a recipe (`pretrain`, `unlearn`, `evaluate`, ...).
///
/// A stage is built from its recipe options when the run is planned, before stage 1: it
/// reads them strictly (`options.accept([...])` first; with the plan's diagnostics every
/// mistake is collected), resolves the plugin names it uses (objectives, combiners, suites)
/// against `plan.plugins`, and declares the data sets it reads. `run` then does the work on
/// the run's model and folder, and moves the run state forward when it is done (or at a
/// checkpoint inside it, so `lethe resume` continues from there).
///
/// Adding a stage kind is one type plus one line in `Plugins.stages`: no engine file names it.
public protocol Stage {
    /// The recipe key (`pretrain`).
    static var kind: String { get }
    /// One line for `lethe list`.
    static var summary: String { get }
    /// - Throws: `OptionError` (or records into `options.diagnostics`) for bad options.
    init(options: PluginOptions, plan: StagePlanContext) throws
    /// The data sets this stage reads, with the fields each record needs.
    var dataRequirements: [DataRequirement] { get }
    /// Runs (or, after a crash, continues) the stage as stage `index` of `run`.
    func run(in run: RunSession, index: Int) throws
}

extension Stage {
    public var dataRequirements: [DataRequirement] { [] }
}

/// What a stage sees while it is planned: the registries, the recipe, its own position and
/// the kinds of the other stages (e.g. `retrain` needs the model as it was after `pretrain`).
public struct StagePlanContext {
    public let plugins: Plugins
    public let recipe: Recipe
    public let index: Int
    /// Where the stage was written, for errors about it as a whole.
    public let origin: OptionOrigin
    public let diagnostics: Diagnostics

    /// The kinds of the recipe's stages, in order.
    public var kinds: [String] { recipe.stages.map(\.kind) }
}
