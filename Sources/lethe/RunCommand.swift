import ArgumentParser
import LetheEngine
import LetheRecipes

/// `lethe run RECIPE`: run a recipe (every run of its grid) and print the table.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a recipe's stages into its run folder and print the comparison table.")

    @OptionGroup var recipe: RecipeArguments

    func run() throws {
        for run in try recipe.load().runs {
            print("== \(run.name) -> \(run.output)")
            print(try RecipeRunner(recipe: run).run().markdown())
        }
    }
}
