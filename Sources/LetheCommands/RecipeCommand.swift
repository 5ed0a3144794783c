import ArgumentParser
import LetheEngine
import LetheRecipes

/// A recipe file and its `--set` overrides, shared by `lethe run` and `lethe recipe check`.
struct RecipeArguments: ParsableArguments {
    @Argument(help: "The recipe file.")
    var file: String
    @Option(name: .customLong("set"), help: "Override a key: --set stages.unlearn.steps=200 (a stage kind sets every stage of that kind; stages.4.unlearn.steps one stage; repeatable).")
    var overrides: [String] = []

    /// The recipe with overrides applied, and the runs its grid expands to.
    func load() throws -> (recipe: Recipe, runs: [Recipe]) {
        let recipe = try RecipeLoader.load(path: file, overrides: overrides)
        return (recipe, try RecipeLoader.expand(recipe, file: file))
    }
}

/// `lethe recipe check FILE`: validate a recipe and show what would run.
public struct RecipeCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "recipe", abstract: "Work with YAML recipes.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plan a recipe as `lethe run` would, without running it: print the resolved YAML and its runs, or every mistake.",
            discussion: """
                Every stage, plugin name and option, the model's configuration, every file and the fields each stage reads
                are checked for every run of the grid; all the mistakes are listed at once, each with file, line and key.
                """)

        @OptionGroup var recipe: RecipeArguments

        func run() throws {
            let (resolved, runs) = try recipe.load()
            _ = try RecipeRunner(recipe: resolved, plugins: Lethe.plugins) { _ in }.check()
            print(resolved.yaml, terminator: "")
            print("# \(runs.count) run\(runs.count == 1 ? "" : "s"): " + runs.map(\.name).joined(separator: ", "))
            print("# ok: every stage, plugin, option, file and data set checked")
        }
    }
}
