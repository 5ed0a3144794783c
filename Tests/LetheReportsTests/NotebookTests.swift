import Foundation
@testable import LetheReports
import Testing

@Suite("Notebooks: parsing, rewriting and running marked blocks")
struct NotebookTests {
    static let sample = """
        # Title

        Some text.

        <!-- lethe:run -->
        ```sh
        lethe table runs/a
        # a comment

        lethe plot losses runs/a \\
          --out losses.svg
        ```
        <!-- lethe:output -->
        old output
        <!-- lethe:end -->

        Between.

        <!-- lethe:run -->
        ```sh
        echo hi
        ```

        The end.
        """

    @Test func parsesBlocksTheirLinesAndCommands() throws {
        let notebook = try Notebook(text: Self.sample)
        #expect(notebook.blocks.count == 2)
        #expect(notebook.blocks[0].line == 5)
        #expect(notebook.blocks[0].commands == ["lethe table runs/a", "lethe plot losses runs/a --out losses.svg"])
        #expect(notebook.blocks[0].output != nil)
        #expect(notebook.blocks[1].line == 19)
        #expect(notebook.blocks[1].commands == ["echo hi"])
        #expect(notebook.blocks[1].output == nil)
    }

    @Test func rewritingReplacesOutputSectionsAndInsertsMissingOnes() throws {
        let notebook = try Notebook(text: Self.sample)
        let text = try notebook.rewritten(outputs: ["new\n", "hi\n"])
        #expect(!text.contains("old output"))
        #expect(text.contains("<!-- lethe:output -->\n\n```text\nnew\n```\n\n<!-- lethe:end -->\n\nBetween."))
        #expect(text.contains("echo hi\n```\n<!-- lethe:output -->\n\n```text\nhi\n```\n\n<!-- lethe:end -->\n\nThe end."))
        #expect(text.hasPrefix("# Title\n\nSome text.\n"))
        // Running again over the rewritten text is stable.
        #expect(try Notebook(text: text).rewritten(outputs: ["new\n", "hi\n"]) == text)
    }

    @Test func markdownTablesAndBoldTitlesPassThroughOtherTextIsFenced() {
        let output = "**Table 1**\n\n| Run | PPL |\n|---|---:|\n| a | 3.1 |\n\nnote line\nwrote table.csv and table.json\n"
        #expect(Notebook.render(output) == [
            "**Table 1**", "", "| Run | PPL |", "|---|---:|", "| a | 3.1 |", "", "```text", "note line", "wrote table.csv and table.json", "```",
        ])
    }

    @Test func wroteSvgBecomesAnImageLink() {
        let lines = Notebook.render("some log\nwrote plots/losses.svg\n") { "../" + $0 }
        #expect(lines == ["```text", "some log", "```", "", "![losses](../plots/losses.svg)"])
        #expect(Notebook.render("") == [])
    }

    @Test func malformedNotebooksNameTheLine() {
        #expect(throws: ReportError.self) { try Notebook(text: "a\n<!-- lethe:run -->\ntext\n", name: "n.md") }
        do {
            _ = try Notebook(text: "<!-- lethe:run -->\n```sh\necho\n```\n<!-- lethe:output -->\nx\n", name: "n.md")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".hasPrefix("n.md:5: "))
        }
    }

    @Test func relativePathsAndLetheSubstitution() {
        #expect(NotebookRunner.relativePath("/r/runs/x.svg", from: "/r/notebooks-md") == "../runs/x.svg")
        #expect(NotebookRunner.relativePath("/r/notebooks-md/x.svg", from: "/r/notebooks-md") == "x.svg")
        #expect(NotebookRunner.shellCommand("lethe list --json", lethe: "/b/le the") == "'/b/le the' list --json")
        #expect(NotebookRunner.shellCommand("lethex a", lethe: "/b/lethe") == "lethex a")
    }

    @Test func runningRealCommandsRewritesTheNotebook() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/nb.md"
        let text = """
            <!-- lethe:run -->
            ```sh
            echo 'hello world'
            lethe plot losses x --out p.svg
            ```
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        // `lethe` stands for /bin/echo here, so the second command prints "plot losses x --out p.svg".
        let runner = NotebookRunner(letheExecutable: "/bin/echo", log: { _ in })
        #expect(try runner.plan(path: path) == ["\(path):1: echo 'hello world'", "\(path):1: lethe plot losses x --out p.svg"])
        #expect(try runner.run(path: path) == 1)
        let result = try String(contentsOfFile: path, encoding: .utf8)
        #expect(result.contains("```text\nhello world\nplot losses x --out p.svg\n```"))
    }

    @Test func theWorkingDirectoryIsTheNotebookFolderAndSvgLinksAreRelativeToIt() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/notes", withIntermediateDirectories: true)
        let path = folder + "/notes/nb.md"
        try "<!-- lethe:run -->\n```sh\npwd\necho wrote plots/a.svg\n```\n".write(toFile: path, atomically: true, encoding: .utf8)
        try NotebookRunner(letheExecutable: "/bin/false", log: { _ in }).run(path: path)
        var result = try String(contentsOfFile: path, encoding: .utf8)
        #expect(result.contains("/notes\n```"))
        #expect(result.contains("![a](plots/a.svg)"))
        try "<!-- lethe:run -->\n```sh\necho wrote plots/a.svg\n```\n".write(toFile: path, atomically: true, encoding: .utf8)
        try NotebookRunner(letheExecutable: "/bin/false", directory: folder, log: { _ in }).run(path: path)
        result = try String(contentsOfFile: path, encoding: .utf8)
        #expect(result.contains("![a](../plots/a.svg)"))
    }

    @Test func aFailingCommandLeavesTheNotebookUnchangedAndNamesIt() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/nb.md"
        let text = "<!-- lethe:run -->\n```sh\necho first\n```\n\n<!-- lethe:run -->\n```sh\necho oops >&2; exit 3\n```\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            try NotebookRunner(letheExecutable: "/bin/echo", log: { _ in }).run(path: path)
            Issue.record("expected an error")
        } catch {
            let message = "\(error)"
            #expect(message.hasPrefix("\(path):6: `echo oops >&2; exit 3` failed with exit status 3"))
            #expect(message.contains("oops"))
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    private func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("notebook-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
