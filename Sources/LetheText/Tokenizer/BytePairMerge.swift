/// Byte-pair encoding of one word: repeatedly merge the adjacent pair whose rule has the lowest
/// rank, the leftmost such pair on a tie, until no adjacent pair has a rule.
///
///     symbols = [id(byte) for each byte of the word]
///     while some (s[i], s[i+1]) has a rule:
///         i = argmin over i of (rank(s[i], s[i+1]), i)
///         s[i...i+1] = [merged(s[i], s[i+1])]
///
/// This is Hugging Face `tokenizers`' `Word::merge_all` (a heap of (rank, position)), which also
/// equals OpenAI's `encoder.py` `bpe()` for vocabularies where every rule makes a new token.
/// Two implementations, tested against each other:
/// - `mergeShort`: a rank per adjacent pair, rescanned for the minimum after each merge (two
///   look-ups per merge); exact when no two rules make the same token.
/// - `mergeLong`: a heap of (rank, position) over a linked list, O(n log n), for long words
///   (a line of 10,000 dashes) and for vocabularies with repeated results, where a stale
///   heap entry whose current pair makes the same token still merges (as in `merge_all`).
///
/// Reference: https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/models/bpe/word.rs
extension MergeTable {
    /// Words longer than this (in symbols) use the heap.
    static let shortWordLimit = 48

    /// Merges `symbols[0..<count]` in place and returns the new count. `ranks` is scratch space
    /// for at least `count` values.
    func merge(_ symbols: UnsafeMutablePointer<Int32>, count: Int, ranks: UnsafeMutablePointer<UInt64>) -> Int {
        if count < 2 { return count }
        if count <= Self.shortWordLimit && !hasRepeatedResults {
            return mergeShort(symbols, count: count, ranks: ranks)
        }
        return mergeLong(symbols, count: count)
    }

    /// `ranks[i]` holds `rank << 32 | merged` of pair (i, i+1), so the minimum is the lowest rank.
    func mergeShort(_ s: UnsafeMutablePointer<Int32>, count: Int, ranks: UnsafeMutablePointer<UInt64>) -> Int {
        var n = count
        for i in 0..<(n - 1) { ranks[i] = lookup(s[i], s[i + 1]) }
        while n > 1 {
            var best = UInt64.max
            var position = -1
            for i in 0..<(n - 1) where ranks[i] < best {
                best = ranks[i]
                position = i
            }
            if position < 0 { break }
            s[position] = Int32(truncatingIfNeeded: best & 0xFFFF_FFFF)
            var k = position + 1
            while k < n - 1 {
                s[k] = s[k + 1]
                k += 1
            }
            k = position + 1
            while k < n - 2 {
                ranks[k] = ranks[k + 1]
                k += 1
            }
            n -= 1
            if position < n - 1 { ranks[position] = lookup(s[position], s[position + 1]) }
            if position > 0 { ranks[position - 1] = lookup(s[position - 1], s[position]) }
        }
        return n
    }

    /// The heap version of `merge`: entries `rank << 32 | position`, popped smallest first.
    func mergeLong(_ s: UnsafeMutablePointer<Int32>, count n: Int) -> Int {
        var next = [Int32](0..<Int32(n)).map { $0 + 1 }
        next[n - 1] = -1
        var previous = [Int32](0..<Int32(n)).map { $0 - 1 }
        var alive = [Bool](repeating: true, count: n)
        var heap = BinaryHeap<UInt64>()
        for i in 0..<(n - 1) {
            let value = lookup(s[i], s[i + 1])
            if value != UInt64.max { heap.push(value & ~0xFFFF_FFFF | UInt64(i)) }
        }
        while let top = heap.pop() {
            let rank = Int(top >> 32)
            let position = Int(top & 0xFFFF_FFFF)
            guard alive[position], next[position] >= 0 else { continue }
            let right = Int(next[position])
            let merged = rules[rank].merged
            let current = lookup(s[position], s[right])
            guard current != UInt64.max, Int32(truncatingIfNeeded: current & 0xFFFF_FFFF) == merged else { continue }
            s[position] = merged
            alive[right] = false
            next[position] = next[right]
            if next[right] >= 0 { previous[Int(next[right])] = Int32(position) }
            if previous[position] >= 0 {
                let left = Int(previous[position])
                let value = lookup(s[left], s[position])
                if value != UInt64.max { heap.push(value & ~0xFFFF_FFFF | UInt64(left)) }
            }
            if next[position] >= 0 {
                let value = lookup(s[position], s[Int(next[position])])
                if value != UInt64.max { heap.push(value & ~0xFFFF_FFFF | UInt64(position)) }
            }
        }
        var write = 0
        var read = 0
        while read >= 0 {
            s[write] = s[read]
            write += 1
            read = Int(next[read])
        }
        return write
    }
}
