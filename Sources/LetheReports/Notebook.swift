import Foundation

/// A Markdown notebook whose marked code blocks can be run and their output written back
/// (`lethe notebook run`, format in notebooks-md/README.md):
///
///     <!-- lethe:run -->
///     ```sh
///     lethe table runs/detox
///     ```
///     <!-- lethe:output -->
///     ...replaced by the commands' output...
///     <!-- lethe:end -->
///
/// The marker must be the line right before the opening fence (blank lines allowed). The
/// output section is optional: a block without one gets it inserted after the fence. One
/// command per line; blank lines and `#` comments are skipped; a line ending in `\` goes on
/// to the next. Parsing and rewriting are pure; `NotebookRunner` runs the commands.
public struct Notebook {
    public static let runMarker = "<!-- lethe:run -->"
    public static let outputMarker = "<!-- lethe:output -->"
    public static let endMarker = "<!-- lethe:end -->"

    /// One runnable block.
    public struct Block: Equatable {
        /// 1-based line of the `<!-- lethe:run -->` marker.
        public var line: Int
        /// The commands, in order.
        public var commands: [String]
        /// 0-based index of the closing fence's line.
        var fenceEnd: Int
        /// 0-based lines of the output markers, when the block has an output section.
        var output: (start: Int, end: Int)?

        public static func == (a: Block, b: Block) -> Bool {
            a.line == b.line && a.commands == b.commands && a.fenceEnd == b.fenceEnd && a.output?.start == b.output?.start
                && a.output?.end == b.output?.end
        }
    }

    public let lines: [String]
    public let blocks: [Block]

    /// Parses `text`; `name` (the file) prefixes error messages.
    /// - Throws: `ReportError.invalid` naming the line of a marker without a fence, an
    ///   unclosed fence or an output section without its end marker.
    public init(text: String, name: String = "notebook") throws {
        lines = text.components(separatedBy: "\n")
        var blocks: [Block] = []
        var i = 0
        func fail(_ line: Int, _ reason: String) -> ReportError { .invalid("\(name):\(line + 1): \(reason)") }
        while i < lines.count {
            guard trimmed(lines[i]) == Self.runMarker else {
                i += 1
                continue
            }
            let marker = i
            var open = i + 1
            while open < lines.count, trimmed(lines[open]).isEmpty { open += 1 }
            guard open < lines.count, trimmed(lines[open]).hasPrefix("```") else {
                throw fail(marker, "\(Self.runMarker) must be followed by a ``` code block")
            }
            var close = open + 1
            while close < lines.count, trimmed(lines[close]) != "```" { close += 1 }
            guard close < lines.count else { throw fail(open, "the code block is not closed with ```") }
            var next = close + 1
            while next < lines.count, trimmed(lines[next]).isEmpty { next += 1 }
            var output: (Int, Int)?
            if next < lines.count, trimmed(lines[next]) == Self.outputMarker {
                guard let end = lines[(next + 1)...].firstIndex(where: { trimmed($0) == Self.endMarker }) else {
                    throw fail(next, "\(Self.outputMarker) has no \(Self.endMarker) after it")
                }
                if let stray = lines[(next + 1)..<end].firstIndex(where: { trimmed($0) == Self.runMarker }) {
                    throw fail(stray, "\(Self.runMarker) inside the output of the block at line \(marker + 1) (missing \(Self.endMarker)?)")
                }
                output = (next, end)
            }
            blocks.append(Block(line: marker + 1, commands: Self.commands(Array(lines[(open + 1)..<close])), fenceEnd: close, output: output))
            i = output?.1 ?? close
            i += 1
        }
        self.blocks = blocks
    }

    /// The commands of a code block's lines: continuation lines joined, blanks and `#`
    /// comments dropped, each trimmed.
    static func commands(_ body: [String]) -> [String] {
        var commands: [String] = []
        var pending = ""
        for line in body {
            let text = trimmed(line)
            if text.hasSuffix("\\") {
                pending += trimmed(text.dropLast()) + " "
                continue
            }
            let command = trimmed(pending + text)
            pending = ""
            if !command.isEmpty, !command.hasPrefix("#") { commands.append(command) }
        }
        if !trimmed(pending).isEmpty { commands.append(trimmed(pending)) }
        return commands
    }

    /// The notebook with each block's output section replaced by `outputs[i]` rendered by
    /// `render(_:link:)` between blank lines (none when there is no output); everything
    /// outside the output sections is kept byte for byte.
    /// - Parameter link: maps the path of a `wrote X.svg` line to the path the image link uses.
    /// - Throws: `ReportError.invalid` unless there is exactly one output per block.
    public func rewritten(outputs: [String], link: (String) -> String = { $0 }) throws -> String {
        guard outputs.count == blocks.count else {
            throw ReportError.invalid("\(outputs.count) outputs for \(blocks.count) blocks")
        }
        var result: [String] = []
        var cursor = 0
        for (block, output) in zip(blocks, outputs) {
            let rendered = Self.render(output, link: link)
            let section = [Self.outputMarker] + (rendered.isEmpty ? [] : [""] + rendered + [""]) + [Self.endMarker]
            if let (start, end) = block.output {
                result += lines[cursor..<start] + section
                cursor = end + 1
            } else {
                result += lines[cursor...block.fenceEnd] + section
                cursor = block.fenceEnd + 1
            }
        }
        result += lines[cursor...]
        return result.joined(separator: "\n")
    }

    /// Markdown lines for a command's standard output:
    /// - a run of lines starting with `|` (a Markdown table), and a line that is all bold
    ///   (`**title**`, a table's title), are inserted as they are, so they render;
    /// - a line `wrote PATH.svg` becomes the image `![name](link(PATH))`, name = file name
    ///   without `.svg`;
    /// - every other run of lines goes in a ```text fence (blank lines at its edges dropped).
    /// Parts are separated by one blank line; no output gives no lines.
    public static func render(_ output: String, link: (String) -> String = { $0 }) -> [String] {
        var parts: [[String]] = []
        var text: [String] = []
        var table: [String] = []
        func flush() {
            if !table.isEmpty { parts.append(table) }
            table = []
            while text.last.map({ trimmed($0).isEmpty }) == true { text.removeLast() }
            while text.first.map({ trimmed($0).isEmpty }) == true { text.removeFirst() }
            if !text.isEmpty { parts.append(["```text"] + text + ["```"]) }
            text = []
        }
        var body = output.components(separatedBy: "\n")
        if body.last == "" { body.removeLast() }
        for line in body {
            if line.hasPrefix("|") {
                if table.isEmpty { flush() }
                table.append(line)
                continue
            }
            if !table.isEmpty { flush() }
            if let path = svgPath(line) {
                flush()
                let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
                parts.append(["![\(name)](\(link(path)))"])
            } else if line.count > 4, line.hasPrefix("**"), line.hasSuffix("**") {
                flush()
                parts.append([line])
            } else {
                text.append(line)
            }
        }
        flush()
        return parts.enumerated().flatMap { $0 == 0 ? $1 : [""] + $1 }
    }

    /// The path in a line `wrote PATH.svg`, if it is one.
    static func svgPath(_ line: String) -> String? {
        let text = trimmed(line)
        guard text.hasPrefix("wrote "), text.hasSuffix(".svg") else { return nil }
        let path = String(text.dropFirst(6))
        return path.contains(" ") ? nil : path
    }
}

private func trimmed<S: StringProtocol>(_ s: S) -> String { s.trimmingCharacters(in: .whitespaces) }
