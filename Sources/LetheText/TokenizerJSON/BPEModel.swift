/// The BPE model of a `tokenizer.json` (`model.type == "BPE"`), for any alphabet: the symbols of
/// a piece are its unicode scalars (byte-level scalars after a `ByteLevel` pre-tokenizer,
/// `▁`-marked text after `Metaspace`), merged by the same `MergeTable` as `GPT2Tokenizer`.
///
///     piece --ignore_merges and piece in vocab?--> [vocab[piece]]
///     piece --each scalar c (##c after the first with a continuing_subword_prefix,
///             c</w> for the last with an end_of_word_suffix)--> vocab[c]
///                 | missing: <0xNN> for each UTF-8 byte (byte_fallback, when all 256 exist)
///                 | missing: unk_token (consecutive ones fused with fuse_unk) | dropped
///           --MergeTable.merge (lowest rank first, leftmost on a tie)--> ids
///
/// Reference: https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/models/bpe/model.rs
/// (`merge_word`, `tokenize_with_cache`).
struct BPEModel: Sendable {
    /// The model vocabulary (`model.vocab`): token text to id, byte for byte.
    let vocabulary: ExactVocabulary
    let mergeTable: MergeTable
    /// The id of `unk_token`, or -1.
    let unknownID: Int32
    let fuseUnknown: Bool
    let ignoreMerges: Bool
    let continuingSubwordPrefix: String
    let endOfWordSuffix: String
    /// `byteFallbackIDs[b]`: the id of `<0xNN>` for byte `b`, or -1; empty without byte fallback.
    let byteFallbackIDs: [Int32]
    /// The ids of the single-scalar tokens, by scalar value (exact, where `String` keys would
    /// also match canonically equivalent scalars such as U+212B and U+00C5).
    let scalarIDs: [UInt32: Int32]

    /// Settings of the model besides vocabulary and merges (`tokenizer.json` keys in parentheses).
    struct Options: Sendable {
        /// (`unk_token`)
        var unknownToken: String?
        /// (`fuse_unk`)
        var fuseUnknown = false
        /// (`byte_fallback`)
        var byteFallback = false
        /// (`ignore_merges`)
        var ignoreMerges = false
        /// (`continuing_subword_prefix`)
        var continuingSubwordPrefix = ""
        /// (`end_of_word_suffix`)
        var endOfWordSuffix = ""
    }

    /// - Throws: `TokenizerError.invalidKey` naming `model.vocab` (an id outside `0..<2^24`),
    ///   `mergesKey[i]` (`model.merges[i]`) or `model.unk_token`.
    init(vocabulary: ExactVocabulary, merges: [(String, String)], options: Options, path: String, mergesKey: String = "model.merges") throws {
        for (token, id) in vocabulary.entries where id < 0 || id >= GPT2Tokenizer.idLimit {
            throw TokenizerError.invalidKey(
                path: path, key: "model.vocab", reason: "token \(quoted(token)) has id \(id), outside 0..<\(GPT2Tokenizer.idLimit)")
        }
        self.vocabulary = vocabulary
        mergeTable = try MergeTable(
            merges: merges, id: { vocabulary[$0] }, continuingSubwordPrefix: options.continuingSubwordPrefix, path: path,
            key: mergesKey)
        if let unknown = options.unknownToken {
            guard let id = vocabulary[unknown] else {
                throw TokenizerError.invalidKey(path: path, key: "model.unk_token", reason: "token \(quoted(unknown)) is not in the vocabulary")
            }
            unknownID = Int32(id)
        } else {
            unknownID = -1
        }
        fuseUnknown = options.fuseUnknown
        ignoreMerges = options.ignoreMerges
        continuingSubwordPrefix = options.continuingSubwordPrefix
        endOfWordSuffix = options.endOfWordSuffix
        var scalarIDs: [UInt32: Int32] = [:]
        for (token, id) in vocabulary.entries where token.unicodeScalars.count == 1 {
            if let scalar = token.unicodeScalars.first { scalarIDs[scalar.value] = Int32(id) }
        }
        self.scalarIDs = scalarIDs
        byteFallbackIDs = options.byteFallback ? (0..<256).map { Int32(vocabulary[Self.byteToken(UInt8($0))] ?? -1) } : []
    }

    /// The byte-fallback token of a byte: `<0x0A>` for 10 (`format!("<{b:#04X}>")`).
    static func byteToken(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "<0x\(digits[Int(byte >> 4)])\(digits[Int(byte & 15)])>"
    }

    /// Appends the ids of one piece (its UTF-8 text) to `ids`.
    func tokenize(_ piece: [UInt8], into ids: inout [Int]) {
        let text = String(decoding: piece, as: UTF8.self)
        if ignoreMerges, let id = vocabulary[text] {
            ids.append(id)
            return
        }
        var symbols: [Int32] = []
        symbols.reserveCapacity(piece.count)
        var pendingUnknown = false
        let scalars = Array(text.unicodeScalars)
        let affixed = !continuingSubwordPrefix.isEmpty || !endOfWordSuffix.isEmpty
        for (index, scalar) in scalars.enumerated() {
            var symbol = ""
            var found: Int32?
            if affixed {
                symbol = String(scalar)
                if index > 0 && !continuingSubwordPrefix.isEmpty { symbol = continuingSubwordPrefix + symbol }
                if index == scalars.count - 1 && !endOfWordSuffix.isEmpty { symbol += endOfWordSuffix }
                found = vocabulary[symbol].map { Int32($0) }
            } else {
                found = scalarIDs[scalar.value]
            }
            if let id = found {
                if pendingUnknown {
                    symbols.append(unknownID)
                    pendingUnknown = false
                }
                symbols.append(id)
                continue
            }
            if !affixed { symbol = String(scalar) }
            if !byteFallbackIDs.isEmpty {
                let bytes = symbol.utf8.map { byteFallbackIDs[Int($0)] }
                if !bytes.contains(-1) {
                    symbols += bytes  // as in `tokenizers`, a pending unknown token is not flushed first
                    continue
                }
            }
            guard unknownID >= 0 else { continue }
            if pendingUnknown && !fuseUnknown { symbols.append(unknownID) }
            pendingUnknown = true
        }
        if pendingUnknown { symbols.append(unknownID) }
        var ranks = [UInt64](repeating: 0, count: symbols.count)
        let count = symbols.withUnsafeMutableBufferPointer { s in
            ranks.withUnsafeMutableBufferPointer { r in
                guard let sBase = s.baseAddress, let rBase = r.baseAddress else { return s.count }
                return mergeTable.merge(sBase, count: s.count, ranks: rBase)
            }
        }
        for k in 0..<count { ids.append(Int(symbols[k])) }
    }
}
