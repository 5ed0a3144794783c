import Foundation

extension GPT2Tokenizer {
    /// Loads a tokenizer from a Hugging Face `tokenizer.json`, or from a folder holding one or
    /// else GPT-2's `vocab.json` + `merges.txt` (a path to `vocab.json` also works).
    ///
    /// - Throws: `TokenizerError`, naming the file and the key or line at fault.
    public static func load(from path: String) throws -> GPT2Tokenizer {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TokenizerError.cannotRead(path: path, reason: "no such file or folder")
        }
        let folder = URL(fileURLWithPath: path)
        if isDirectory.boolValue {
            let json = folder.appendingPathComponent("tokenizer.json").path
            if FileManager.default.fileExists(atPath: json) { return try GPT2Tokenizer(tokenizerJSON: json) }
            return try GPT2Tokenizer(
                vocabularyFile: folder.appendingPathComponent("vocab.json").path,
                mergesFile: folder.appendingPathComponent("merges.txt").path)
        }
        if folder.lastPathComponent == "vocab.json" {
            let merges = folder.deletingLastPathComponent().appendingPathComponent("merges.txt").path
            return try GPT2Tokenizer(vocabularyFile: path, mergesFile: merges)
        }
        return try GPT2Tokenizer(tokenizerJSON: path)
    }

    /// Reads a Hugging Face `tokenizer.json` with a byte-level BPE model: `model.vocab`,
    /// `model.merges` (`"a b"` strings or `["a", "b"]` pairs), `added_tokens`, and the
    /// `ByteLevel` pre-tokenizer's `add_prefix_space` and `use_regex`. `decoder` and
    /// `post_processor` are not read (decoding is always byte-level; no ids are added).
    ///
    /// - Throws: `TokenizerError.unsupported` for a normalizer, another pre-tokenizer or model
    ///   type, BPE dropout, subword prefixes/suffixes or byte fallback; `.invalidKey` for a
    ///   missing or mistyped key.
    public init(tokenizerJSON path: String) throws {
        let root = try JSONFile(path: path)
        let model = try root.object("model")
        if let type = try model.optionalString("type"), type != "BPE" {
            throw TokenizerError.unsupported(path: path, key: "model.type", value: quoted(type))
        }
        if let dropout = model.values["dropout"] as? Double, dropout != 0 {
            throw TokenizerError.unsupported(path: path, key: "model.dropout", value: "\(dropout)")
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = try model.optionalString(key), !value.isEmpty {
                throw TokenizerError.unsupported(path: path, key: "model.\(key)", value: quoted(value))
            }
        }
        if try model.optionalBool("byte_fallback") == true {
            throw TokenizerError.unsupported(path: path, key: "model.byte_fallback", value: "true")
        }
        if let normalizer = root.values["normalizer"], !(normalizer is NSNull) {
            let type = (normalizer as? [String: Any])?["type"] as? String ?? "\(normalizer)"
            throw TokenizerError.unsupported(path: path, key: "normalizer", value: quoted(type))
        }
        let byteLevel = try Self.byteLevelPreTokenizer(root)
        let options = Options(
            addPrefixSpace: try byteLevel.optionalBool("add_prefix_space") ?? true,
            useRegex: try byteLevel.optionalBool("use_regex") ?? true,
            ignoreMerges: try model.optionalBool("ignore_merges") ?? false,
            unknownToken: try model.optionalString("unk_token"),
            fuseUnknown: try model.optionalBool("fuse_unk") ?? false)

        try self.init(
            vocabulary: try model.vocabulary("vocab"), merges: try model.mergeRules("merges"),
            addedTokens: try root.addedTokens(), options: options, path: path)
    }

    /// Reads GPT-2's two files: `vocab.json` (token text to id) and `merges.txt` (an optional
    /// `#version` line, then one rule `left right` per line, in rank order).
    ///
    /// - Parameter specialTokens: vocabulary entries to match as special added tokens.
    /// - Throws: `TokenizerError.invalidLine` with the 1-based line of a malformed rule.
    public init(vocabularyFile: String, mergesFile: String, specialTokens: [String] = [GPT2Tokenizer.endOfText]) throws {
        let vocabulary = try JSONFile(path: vocabularyFile).vocabulary(nil)
        let text = try readText(mergesFile)
        var merges: [(String, String)] = []
        // Lines end at "\n" bytes (a Character split would keep "\r\n" whole); a "\r" before it goes.
        for (index, bytes) in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let line = String(decoding: bytes.last == 0x0D ? bytes.dropLast() : bytes, as: UTF8.self)
            if line.isEmpty || (index == 0 && line.hasPrefix("#version")) { continue }
            guard let pair = Self.mergePair(line) else {
                throw TokenizerError.invalidLine(
                    path: mergesFile, line: index + 1, reason: "expected two tokens separated by one space, found \(quoted(line))")
            }
            merges.append(pair)
        }
        let added = specialTokens.compactMap { token in vocabulary[token].map { AddedToken(content: token, id: $0) } }
        try self.init(vocabulary: vocabulary, merges: merges, addedTokens: added, path: mergesFile)
    }

    /// `"a b"` as `("a", "b")`, or `nil` unless there are exactly two non-empty parts.
    static func mergePair(_ line: String) -> (String, String)? {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// The `ByteLevel` pre-tokenizer object, alone or as the one element of a `Sequence`.
    private static func byteLevelPreTokenizer(_ root: JSONFile) throws -> JSONFile {
        var preTokenizer = try root.object("pre_tokenizer")
        var key = "pre_tokenizer"
        if try preTokenizer.optionalString("type") == "Sequence",
            let list = preTokenizer.values["pretokenizers"] as? [Any], list.count == 1
        {
            key = "pre_tokenizer.pretokenizers[0]"
            preTokenizer = try root.nested(list[0], key: key)
        }
        let type = try preTokenizer.optionalString("type") ?? "(none)"
        guard type == "ByteLevel" else {
            throw TokenizerError.unsupported(path: root.path, key: key + ".type", value: quoted(type))
        }
        return preTokenizer
    }
}

/// The whole of a UTF-8 text file.
func readText(_ path: String) throws -> String {
    let data = try readData(path)
    guard let text = String(data: data, encoding: .utf8) else {
        throw TokenizerError.malformedFile(path: path, reason: "not UTF-8 text")
    }
    return text
}

/// The bytes of a file, or `TokenizerError.cannotRead`.
func readData(_ path: String) throws -> Data {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw TokenizerError.cannotRead(path: path, reason: "no such file")
    }
    guard !isDirectory.boolValue else { throw TokenizerError.cannotRead(path: path, reason: "is a folder") }
    do {
        return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw TokenizerError.cannotRead(path: path, reason: error.localizedDescription)
    }
}
