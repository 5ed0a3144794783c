import ArgumentParser
import LetheEngine

/// `lethe list`: the names recipes and commands accept, read from the registries.
public struct ListCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the registered objectives, combiners, membership attacks, evaluation suites and table layouts.")

    @Flag(help: "Print JSON instead of text.")
    var json = false

    public func run() throws {
        let catalog = Catalog(plugins: Lethe.plugins)
        print(json ? try catalog.json() : catalog.text())
    }
}
