import ArgumentParser
import LetheCommands

/// The root command: every `lethe` command, plus this package's `compare-weights`.
struct LethePlugins: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lethe-plugins",
        abstract: "Lethe's command line with the example plugins (max_entropy, mean, shrink, weight_norm).",
        subcommands: Lethe.configuration.subcommands + [CompareWeights.self])
}
