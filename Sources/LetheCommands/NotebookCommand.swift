import ArgumentParser
import Foundation
import LetheReports

/// `lethe notebook run FILE.md`: run a Markdown notebook's marked blocks and write their
/// output back (format: notebooks-md/README.md).
public struct NotebookCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "notebook", abstract: "Markdown notebooks whose commands Lethe runs.", subcommands: [Run.self])

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the <!-- lethe:run --> blocks of notebooks and replace their output sections.",
            discussion: """
                Commands run through /bin/sh -c in the notebook's folder (or --directory); a
                command starting with `lethe` runs this lethe executable. The notebook is
                rewritten only when every command succeeded.
                """)

        @Argument(help: "Markdown notebooks.")
        var files: [String]
        @Option(help: "Working directory of the commands (default: each notebook's folder).")
        var directory: String?
        @Flag(help: "List the blocks' commands without running them.")
        var dryRun = false

        func validate() throws {
            if files.isEmpty { throw ValidationError("give at least one notebook") }
        }

        func run() throws {
            let runner = NotebookRunner(letheExecutable: Self.executable(), directory: directory)
            for file in files {
                if dryRun {
                    let lines = try runner.plan(path: file)
                    print(lines.isEmpty ? "\(file): no lethe:run block" : lines.joined(separator: "\n"))
                } else {
                    let blocks = try runner.run(path: file)
                    print("updated \(file) (\(blocks) block\(blocks == 1 ? "" : "s"))")
                }
            }
        }

        /// The running lethe executable: /proc/self/exe, else argv[0] made absolute.
        static func executable() -> String {
            if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
            let argument = CommandLine.arguments.first ?? "lethe"
            guard argument.contains("/") else { return argument }
            return URL(fileURLWithPath: argument).standardizedFileURL.path
        }
    }
}
