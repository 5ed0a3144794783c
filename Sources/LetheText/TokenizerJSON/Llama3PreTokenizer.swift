/// The split pattern of Llama 3 (and, with single digits, of Qwen2), applied to unicode scalars
/// by a hand-written scanner over UTF-8 bytes, as `GPT2PreTokenizer` does for GPT-2's pattern:
///
///     (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
///
/// (Qwen2: `\p{N}` in place of `\p{N}{1,3}`.) The alternatives are tried in order at each
/// position (leftmost-first), which the scanner follows:
/// - contractions in either case (`"IT'S"` gives `"IT"`, `"'S"`), `'ſ` too (U+017F folds to `s`);
/// - one scalar that is not CR, LF, a letter or a number joins the letter run after it
///   (`" world"`, `"\tworld"`, `"(world"`);
/// - numbers in runs of at most `maximumDigits` (`"12345"` gives `"123"`, `"45"`), never with a space;
/// - a symbol run takes one space before it and the CR/LF run after it (`" ...\n"`);
/// - a whitespace run containing CR or LF ends after its last CR/LF (`"  \n  x"` gives `"  \n"`);
/// - otherwise a whitespace run followed by non-space gives back its last scalar (as in GPT-2).
///
/// Classes of scalars: `ScalarClass` (the same Unicode tables as the GPT-2 scanner).
///
/// References: https://github.com/meta-llama/llama3/blob/main/llama/tokenizer.py (`pat_str`),
/// Qwen2's `tokenizer.json` (`pre_tokenizer.pretokenizers[0].pattern.Regex`).
public enum Llama3PreTokenizer {
    /// The pieces of `text`, in order; they concatenate to `text`.
    ///
    /// - Parameter maximumDigits: 3 for Llama 3 (`\p{N}{1,3}`), 1 for Qwen2 (`\p{N}`).
    public static func split(_ text: String, maximumDigits: Int = 3) -> [String] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return [] }
            var pieces: [String] = []
            var i = 0
            while i < buffer.count {
                let end = pieceEnd(p, i, buffer.count, maximumDigits: max(1, maximumDigits))
                pieces.append(String(decoding: buffer[i..<end], as: UTF8.self))
                i = end
            }
            return pieces
        }
    }

    /// The end (exclusive) of the piece that starts at byte `i` of `p[0..<n]`.
    static func pieceEnd(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, maximumDigits: Int) -> Int {
        if let end = contractionEnd(p, i, n) { return end }
        let (first, firstLength) = ScalarClass.at(p, i, n)
        let b0 = p[i]
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if first == .letter { return runEnd(p, i + firstLength, n, .letter) }
        if first != .number && b0 != 0x0D && b0 != 0x0A && i + firstLength < n,
            ScalarClass.at(p, i + firstLength, n).0 == .letter
        {
            return runEnd(p, i + firstLength, n, .letter)
        }
        // \p{N}{1,3}
        if first == .number {
            var j = i
            var count = 0
            while j < n && count < maximumDigits {
                let (cls, length) = ScalarClass.at(p, j, n)
                if cls != .number { break }
                j += length
                count += 1
            }
            return j
        }
        // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
        var symbolStart = -1
        if first == .other {
            symbolStart = i
        } else if b0 == 0x20 && i + 1 < n && ScalarClass.at(p, i + 1, n).0 == .other {
            symbolStart = i + 1
        }
        if symbolStart >= 0 {
            var j = runEnd(p, symbolStart, n, .other)
            while j < n && (p[j] == 0x0D || p[j] == 0x0A) { j += 1 }
            return j
        }
        // Whitespace: \s*[\r\n]+, then \s+(?!\S), then \s+.
        var j = i
        var lastStart = i
        var afterLineBreak = -1
        while j < n {
            let (cls, length) = ScalarClass.at(p, j, n)
            if cls != .whitespace { break }
            if p[j] == 0x0D || p[j] == 0x0A { afterLineBreak = j + 1 }
            lastStart = j
            j += length
        }
        if afterLineBreak >= 0 { return afterLineBreak }
        if j == n || lastStart == i { return j }
        return lastStart
    }

    /// The end of `'s|'t|'re|'ve|'m|'ll|'d` (any case) at `i`, or `nil`.
    private static func contractionEnd(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int? {
        guard p[i] == 0x27, i + 1 < n else { return nil }
        let b1 = p[i + 1] | 0x20  // ASCII letters to lowercase; no other byte becomes one of these letters
        if b1 == 0x73 || b1 == 0x74 || b1 == 0x6D || b1 == 0x64 { return i + 2 }  // s t m d
        if p[i + 1] == 0xC5, i + 2 < n, p[i + 2] == 0xBF { return i + 3 }  // ſ (U+017F)
        guard i + 2 < n else { return nil }
        let b2 = p[i + 2] | 0x20
        if (b1 == 0x72 && b2 == 0x65) || (b1 == 0x76 && b2 == 0x65) || (b1 == 0x6C && b2 == 0x6C) { return i + 3 }  // re ve ll
        return nil
    }

    /// The end of the run of scalars of class `cls` starting at `j`.
    @inline(__always)
    private static func runEnd(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, _ cls: ScalarClass) -> Int {
        var j = start
        while j < n {
            let (c, length) = ScalarClass.at(p, j, n)
            if c != cls { break }
            j += length
        }
        return j
    }
}
