import Foundation

extension TextTokenizer {
    /// The end-of-sequence id (`<|endoftext|>` for GPT-2), where the tokenizer has one.
    public var endOfSequenceID: Int? { specialTokenIDs.endOfSequence }
}

extension PipelineTokenizer {
    /// Writes the tokenizer into `directory` as Hugging Face reads it: a copy of the
    /// `tokenizer.json` it was read from (and the `tokenizer_config.json` beside it, if any).
    /// - Throws: `TokenizerError.cannotWrite` for a tokenizer built from a GGUF file's
    ///   vocabulary (it is saved with its model file) or a folder that refuses the copy.
    public func save(to directory: String) throws {
        let source = URL(fileURLWithPath: path)
        guard source.pathExtension == "json" else {
            throw TokenizerError.cannotWrite(path: directory, reason: "the tokenizer of \(path) is read from its model file; save that file instead")
        }
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for name in ["tokenizer.json", "tokenizer_config.json"] {
                let from = name == "tokenizer.json" ? source : source.deletingLastPathComponent().appendingPathComponent(name)
                let to = URL(fileURLWithPath: directory).appendingPathComponent(name)
                guard manager.fileExists(atPath: from.path), from.standardized != to.standardized else { continue }
                try? manager.removeItem(at: to)
                try manager.copyItem(at: from, to: to)
            }
        } catch {
            throw TokenizerError.cannotWrite(path: directory, reason: error.localizedDescription)
        }
    }
}
