import ArgumentParser
import LetheEngine
import LetheRecipes

/// `lethe run RECIPE`: run a recipe (a grid runs as one study) and print the table.
public struct RunCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a recipe's stages (every run of its grid) into its output folder and print the table.")

    @OptionGroup var recipe: RecipeArguments

    public func run() throws {
        let (resolved, runs) = try recipe.load()
        print("== \(resolved.name) -> \(resolved.output)" + (runs.count > 1 ? " (\(runs.count) runs)" : ""))
        InterruptMessage.install(folder: resolved.output)
        print(try RecipeRunner(recipe: resolved, plugins: Lethe.plugins).run().markdown(), terminator: "")
        print("wrote \(resolved.output)/table.md")
    }
}

/// `lethe resume RUN`: continue a run (or study) that was interrupted.
public struct ResumeCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted run or study from its last completed stage or unlearning checkpoint.",
        discussion: "Uses the recipe stored in the run folder; the numbers equal an uninterrupted run's.")

    @Argument(help: "The run folder (the recipe's output).")
    var folder: String

    public func run() throws {
        print("== resuming \(folder)")
        InterruptMessage.install(folder: folder)
        print(try RecipeRunner.resume(folder: folder, plugins: Lethe.plugins).markdown(), terminator: "")
        print("wrote \(folder)/table.md")
    }
}
