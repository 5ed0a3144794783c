import Foundation

/// The parts of a `tokenizer.json` that every BPE reader shares.
extension JSONFile {
    /// The merge rules at `key`, in rank order: `"left right"` strings (older files) or
    /// `["left", "right"]` pairs.
    func mergeRules(_ key: String) throws -> [(String, String)] {
        guard let rawMerges = values[key] as? [Any] else { throw invalid(key, "expected an array of merge rules") }
        var merges: [(String, String)] = []
        merges.reserveCapacity(rawMerges.count)
        for (index, rule) in rawMerges.enumerated() {
            if let pair = rule as? [Any], pair.count == 2, let a = pair[0] as? String, let b = pair[1] as? String {
                merges.append((a, b))
            } else if let line = rule as? String, let pair = GPT2Tokenizer.mergePair(line) {
                merges.append(pair)
            } else {
                throw invalid("\(key)[\(index)]", "expected \"left right\" or [\"left\", \"right\"], found \(rule)")
            }
        }
        return merges
    }

    /// The `added_tokens` list of the file (absent or `null`: none).
    func addedTokens() throws -> [AddedToken] {
        guard let list = values["added_tokens"], !(list is NSNull) else { return [] }
        guard let entries = list as? [Any] else { throw invalid("added_tokens", "expected an array") }
        return try entries.enumerated().map { index, entry in
            let token = try nested(entry, key: prefix + "added_tokens[\(index)]")
            let special = try token.optionalBool("special") ?? false
            return AddedToken(
                content: try token.string("content"), id: try token.int("id"), special: special,
                singleWord: try token.optionalBool("single_word") ?? false,
                leftStrip: try token.optionalBool("lstrip") ?? false,
                rightStrip: try token.optionalBool("rstrip") ?? false,
                normalized: try token.optionalBool("normalized") ?? !special)
        }
    }

    /// The object at `key`, or `nil` when absent or `null`.
    func optionalObject(_ key: String) throws -> JSONFile? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        return try nested(value, key: prefix + key)
    }

    /// The objects of the array at `key` (absent or `null`: none).
    func objects(_ key: String) throws -> [JSONFile] {
        guard let value = values[key], !(value is NSNull) else { return [] }
        guard let list = value as? [Any] else { throw invalid(key, "expected an array") }
        return try list.enumerated().map { index, entry in try nested(entry, key: prefix + "\(key)[\(index)]") }
    }

    /// The integer at `key`; `nil` when absent or `null`.
    func optionalInt(_ key: String) throws -> Int? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let number = value as? Int else { throw invalid(key, "expected an integer, found \(value)") }
        return number
    }

    /// The `type` of this component; the error names the component's key.
    func componentType() throws -> String {
        guard let type = try optionalString("type") else { throw invalid("type", "missing") }
        return type
    }

    /// The error for a component `type` this reader does not implement, naming its JSON path.
    func unsupportedType(_ type: String) -> TokenizerError {
        .unsupported(path: path, key: prefix + "type", value: quoted(type))
    }
}
