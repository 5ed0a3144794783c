import Foundation
import LetheEvaluation
import LetheOptions
import LetheRecipes
import LetheText

/// A recipe resolved before its first stage runs: every stage built from its options by its
/// plugin (objectives, combiners, suites and attacks looked up), the model's configuration
/// and the files it names checked, and every data set a stage reads present with the fields
/// it needs. A plan is made in one pass that collects every mistake, so a recipe with ten
/// mistakes gets ten messages (`OptionErrors`), each with file, line and key path, and a
/// typo never costs a training run.
public struct RunPlan {
    public let recipe: Recipe
    public let plugins: Plugins
    /// One per recipe stage, in order.
    public let stages: [any Stage]

    /// Plans `recipe`. With `data`, its sets are checked against what the stages read, and
    /// data files that no stage reads are mistakes too.
    /// - Throws: `OptionErrors` listing every problem found.
    public static func make(_ recipe: Recipe, plugins: Plugins, data: Datasets?) throws -> RunPlan {
        let diagnostics = Diagnostics()
        let plan = make(recipe, plugins: plugins, diagnostics: diagnostics) { _ in data }?.plan
        try diagnostics.check()
        guard let plan else { throw OptionErrors(problems: [OptionError(origin: OptionOrigin(file: recipe.file), reason: "the recipe could not be planned")]) }
        return plan
    }

    /// Plans `recipe`, recording problems into `diagnostics`. `load` gets the data once the
    /// stages are built, told how each set's plain-text file is read (a `.txt` of held-out
    /// text is one document for perplexity, as `lethe eval perplexity` reads it); nil when a
    /// stage could not be built.
    static func make(
        _ recipe: Recipe, plugins: Plugins, diagnostics: Diagnostics, load: ([String: DatasetLoader.TextUnit]) -> Datasets?
    ) -> (plan: RunPlan, data: Datasets?)? {
        var stages: [any Stage] = []
        for (index, written) in recipe.stages.enumerated() {
            let origin = written.origin.child(written.kind)
            let context = StagePlanContext(plugins: plugins, recipe: recipe, index: index, origin: origin, diagnostics: diagnostics)
            let stage = diagnostics.collect(origin: origin, owner: "stage \(written.kind)") { () throws -> any Stage in
                let type = try plugins.stages.lookup(written.kind, origin: written.origin)
                let options = try PluginOptions(node: written.options, owner: "stage \(written.kind)", diagnostics: diagnostics)
                return try type.init(options: options, plan: context)
            }
            if let stage { stages.append(stage) }
        }
        ModelSources.check(recipe, diagnostics: diagnostics)
        var units: [String: DatasetLoader.TextUnit] = [:]
        for requirement in stages.flatMap(\.dataRequirements) where units[requirement.name] != .document {
            units[requirement.name] = requirement.textUnit
        }
        let data = load(units)
        if let data { check(data, for: stages, recipe: recipe, diagnostics: diagnostics) }
        guard stages.count == recipe.stages.count else { return nil }
        return (RunPlan(recipe: recipe, plugins: plugins, stages: stages), data)
    }

    /// Every set the stages read is present with its fields; every file given is read.
    private static func check(_ data: Datasets, for stages: [any Stage], recipe: Recipe, diagnostics: Diagnostics) {
        var read: Set<String> = []
        for (index, stage) in stages.enumerated() {
            let written = recipe.stages[index]
            let owner = "stage \(written.kind)"
            for requirement in stage.dataRequirements {
                read.insert(requirement.name)
                guard data.sets[requirement.name] != nil else {
                    if data.sources[requirement.name] != nil { continue }  // given, but unreadable: reported when loaded
                    let reason = "needs the data set '\(requirement.name)' (\(requirement.role)), which the recipe does not give (data.files.\(requirement.name))"
                    diagnostics.report(OptionError(origin: requirement.origin, owner: owner, reason: reason))
                    continue
                }
                diagnostics.collect(origin: requirement.origin, owner: owner) { try requirement.check(data[requirement.name], owner: owner) }
            }
        }
        if case let .files(files) = recipe.data {
            for (name, file) in files.sorted(by: { $0.key < $1.key }) where !read.contains(name) {
                let readers = read.sorted().joined(separator: ", ")
                diagnostics.report(OptionError(origin: file.origin, reason: "no stage reads the data set '\(name)'; the stages read: \(readers)"))
            }
        }
    }
}
