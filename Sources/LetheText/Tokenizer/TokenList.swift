/// The token text of every id, from a model vocabulary and the added tokens (which may reuse
/// vocabulary ids or bring new ones); `""` for ids neither uses. Shared by every BPE tokenizer.
///
/// - Throws: `TokenizerError.invalidKey` naming `model.vocab` or `added_tokens[i]` for an id
///   outside `0..<limit`, an empty added token, or two vocabulary entries with one id.
func tokenList<Entries: Sequence>(
    vocabulary: Entries, addedTokens: [AddedToken], limit: Int, path: String
) throws -> [String] where Entries.Element == (String, Int) {
    var size = 0
    for (token, id) in vocabulary {
        guard id >= 0, id < limit else {
            throw TokenizerError.invalidKey(
                path: path, key: "model.vocab", reason: "token \(quoted(token)) has id \(id), outside 0..<\(limit)")
        }
        size = max(size, id + 1)
    }
    for (index, token) in addedTokens.enumerated() {
        guard token.id >= 0, token.id < limit, !token.content.isEmpty else {
            throw TokenizerError.invalidKey(
                path: path, key: "added_tokens[\(index)]",
                reason: "token \(quoted(token.content)) with id \(token.id) (need non-empty content, id in 0..<\(limit))")
        }
        size = max(size, token.id + 1)
    }
    var tokens = [String](repeating: "", count: size)
    for (token, id) in vocabulary {
        guard tokens[id].isEmpty else {
            throw TokenizerError.invalidKey(
                path: path, key: "model.vocab", reason: "id \(id) is used by \(quoted(tokens[id])) and \(quoted(token))")
        }
        tokens[id] = token
    }
    for token in addedTokens { tokens[token.id] = token.content }
    return tokens
}

extension MergeTable {
    /// The table of `merges`, in rank order, over `vocabulary`: rule `(a, b)` makes the token
    /// `a + b`, or `a + b.dropFirst(prefix.count)` with a continuing-subword prefix such as `"##"`
    /// (as `tokenizers`' `BPE::from_builder` does).
    ///
    /// - Throws: `TokenizerError.invalidKey` naming `key[i]` (`model.merges[i]`) for a rule with a
    ///   token missing from the vocabulary.
    init(
        merges: [(String, String)], vocabulary: [String: Int], continuingSubwordPrefix prefix: String = "", path: String,
        key: String = "model.merges"
    ) throws {
        try self.init(merges: merges, id: { vocabulary[$0] }, continuingSubwordPrefix: prefix, path: path, key: key)
    }

    /// `init(merges:vocabulary:...)` with the vocabulary as a look-up (`ExactVocabulary`'s).
    init(
        merges: [(String, String)], id vocabulary: (String) -> Int?, continuingSubwordPrefix prefix: String = "", path: String,
        key: String = "model.merges"
    ) throws {
        self.init(capacity: merges.count)
        for (rank, (left, right)) in merges.enumerated() {
            let merged = left + (prefix.isEmpty ? right : String(right.unicodeScalars.dropFirst(prefix.unicodeScalars.count)))
            guard let a = vocabulary(left), let b = vocabulary(right), let ab = vocabulary(merged) else {
                let missing = vocabulary(left) == nil ? left : vocabulary(right) == nil ? right : merged
                throw TokenizerError.invalidKey(
                    path: path, key: "\(key)[\(rank)]", reason: "token \(quoted(missing)) is not in the vocabulary")
            }
            append(left: Int32(a), right: Int32(b), merged: Int32(ab))
        }
        checkRepeatedResults()
    }
}
