import Foundation
import LetheTensor

extension DefaultCorpus {
    /// A file `write(to:)` produced.
    public struct WrittenFile: Equatable, Sendable {
        public let name: String
        public let lines: Int
        public let bytes: Int
        /// SHA-256 of the file's bytes, in hex (what `sha256sum` prints).
        public let sha256: String
    }

    /// The JSONL files, in the order they are written and listed in `manifest.json`.
    public static let fileNames = [
        "pretrain.jsonl", "heldout.jsonl", "finetune.jsonl", "forget.jsonl", "nonmember.jsonl", "retain.jsonl",
        "eval_prompts.jsonl", "classification_train.jsonl", "classification_test.jsonl", "qa_retain.jsonl",
        "qa_forget.jsonl", "qa_tofu.jsonl",
    ]

    /// Writes the JSONL files and `manifest.json` into `directory`, creating it if needed.
    /// Files are UTF-8, one JSON object per line, keys in a fixed order (see the corpus notes,
    /// `notebooks-md/corpus.md`); each is written whole to a temporary name, then renamed.
    ///
    /// - Returns: the JSONL files with their line counts, sizes and checksums.
    /// - Throws: `CorpusError.cannotWrite` naming the directory or file that failed.
    @discardableResult
    public func write(to directory: String) throws -> [WrittenFile] {
        try Self.makeDirectory(directory)
        var written: [WrittenFile] = []
        for (name, lines) in zip(Self.fileNames, jsonLines()) {
            var text = ""
            for line in lines {
                text += line.compact
                text += "\n"
            }
            let bytes = Array(text.utf8)
            try Self.writeFile(bytes, to: directory + "/" + name)
            written.append(WrittenFile(name: name, lines: lines.count, bytes: bytes.count, sha256: SHA256.hex(bytes)))
        }
        try Self.writeFile(Array(manifest(files: written).pretty.utf8), to: directory + "/manifest.json")
        return written
    }

    /// The lines of each file in `fileNames` order.
    func jsonLines() -> [[JSON]] {
        func flag(_ b: Bool) -> JSON { .int(b ? 1 : 0) }
        func scores(_ s: ModerationScores) -> JSON {
            .object(ModerationCategory.allCases.map { ($0.rawValue, .fixed(s[$0], decimals: 4)) })
        }
        func dialogue(_ item: DialogueItem) -> JSON {
            .object([
                ("id", .string(item.id)), ("prompt", .string(item.prompt)), ("completion", .string(item.completion)),
                ("toxic", flag(item.toxic)), ("kind", .string(item.kind.rawValue)), ("scores", scores(item.scores)),
                ("unique_detail", .string(item.uniqueDetail)),
            ])
        }
        func classification(_ item: ClassificationItem) -> JSON {
            .object([
                ("text", .string(item.text)), ("toxic", flag(item.toxic)), ("kind", .string(item.kind.rawValue)),
                ("scores", scores(item.scores)),
            ])
        }
        func qa(_ item: QuestionAnswer) -> JSON {
            .object([
                ("question", .string(item.question)), ("answer", .string(item.answer)), ("entity", .string(item.entity)),
                ("attribute", .string(item.attribute.rawValue)),
            ])
        }
        return [
            pretraining.map {
                .object([("text", .string($0.text)), ("kind", .string($0.kind.rawValue)), ("toxic", flag($0.toxic))])
            },
            heldout.map { .object([("text", .string($0.text)), ("kind", .string($0.kind.rawValue))]) },
            finetuning.map {
                .object([
                    ("prompt", .string($0.prompt)), ("completion", .string($0.completion)), ("toxic", flag($0.toxic)),
                    ("source", .string($0.source.rawValue)),
                ])
            },
            forget.map(dialogue), nonmembers.map(dialogue), retain.map(dialogue),
            evalPrompts.map { .object([("id", .string($0.id)), ("prompt", .string($0.prompt))]) },
            classificationTrain.map(classification), classificationTest.map(classification),
            qaRetain.map(qa), qaForget.map(qa),
            qaTofu.map {
                .object([
                    ("id", .string($0.id)), ("split", .string($0.split.rawValue)), ("entity", .string($0.entity)),
                    ("attribute", .string($0.attribute.rawValue)), ("question", .string($0.question)), ("answer", .string($0.answer)),
                    ("paraphrased_answer", .string($0.paraphrasedAnswer)),
                    ("perturbed_answers", .array($0.perturbedAnswers.map { .string($0) })),
                ])
            },
        ]
    }

    /// Creates `directory` (and its parents), or throws saying which part of the path is in
    /// the way.
    static func makeDirectory(_ directory: String) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CorpusError.cannotWrite(path: directory, reason: "exists and is not a directory") }
            return
        }
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            var ancestor = (directory as NSString).deletingLastPathComponent
            while !ancestor.isEmpty, ancestor != "/", !manager.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
                ancestor = (ancestor as NSString).deletingLastPathComponent
            }
            let reason =
                !isDirectory.boolValue ? "\(ancestor) is not a directory"
                : !manager.isWritableFile(atPath: ancestor) ? "\(ancestor) is not writable"
                : "cannot create directory (\(error.localizedDescription))"
            throw CorpusError.cannotWrite(path: directory, reason: reason)
        }
    }

    /// Writes `bytes` to a temporary name beside `path`, then renames it into place.
    static func writeFile(_ bytes: [UInt8], to path: String) throws {
        do {
            try AtomicFile.write(Data(bytes), to: path)
        } catch {
            let reason =
                FileManager.default.isWritableFile(atPath: (path as NSString).deletingLastPathComponent)
                ? error.localizedDescription : "directory is not writable"
            throw CorpusError.cannotWrite(path: path, reason: reason)
        }
    }
}
