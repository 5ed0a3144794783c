import ArgumentParser
import LetheEngine

/// `lethe list`: the names recipes and commands accept, read from the registries.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the registered objectives, combiners, membership attacks, evaluation suites and table layouts.")

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let catalog = Catalog()
        print(json ? try catalog.json() : catalog.text())
    }
}
