extension GPT2Tokenizer {
    /// The text of `ids`: their bytes (`decodeBytes`) read as UTF-8, where each cut or invalid
    /// byte sequence becomes U+FFFD (the "maximal subpart" rule of Unicode §3.9, which Rust's
    /// `from_utf8_lossy` in HF `tokenizers` also follows). Never fails.
    ///
    /// - Parameters:
    ///   - ids: token ids; ids outside the vocabulary are skipped.
    ///   - skipSpecialTokens: leave out special added tokens such as `<|endoftext|>`
    ///     (HF `tokenizers` defaults to true; here the default keeps them, so that
    ///     `decode(encode(text)) == text`).
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        String(decoding: decodeBytes(ids, skipSpecialTokens: skipSpecialTokens), as: UTF8.self)
    }

    /// The bytes that `ids` stand for, concatenated (no UTF-8 repair).
    public func decodeBytes(_ ids: [Int], skipSpecialTokens: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        tokenBytes.withUnsafeBufferPointer { all in
            tokenOffsets.withUnsafeBufferPointer { offsets in
                for id in ids where id >= 0 && id < tokens.count {
                    if skipSpecialTokens && specialIDs.contains(id) { continue }
                    let start = Int(offsets[id])
                    let end = Int(offsets[id + 1])
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: all[start..<end]))
                }
            }
        }
        return bytes
    }
}
