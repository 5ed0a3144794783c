import Foundation

/// Loading BERT tokenizer folders: `vocab.txt` (required) and `tokenizer_config.json`
/// (optional: `do_lower_case`, `strip_accents`, `tokenize_chinese_chars` and the special
/// tokens `unk_token`, `sep_token`, `pad_token`, `cls_token`, `mask_token`, as strings or
/// `{"content": ...}` objects). A `vocab.txt`-only folder gets BertTokenizerFast's defaults
/// (lowercasing, accent stripping, CJK spacing). `tokenizer.json` is not read here.
extension WordPieceTokenizer {
    /// The tokenizer of a folder holding `vocab.txt`.
    /// - Throws: `TokenizerError` naming the file and key (or line) at fault.
    public static func load(directory: String) throws -> WordPieceTokenizer {
        var options = Options()
        let configPath = directory + "/tokenizer_config.json"
        if FileManager.default.fileExists(atPath: configPath) {
            options = try Self.options(configPath: configPath)
        }
        return try WordPieceTokenizer(vocabularyFile: directory + "/vocab.txt", options: options)
    }

    /// A tokenizer from a `vocab.txt`: one token per line (only the newline is stripped), the
    /// line index (from 0) is the id.
    public init(vocabularyFile path: String, options: Options = Options()) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TokenizerError.cannotRead(path: path, reason: "missing or unreadable")
        }
        guard String(data: data, encoding: .utf8) != nil else {
            throw TokenizerError.malformedFile(path: path, reason: "not UTF-8 text")
        }
        // Split on the newline byte only: a "\r" before it stays in the token, as in Python.
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if lines.last == "" { lines.removeLast() }
        var seen: [[UInt8]: Int] = [:]  // byte for byte: "é" and "e\u{301}" are two tokens
        for (index, token) in lines.enumerated() {
            if let first = seen.updateValue(index, forKey: Array(token.utf8)) {
                throw TokenizerError.invalidLine(path: path, line: index + 1, reason: "token \"\(token)\" repeats line \(first + 1)")
            }
        }
        do {
            try self.init(tokens: lines, options: options)
        } catch TokenizerError.invalidArgument(let reason) {
            throw TokenizerError.malformedFile(path: path, reason: reason)
        }
    }

    /// The options a `tokenizer_config.json` sets.
    static func options(configPath path: String) throws -> Options {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TokenizerError.cannotRead(path: path, reason: "missing or unreadable")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw TokenizerError.malformedFile(path: path, reason: "not a JSON object")
        }
        var options = Options()
        func flag(_ key: String) throws -> Bool? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            guard let flag = value as? Bool else {
                throw TokenizerError.invalidKey(path: path, key: key, reason: "must be true or false")
            }
            return flag
        }
        func token(_ key: String) throws -> String? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            if let text = value as? String { return text }
            if let content = (value as? [String: Any])?["content"] as? String { return content }
            throw TokenizerError.invalidKey(path: path, key: key, reason: "must be a string or an object with content")
        }
        if let lowercase = try flag("do_lower_case") { options.lowercase = lowercase }
        options.stripAccents = try flag("strip_accents")
        if let chinese = try flag("tokenize_chinese_chars") { options.handleChineseCharacters = chinese }
        if let unknown = try token("unk_token") { options.unknownToken = unknown }
        if let separator = try token("sep_token") { options.separatorToken = separator }
        if let padding = try token("pad_token") { options.paddingToken = padding }
        if let classifier = try token("cls_token") { options.classifierToken = classifier }
        if let mask = try token("mask_token") { options.maskToken = mask }
        return options
    }
}
