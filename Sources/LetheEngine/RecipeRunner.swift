import Foundation
import LetheTensor
import LetheEvaluation
import LetheOptions
import LetheRecipes
import LetheCorpus
import LetheText

/// Runs a recipe into its run folder `recipe.output` and returns the table of its
/// evaluations (seed 003's layout), also written to `table.md`.
///
/// Before anything runs, the recipe is planned (`RunPlan`): every stage, plugin name,
/// option, file and data set is checked, and every mistake is reported at once.
///
/// A recipe with a grid is a study: its runs share the stages before the first one the grid
/// changes (e.g. pretrain, fine-tune, retrain and the base evaluation), which run once into
/// `OUTPUT/shared/`; each run continues from there in `OUTPUT/<axis=value-...>/`. The study
/// table has one row per distinct label, averaged over the runs that differ only in seed,
/// with a 95% t-interval over seeds.
///
/// Runs are resumable: `resume(folder:plugins:)` continues a killed run (or study) from its
/// last completed stage or checkpoint, with the same numbers as an uninterrupted run.
public struct RecipeRunner {
    public let recipe: Recipe
    public let plugins: Plugins
    public var log: (String) -> Void

    public init(recipe: Recipe, plugins: Plugins = .builtIn, log: @escaping (String) -> Void = { print($0) }) {
        self.recipe = recipe
        self.plugins = plugins
        self.log = log
    }

    /// Runs the recipe. A folder that already holds a run of the same recipe is continued
    /// (a finished run just prints its table again), and so is one of an edited recipe whose
    /// completed stages and inputs are unchanged (`RecipeEdits`); a run of another recipe is
    /// refused, so nothing saved is overwritten.
    public func run() throws -> ResultsTable {
        if FileManager.default.fileExists(atPath: recipe.output + "/" + RunState.fileName) {
            let stored = try? String(contentsOfFile: recipe.output + "/recipe.yaml", encoding: .utf8)
            guard let stored else {
                throw EngineError.invalid("\(recipe.output)/recipe.yaml: missing or unreadable; the run folder is damaged")
            }
            if stored == recipe.yaml {
                log("\(recipe.output) holds a run of this recipe: continuing it")
            } else {
                let lock = try RunLock(folder: recipe.output)
                log(try RecipeEdits.accept(recipe, storedText: stored))
                withExtendedLifetime(lock) {}
            }
        }
        return try execute()
    }

    /// Continues the run (or study) in `folder` from where it stopped, with the recipe stored
    /// there and the same plugins it was started with.
    public static func resume(folder: String, plugins: Plugins = .builtIn, log: @escaping (String) -> Void = { print($0) }) throws -> ResultsTable {
        guard let state = try RunState.load(folder: folder) else {
            throw EngineError.invalid("\(folder): no \(RunState.fileName); not a Lethe run folder (or the run never started)")
        }
        let file = folder + "/recipe.yaml"
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw EngineError.invalid("\(file): missing or unreadable; the run folder is damaged")
        }
        var recipe = try RecipeLoader.parse(text, file: file, folder: state.recipeFolder)
        recipe.output = folder
        return try RecipeRunner(recipe: recipe, plugins: plugins, log: log).execute()
    }

    /// Plans every run of the recipe (each grid cell) and returns the plans, or throws
    /// `OptionErrors` with every mistake found in all of them (`lethe recipe check`).
    public func check() throws -> [RunPlan] { try planRuns().map(\.plan) }

    /// Every run of the grid planned with its data, data loaded once per source and seed.
    /// - Throws: `OptionErrors` with every mistake found in all of them.
    private func planRuns() throws -> [(plan: RunPlan, data: Datasets)] {
        var cache = DataCache()
        let diagnostics = Diagnostics()
        var planned: [(plan: RunPlan, data: Datasets)] = []
        for run in try RecipeLoader.expand(recipe, file: recipe.file) {
            let made = RunPlan.make(run, plugins: plugins, diagnostics: diagnostics) { cache.load(run, textUnits: $0, diagnostics: diagnostics) }
            if let made, let data = made.data { planned.append((made.plan, data)) }
        }
        try diagnostics.check()
        return planned
    }

    /// Plans every run, then holds the output folder's lock (one process per run folder) and
    /// checks the input files against the fingerprints recorded when the run started.
    private func execute() throws -> ResultsTable {
        let planned = try planRuns()
        let lock = try RunLock(folder: recipe.output)
        defer { withExtendedLifetime(lock) {} }
        try RunInputs(recipe: recipe).check(folder: recipe.output)
        if planned.count == 1 && recipe.grid.isEmpty, let (plan, data) = planned.first {
            let session = try RunSession(plan: plan, path: recipe.output, data: data, log: log)
            try session.run(stages: 0..<plan.stages.count)
            return try writeTable(RunTables.table(session.results(), layout: .detoxification))
        }
        return try StudyRunner(runner: self, runs: planned).run()
    }

    func writeTable(_ table: ResultsTable) throws -> ResultsTable {
        let path = recipe.output + "/table.md"
        do {
            try AtomicFile.write(table.markdown(), to: path)
        } catch {
            throw EngineError.cannotWrite(path: path, reason: error.localizedDescription)
        }
        return table
    }
}

/// The data sets of a study's runs, loaded once per (source, seed, how text files are read).
struct DataCache {
    private var loaded: [(source: Recipe.DataSource, seed: UInt64, units: [String: DatasetLoader.TextUnit], data: Datasets)] = []

    /// The run's data, each plain-text file read as `textUnits` says (default: a record per
    /// line); problems (a missing file, a bad record, a bad generator option) are recorded
    /// and nil returned.
    mutating func load(_ recipe: Recipe, textUnits: [String: DatasetLoader.TextUnit], diagnostics: Diagnostics) -> Datasets? {
        if let cached = loaded.first(where: { $0.source == recipe.data && $0.seed == recipe.seed && $0.units == textUnits }) {
            return cached.data
        }
        let data: Datasets?
        switch recipe.data {
        case let .files(files):
            var sets: [String: [TextExample]] = [:]
            for (name, file) in files.sorted(by: { $0.key < $1.key }) {
                sets[name] = diagnostics.collect(origin: file.origin) {
                    try DatasetLoader.load(path: file.path, textUnit: textUnits[name] ?? .line)
                }
            }
            // Sets that could not be read are reported above; the others are still checked.
            data = Datasets(sets: sets, sources: files.mapValues(\.path))
        case let .generate(node):
            data = diagnostics.collect(origin: node.origin, owner: "data.generate") {
                Datasets(DefaultCorpus.generate(try CorpusOptions.configuration(node, seed: recipe.seed)))
            }
        }
        if let data { loaded.append((recipe.data, recipe.seed, textUnits, data)) }
        return data
    }
}

/// The corpus generator's configuration from `data.generate` (its seed defaults to the recipe's).
enum CorpusOptions {
    static func configuration(_ node: OptionNode, seed: UInt64) throws -> DefaultCorpus.Configuration {
        var object = node.plain as? [String: Any] ?? [:]
        if object["seed"] == nil { object["seed"] = seed }
        do {
            return try JSONDecoder().decode(DefaultCorpus.Configuration.self, from: JSONSerialization.data(withJSONObject: object))
        } catch {
            var origin = node.origin
            if case let CorpusError.invalidOption(name, _, _) = error, let key = node[name] { origin = key.origin }
            throw OptionError(origin: origin, owner: "data.generate", reason: "\(error)")
        }
    }
}
