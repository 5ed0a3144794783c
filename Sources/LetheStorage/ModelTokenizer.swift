import LetheLayers
import LetheText

extension ModelFile {
    /// The tokenizer at `path`: the vocabulary a GGUF model file embeds (`tokenizer.ggml.*`,
    /// read as transformers reads it), or a `tokenizer.json` / `vocab.json` file or a folder
    /// holding one (`loadTextTokenizer`).
    /// - Throws: naming the file and the key, for a GGUF tokenizer of a kind other than
    ///   byte-level BPE (`tokenizer.ggml.model` other than `gpt2`) or a damaged file.
    public static func loadTokenizer(_ path: String) throws -> any TextTokenizer {
        guard path.hasSuffix(".gguf") else { return try loadTextTokenizer(from: path) }
        let m = try GGUFFile.open(path: path).tokenizerMetadata()
        guard m.model == "gpt2" else {
            throw LayerError.invalidFile(
                path: path, reason: "tokenizer.ggml.model is \(m.model); Lethe reads GGUF vocabularies of the gpt2 (byte-level BPE) kind")
        }
        let vocabulary = GGUFVocabulary(
            model: m.model, preTokenizer: m.preTokenizer, tokens: m.tokens, merges: m.merges, tokenTypes: m.tokenTypes ?? [],
            beginOfSequenceID: m.bosTokenID, endOfSequenceID: m.eosTokenID, paddingID: m.paddingTokenID, unknownID: m.unknownTokenID,
            addsBeginOfSequence: m.addBOS ?? false, addsEndOfSequence: m.addEOS ?? false, chatTemplate: m.chatTemplate)
        return try PipelineTokenizer(gguf: vocabulary, path: path)
    }
}
