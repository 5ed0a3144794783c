import ArgumentParser
import LetheEngine
import LetheRecipes

/// `lethe run RECIPE`: run a recipe (every run of its grid) and print the table.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a recipe's stages into its run folder and print the comparison table.")

    @Argument(help: "The recipe file.")
    var file: String
    @Option(name: .customLong("set"), help: "Override a key: --set stages.unlearn.steps=200 (repeatable).")
    var overrides: [String] = []

    func run() throws {
        let recipe = try RecipeLoader.load(path: file, overrides: overrides)
        for run in try RecipeLoader.expand(recipe, file: file) {
            print("== \(run.name) -> \(run.output)")
            let table = try RecipeRunner(recipe: run).run()
            print(table.markdown())
        }
    }
}
