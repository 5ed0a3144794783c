import ArgumentParser
import Foundation
import LetheText

/// `lethe tokenizer`: train, encode and decode with a GPT-2 byte-level BPE tokenizer
/// (`LetheText.GPT2Tokenizer`, `LetheText.BPETrainer`). Parsing and printing only.
public struct TokenizerCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "tokenizer",
        abstract: "Train, encode and decode with a GPT-2 byte-level BPE tokenizer.",
        subcommands: [Train.self, Encode.self, Decode.self])

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a tokenizer on text files; write tokenizer.json, vocab.json and merges.txt.")

        @Option(help: "Vocabulary size, special tokens and the 256 byte symbols included.")
        var vocabSize: Int

        @Option(help: "Output folder (created if needed).")
        var out: String

        @Option(name: .customLong("special"), help: "A special token (repeat for several).")
        var specialTokens: [String] = [GPT2Tokenizer.endOfText]

        @Option(help: "Pairs seen fewer times are never merged.")
        var minPairCount = 2

        @Argument(help: "UTF-8 text files to train on.")
        var files: [String]

        func validate() throws {
            if files.isEmpty { throw ValidationError("give at least one text file to train on") }
        }

        func run() throws {
            var trainer = BPETrainer(
                vocabularySize: vocabSize, specialTokens: specialTokens, minimumPairCount: minPairCount)
            for file in files { try trainer.addFile(file) }
            let tokenizer = try trainer.train()
            try tokenizer.save(to: out)
            print("trained \(tokenizer.vocabularySize) tokens (\(tokenizer.merges.count) merges) -> \(out)")
        }
    }

    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encode a text file; print its token ids as a JSON array.")

        @Option(help: "tokenizer.json, or a folder holding it or vocab.json + merges.txt.")
        var tokenizer: String

        @Flag(help: "Encode special tokens such as <|endoftext|> in the text as plain text.")
        var noSpecialTokens = false

        @Argument(help: "The text file ('-' for standard input); invalid UTF-8 is read as U+FFFD.")
        var file: String

        func run() throws {
            let model = try GPT2Tokenizer.load(from: tokenizer)
            let ids = model.encode(bytes: try readInput(file), allowedSpecial: noSpecialTokens ? .none : .all)
            print("[" + ids.map(String.init).joined(separator: ",") + "]")
        }
    }

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode a JSON array of token ids; print the text.")

        @Option(help: "tokenizer.json, or a folder holding it or vocab.json + merges.txt.")
        var tokenizer: String

        @Flag(help: "Leave out special tokens such as <|endoftext|>.")
        var skipSpecialTokens = false

        @Argument(help: "A file holding a JSON array of ids ('-' for standard input).")
        var file: String

        func run() throws {
            let model = try GPT2Tokenizer.load(from: tokenizer)
            let data = try readInput(file)
            guard let list = try? JSONSerialization.jsonObject(with: data) as? [Any] else {
                throw ValidationError("\(file): expected a JSON array of token ids")
            }
            var ids: [Int] = []
            for (index, value) in list.enumerated() {
                guard let id = value as? Int, id >= 0, id < model.vocabularySize else {
                    throw ValidationError("\(file): element \(index) is \(value), not a token id below \(model.vocabularySize)")
                }
                ids.append(id)
            }
            print(model.decode(ids, skipSpecialTokens: skipSpecialTokens), terminator: "")
        }
    }
}

/// The bytes of `path`, or of standard input for `-`.
private func readInput(_ path: String) throws -> Data {
    if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
    do {
        return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw ValidationError("\(path): cannot read: \(error.localizedDescription)")
    }
}
