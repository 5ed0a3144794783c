/// A stretch of the input: ordinary text (byte range) or one added token (its id).
enum TextSegment: Equatable {
    case text(Int, Int)
    case token(Int32)
}

/// Splits UTF-8 text at occurrences of added tokens (the rules are on `AddedToken`), before
/// pre-tokenisation. Candidates are indexed by first byte, longest first, so text without any
/// of those bytes costs one table look-up per byte.
///
/// Reference: https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/tokenizer/added_vocabulary.rs
struct AddedTokenSplitter: Sendable {
    let tokens: [AddedToken]
    private let contents: [[UInt8]]
    /// Per pass (raw, then normalised), per first byte: token indices, longest first.
    private let candidates: [[[Int]]]
    /// `startsToken[pass * 256 + byte]`: whether some token of the pass starts with the byte.
    private let startsToken: [Bool]
    /// Whether the second pass has work.
    private let hasNormalizedTokens: Bool

    init(_ tokens: [AddedToken]) {
        let contents = tokens.map { Array($0.content.utf8) }
        self.tokens = tokens
        self.contents = contents
        hasNormalizedTokens = tokens.contains(where: \.normalized)
        var passes = [[[Int]]](repeating: [[Int]](repeating: [], count: 256), count: 2)
        for (index, token) in tokens.enumerated() {
            guard let first = contents[index].first else { continue }
            passes[token.normalized ? 1 : 0][Int(first)].append(index)
        }
        for pass in 0..<2 {
            for byte in 0..<256 {
                passes[pass][byte].sort { (contents[$0].count, -$0) > (contents[$1].count, -$1) }
            }
        }
        candidates = passes
        startsToken = passes.flatMap { $0.map { !$0.isEmpty } }
    }

    var isEmpty: Bool { tokens.isEmpty }


    /// `flags[i]`: whether `tokens[i]` is recognised under `allowed`.
    func flags(_ allowed: AllowedSpecialTokens) -> [Bool] { tokens.map { allowed.allows($0) } }

    /// The segments of `p[0..<n]`, in order; text segments are never empty.
    func split(_ p: UnsafePointer<UInt8>, _ n: Int, allowed: AllowedSpecialTokens) -> [TextSegment] {
        var result: [TextSegment] = []
        forEachSegment(p, n, flags: flags(allowed)) { result.append($0) }
        return result
    }

    /// Calls `body` with each segment of `p[0..<n]`, in order; `flags` from `flags(_:)`.
    func forEachSegment(_ p: UnsafePointer<UInt8>, _ n: Int, flags: [Bool], _ body: (TextSegment) -> Void) {
        scan(p, 0, n, pass: 0, allowed: flags) { segment in
            if case .text(let start, let end) = segment, hasNormalizedTokens {
                scan(p, start, end, pass: 1, allowed: flags, body)
            } else {
                body(segment)
            }
        }
    }

    private func scan(
        _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, pass: Int, allowed: [Bool], _ body: (TextSegment) -> Void
    ) {
        var textStart = start  // where the pending text begins (the previous match's end)
        var i = start
        let offset = pass * 256
        while i < end {
            i = startsToken.withUnsafeBufferPointer { starts in
                var j = i
                while j < end && !starts[offset + Int(p[j])] { j += 1 }
                return j
            }
            guard i < end else { break }
            guard let index = longestMatch(candidates[pass][Int(p[i])], p, i, end) else {
                i += 1
                continue
            }
            let token = tokens[index]
            var matchStart = i
            var matchEnd = i + contents[index].count
            if !allowed[index] || (token.singleWord && !standsAlone(p, matchStart, matchEnd, start, end)) {
                i = matchEnd  // the rejected occurrence is not searched again for shorter tokens
                continue
            }
            if token.leftStrip {
                while matchStart > textStart && classBefore(p, matchStart, textStart) == .whitespace {
                    matchStart = previousScalar(p, matchStart, textStart)
                }
            }
            if token.rightStrip {
                while matchEnd < end {
                    let (cls, length) = ScalarClass.at(p, matchEnd, end)
                    if cls != .whitespace { break }
                    matchEnd += length
                }
            }
            if matchStart > textStart { body(.text(textStart, matchStart)) }
            body(.token(Int32(token.id)))
            textStart = matchEnd
            i = matchEnd
        }
        if end > textStart { body(.text(textStart, end)) }
    }

    private func longestMatch(_ list: [Int], _ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int? {
        for index in list {
            let bytes = contents[index]
            guard i + bytes.count <= end else { continue }
            let matches = bytes.withUnsafeBufferPointer { b in
                guard let base = b.baseAddress else { return false }
                return memoryEqual(base, p + i, b.count)
            }
            if matches { return index }
        }
        return nil
    }

    /// Whether no word character (`\w` of Rust's `regex`, which `tokenizers` uses: see `WordClass`)
    /// touches `p[s..<e]` within `floor..<end`.
    private func standsAlone(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ floor: Int, _ end: Int) -> Bool {
        func isWordCharacter(_ i: Int, _ limit: Int) -> Bool { WordClass.at(p, i, limit).0 == .word }
        if s > floor && isWordCharacter(previousScalar(p, s, floor), s) { return false }
        if e < end && isWordCharacter(e, end) { return false }
        return true
    }

    /// The start of the scalar that ends at `i` (not before `floor`).
    private func previousScalar(_ p: UnsafePointer<UInt8>, _ i: Int, _ floor: Int) -> Int {
        var j = i - 1
        while j > floor && p[j] & 0xC0 == 0x80 { j -= 1 }
        return j
    }

    private func classBefore(_ p: UnsafePointer<UInt8>, _ i: Int, _ floor: Int) -> ScalarClass {
        ScalarClass.at(p, previousScalar(p, i, floor), i).0
    }
}
