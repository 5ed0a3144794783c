import Foundation

extension PipelineTokenizer {
    /// Loads the `tokenizer.json` at `path`, or in the folder `path`, with the
    /// `tokenizer_config.json` beside it when there is one (BOS/EOS/padding token names, chat template).
    ///
    /// - Throws: `TokenizerError`, naming the file and the JSON path at fault.
    public static func load(from path: String) throws -> PipelineTokenizer {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TokenizerError.cannotRead(path: path, reason: "no such file or folder")
        }
        let url = URL(fileURLWithPath: path)
        let folder = isDirectory.boolValue ? url : url.deletingLastPathComponent()
        let json = isDirectory.boolValue ? url.appendingPathComponent("tokenizer.json").path : path
        let configuration = folder.appendingPathComponent("tokenizer_config.json").path
        return try PipelineTokenizer(
            tokenizerJSON: json, configuration: FileManager.default.fileExists(atPath: configuration) ? configuration : nil)
    }

    /// Reads a Hugging Face `tokenizer.json` with a BPE model, every part of its pipeline
    /// (`normalizer`, `pre_tokenizer`, `model`, `added_tokens`, `post_processor`, `decoder`), and
    /// optionally a `tokenizer_config.json` (`bos_token`, `eos_token`, `pad_token`, `chat_template`).
    ///
    /// - Throws: `TokenizerError.unsupported` naming the JSON path of a component type this reader
    ///   does not implement (`pre_tokenizer.pretokenizers[1].type`), of a model other than BPE, or
    ///   of BPE dropout; `.invalidKey` for a missing or mistyped key.
    public init(tokenizerJSON path: String, configuration: String? = nil) throws {
        let data = try readData(path)
        let root = try JSONFile(path: path, data: data)
        let model = try root.object("model")
        let type = try model.optionalString("type") ?? "BPE"
        guard type == "BPE" else { throw TokenizerError.unsupported(path: path, key: "model.type", value: quoted(type)) }
        if let dropout = model.values["dropout"] as? Double, dropout != 0 {
            throw TokenizerError.unsupported(path: path, key: "model.dropout", value: "\(dropout)")
        }
        let options = BPEModel.Options(
            unknownToken: try model.optionalString("unk_token"),
            fuseUnknown: try model.optionalBool("fuse_unk") ?? false,
            byteFallback: try model.optionalBool("byte_fallback") ?? false,
            ignoreMerges: try model.optionalBool("ignore_merges") ?? false,
            continuingSubwordPrefix: try model.optionalString("continuing_subword_prefix") ?? "",
            endOfWordSuffix: try model.optionalString("end_of_word_suffix") ?? "")
        _ = try model.vocabulary("vocab")  // checks the ids, naming any bad entry
        guard let entries = ExactJSONObject.integerEntries(Array(data), at: ["model", "vocab"]) else {
            throw model.invalid("vocab", "expected an object of token ids")
        }
        let bpe = try BPEModel(
            vocabulary: ExactVocabulary(entries), merges: try model.mergeRules("merges"), options: options, path: path)
        let parts = Parts(
            normalizer: try root.optionalObject("normalizer").map { try TextNormalizer(json: $0) },
            preTokenizer: try root.optionalObject("pre_tokenizer").map { try PreTokenizerStep(json: $0) },
            postProcessor: try root.optionalObject("post_processor").map { try PostProcessorStep(json: $0) },
            decoder: try root.optionalObject("decoder").map { try TokenDecoderStep(json: $0) })

        var special = SpecialTokenNames()
        var template: String?
        if let configuration {
            let config = try JSONFile(path: configuration)
            special = SpecialTokenNames(
                bos: try config.tokenName("bos_token"), eos: try config.tokenName("eos_token"),
                pad: try config.tokenName("pad_token"), unk: try config.tokenName("unk_token"))
            template = try config.chatTemplate()
        }
        try self.init(
            model: bpe, addedTokens: try root.addedTokens(), parts: parts, special: special, chatTemplate: template, path: path)
    }
}

extension JSONFile {
    /// A special token named in `tokenizer_config.json`: a string, or an object with `content`.
    func tokenName(_ key: String) throws -> String? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        if let name = value as? String { return name }
        return try nested(value, key: prefix + key).string("content")
    }

    /// The `chat_template`: a string, or a list of `{"name", "template"}` (the `default` one,
    /// else the first).
    func chatTemplate() throws -> String? {
        guard let value = values["chat_template"], !(value is NSNull) else { return nil }
        if let template = value as? String { return template }
        let named = try objects("chat_template")
        let chosen = try named.first { try $0.optionalString("name") == "default" } ?? named.first
        return try chosen?.string("template")
    }
}
