/// GPT-2's pre-tokenisation: the split of text into the pieces ("words") that BPE encodes one
/// at a time, by the pattern of OpenAI's `encoder.py` applied to unicode scalars:
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// The alternatives are tried in order at each position (the regex's leftmost-first rule), and
/// this hand-written scanner over UTF-8 bytes takes the same decisions:
/// - contractions are lowercase only (`"IT'S"` gives `"'"`, `"S"`) and win even inside a word
///   (`"'sup"` gives `"'s"`, `"up"`);
/// - a single literal space (U+0020, not NBSP or tab) joins the letter, number or other run
///   after it (`" world"`);
/// - a whitespace run followed by non-space gives back its last scalar, which starts the next
///   piece (`"a   b"` gives `"a"`, `"  "`, `" b"`; `\s+(?!\S)` backtracks by one scalar), and a
///   run of one such scalar stands alone (`\s+`); a run at the end of the text is one piece.
///
/// Classes of scalars: see `ScalarClass`. `"\r\n"` is one whitespace run and `"e\u{301}"` two
/// pieces, as in Python (scalar, not grapheme, semantics).
///
/// References: https://github.com/openai/gpt-2/blob/master/src/encoder.py (`self.pat`),
/// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/pre_tokenizers/byte_level.rs
public enum GPT2PreTokenizer {
    /// The pieces of `text`, in order; they concatenate to `text`.
    public static func split(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { buffer in
            var pieces: [String] = []
            forEachPiece(buffer) { start, end in
                pieces.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self))
            }
            return pieces
        }
    }

    /// Calls `body(start, end)` with the byte range of each piece of the UTF-8 `bytes`, in order.
    @inline(__always)
    static func forEachPiece(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, Int) -> Void) {
        guard let p = bytes.baseAddress else { return }
        let n = bytes.count
        var i = 0
        while i < n {
            let end = pieceEnd(p, i, n)
            body(i, end)
            i = end
        }
    }

    /// The end (exclusive) of the piece that starts at byte `i` of `p[0..<n]`.
    @inline(__always)
    static func pieceEnd(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        let b0 = p[i]
        if b0 == 0x27, i + 1 < n {  // '
            let b1 = p[i + 1]
            if b1 == 0x73 || b1 == 0x74 || b1 == 0x6D || b1 == 0x64 { return i + 2 }  // 's 't 'm 'd
            if i + 2 < n {
                let b2 = p[i + 2]
                if (b1 == 0x72 && b2 == 0x65) || (b1 == 0x76 && b2 == 0x65) || (b1 == 0x6C && b2 == 0x6C) {
                    return i + 3  // 're 've 'll
                }
            }
        }
        let (first, firstLength) = ScalarClass.at(p, i, n)
        var runStart = i + firstLength
        var runClass = first
        if b0 == 0x20, runStart < n {  // " ?" before a letter, number or other run
            let (next, nextLength) = ScalarClass.at(p, runStart, n)
            if next != .whitespace {
                runClass = next
                runStart += nextLength
            }
        }
        if runClass != .whitespace {
            var j = runStart
            while j < n {
                let b = p[j]
                if b < 0x80 {  // ASCII fast path
                    if ScalarClass.ascii(b) != runClass { break }
                    j += 1
                } else {
                    let (cls, length) = ScalarClass.at(p, j, n)
                    if cls != runClass { break }
                    j += length
                }
            }
            return j
        }
        // Whitespace: \s+(?!\S) keeps all but the last scalar when non-space follows; \s+ a lone one.
        var j = runStart
        var lastStart = i
        while j < n {
            let (cls, length) = ScalarClass.at(p, j, n)
            if cls != .whitespace { break }
            lastStart = j
            j += length
        }
        if j == n || lastStart == i { return j }
        return lastStart
    }
}
