import ArgumentParser
import LetheRecipes

/// `lethe recipe check FILE`: validate a recipe and show what would run.
struct RecipeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recipe", abstract: "Work with YAML recipes.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a recipe (strict keys and types), print the resolved YAML and the runs its grid expands to.")

        @Argument(help: "The recipe file.")
        var file: String
        @Option(name: .customLong("set"), help: "Override a key: --set stages.unlearn.steps=200 (repeatable).")
        var overrides: [String] = []

        func run() throws {
            let recipe = try RecipeLoader.load(path: file, overrides: overrides)
            print(recipe.yaml, terminator: "")
            let runs = try RecipeLoader.expand(recipe, file: file)
            print("# \(runs.count) run\(runs.count == 1 ? "" : "s"): " + runs.map(\.name).joined(separator: ", "))
        }
    }
}
