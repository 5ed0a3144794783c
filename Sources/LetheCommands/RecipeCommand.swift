import ArgumentParser
import LetheRecipes

/// A recipe file and its `--set` overrides, shared by `lethe run` and `lethe recipe check`.
struct RecipeArguments: ParsableArguments {
    @Argument(help: "The recipe file.")
    var file: String
    @Option(name: .customLong("set"), help: "Override a key: --set stages.unlearn.steps=200 (repeatable).")
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
            abstract: "Validate a recipe (strict keys and types), print the resolved YAML and the runs its grid expands to.")

        @OptionGroup var recipe: RecipeArguments

        func run() throws {
            let (resolved, runs) = try recipe.load()
            print(resolved.yaml, terminator: "")
            print("# \(runs.count) run\(runs.count == 1 ? "" : "s"): " + runs.map(\.name).joined(separator: ", "))
        }
    }
}
