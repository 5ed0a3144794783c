import Dispatch
import Foundation
import LetheTensor

/// Runs the marked blocks of a Markdown notebook (`Notebook`) and writes their output back.
///
/// Every command runs through `/bin/sh -c` in `directory` (default: the notebook's folder);
/// a command starting with the word `lethe` runs `letheExecutable` instead of whatever
/// `lethe` is on the PATH (the environment variable `LETHE` holds its path too). A command's
/// standard output becomes the block's output; its standard error is passed through to ours.
/// The first command that exits non-zero stops the run with an error naming the notebook,
/// the block's line and the command, and the notebook is left unchanged: it is rewritten
/// (atomically) only after every block succeeded.
public struct NotebookRunner {
    public var letheExecutable: String
    /// Working directory of the commands; nil: the notebook's folder.
    public var directory: String?
    /// Progress messages (`notebook.md:12: $ lethe table runs/x`).
    public var log: (String) -> Void

    public init(letheExecutable: String, directory: String? = nil, log: @escaping (String) -> Void = NotebookRunner.standardError) {
        (self.letheExecutable, self.directory, self.log) = (letheExecutable, directory, log)
    }

    /// The blocks of the notebook at `path`, as `path:LINE: command` lines (a dry run).
    public func plan(path: String) throws -> [String] {
        let notebook = try Notebook(text: try read(path), name: path)
        return notebook.blocks.flatMap { block in block.commands.map { "\(path):\(block.line): \($0)" } }
    }

    /// Runs every block of the notebook at `path` and rewrites it; returns the number of blocks.
    /// - Throws: `ReportError.invalid` for a bad notebook or a failing command (the file is
    ///   then unchanged); `ReportError.cannotWrite` when the result cannot be saved.
    @discardableResult
    public func run(path: String) throws -> Int {
        let notebook = try Notebook(text: try read(path), name: path)
        let folder = Self.absolute((path as NSString).deletingLastPathComponent, in: FileManager.default.currentDirectoryPath)
        let workingDirectory = Self.absolute(directory ?? folder, in: FileManager.default.currentDirectoryPath)
        var outputs: [String] = []
        for block in notebook.blocks {
            var output = ""
            for command in block.commands {
                log("\(path):\(block.line): $ \(command)")
                let result: (status: Int32, output: String, errors: String)
                do {
                    result = try Self.execute(command, directory: workingDirectory, lethe: letheExecutable)
                } catch {
                    throw ReportError.invalid("\(path):\(block.line): cannot run `\(command)` (\(error)); the notebook is unchanged")
                }
                guard result.status == 0 else {
                    let tail = result.errors.split(separator: "\n").suffix(3).joined(separator: "\n")
                    throw ReportError.invalid(
                        "\(path):\(block.line): `\(command)` failed with exit status \(result.status); the notebook is unchanged"
                            + (tail.isEmpty ? "" : "\n" + tail))
                }
                output += result.output
            }
            outputs.append(output)
        }
        let text = try notebook.rewritten(outputs: outputs) { image in
            Self.relativePath(Self.absolute(image, in: workingDirectory), from: folder)
        }
        do {
            try AtomicFile.write(text, to: path)
        } catch {
            throw ReportError.cannotWrite(path: path, reason: error.localizedDescription)
        }
        return notebook.blocks.count
    }

    /// Runs one command line through `/bin/sh -c` in `directory` (a leading `lethe` word
    /// replaced by `lethe`'s path); returns its exit status, standard output and standard
    /// error (which is also copied to ours as it arrives).
    public static func execute(_ command: String, directory: String, lethe: String) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", shellCommand(command, lethe: lethe)]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["LETHE"] = lethe
        process.environment = environment
        let (output, errors) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let collected = Collected()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            while true {
                let chunk = errors.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                FileHandle.standardError.write(chunk)
                collected.append(chunk)
            }
        }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        group.wait()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: collected.data, as: UTF8.self))
    }

    /// `command` with a leading `lethe` word replaced by the quoted path `lethe`.
    static func shellCommand(_ command: String, lethe: String) -> String {
        guard command == "lethe" || command.hasPrefix("lethe ") else { return command }
        return "'" + lethe.replacingOccurrences(of: "'", with: "'\\''") + "'" + command.dropFirst(5)
    }

    /// `path` made absolute against `base` (and standardised).
    static func absolute(_ path: String, in base: String) -> String {
        let full = path.hasPrefix("/") ? path : (path.isEmpty ? base : base + "/" + path)
        return URL(fileURLWithPath: full).standardizedFileURL.path
    }

    /// The relative path from the folder `folder` to `path` (both absolute).
    static func relativePath(_ path: String, from folder: String) -> String {
        let target = path.split(separator: "/")
        let origin = folder.split(separator: "/")
        var common = 0
        while common < min(target.count, origin.count), target[common] == origin[common] { common += 1 }
        let parts = [String](repeating: "..", count: origin.count - common) + target[common...].map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    public static func standardError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    private func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportError.invalid("\(path): no such notebook")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Bytes appended from another thread.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = Data()
    func append(_ chunk: Data) { lock.withLock { buffer.append(chunk) } }
    var data: Data { lock.withLock { buffer } }
}
