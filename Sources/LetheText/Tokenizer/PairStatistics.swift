/// The counts of adjacent symbol pairs over a set of counted words, kept up to date as pairs are
/// merged (the bookkeeping of `BPETrainer`):
///
///     count(a, b) = sum over words w of count(w) * (occurrences of a b in w)
///
/// `best()` pops the pair with the highest count (ties: smallest (a, b)) from a max-heap whose
/// entries may be stale: an entry whose count is above the pair's current count is pushed back
/// with the current count; one below it is dropped (a fresher entry exists, since every
/// increase pushes one).
struct PairStatistics {
    private var words: [[Int32]]
    private var wordCounts: [Int]
    private var pairCounts: [UInt64: Int] = [:]
    /// Words that contained the pair when it formed (may hold words that no longer do).
    private var pairWords: [UInt64: [Int32]] = [:]
    private var heap = BinaryHeap<PairPriority>()
    private var visited: [Int]
    private var stamp = 0

    init(words: [(symbols: [Int32], count: Int)]) {
        self.words = words.map(\.symbols)
        wordCounts = words.map(\.count)
        visited = [Int](repeating: 0, count: words.count)
        for (w, word) in self.words.enumerated() where word.count > 1 {
            for i in 0..<(word.count - 1) {
                let key = MergeTable.key(word[i], word[i + 1])
                pairCounts[key, default: 0] += wordCounts[w]
                pairWords[key, default: []].append(Int32(w))
            }
        }
        for (key, count) in pairCounts { heap.push(PairPriority(count: count, key: key)) }
    }

    /// The most frequent pair and its count, or `nil` when no pair is left.
    mutating func best() -> (left: Int32, right: Int32, count: Int)? {
        while let top = heap.pop() {
            let (count, key) = (top.count, top.key)
            let actual = pairCounts[key] ?? 0
            if actual == count && actual > 0 {
                return (Int32(truncatingIfNeeded: key >> 32), Int32(truncatingIfNeeded: key & 0xFFFF_FFFF), count)
            }
            if actual < count && actual > 0 { heap.push(PairPriority(count: actual, key: key)) }
        }
        return nil
    }

    /// Replaces every occurrence of `left right` (leftmost first) by `merged`, updating the counts.
    mutating func merge(_ left: Int32, _ right: Int32, into merged: Int32) {
        let key = MergeTable.key(left, right)
        guard let candidates = pairWords.removeValue(forKey: key) else { return }
        pairCounts[key] = nil
        stamp += 1
        var increased = Set<UInt64>()
        for w in candidates.map(Int.init) where visited[w] != stamp {
            visited[w] = stamp
            let old = words[w]
            guard old.count > 1, (0..<(old.count - 1)).contains(where: { old[$0] == left && old[$0 + 1] == right }) else {
                continue
            }
            let count = wordCounts[w]
            for i in 0..<(old.count - 1) where old[i] != left || old[i + 1] != right {
                pairCounts[MergeTable.key(old[i], old[i + 1]), default: 0] -= count
            }
            var new: [Int32] = []
            new.reserveCapacity(old.count - 1)
            var i = 0
            while i < old.count {
                if i + 1 < old.count && old[i] == left && old[i + 1] == right {
                    new.append(merged)
                    i += 2
                } else {
                    new.append(old[i])
                    i += 1
                }
            }
            for i in 0..<max(0, new.count - 1) {
                let pair = MergeTable.key(new[i], new[i + 1])
                pairCounts[pair, default: 0] += count
                if new[i] == merged || new[i + 1] == merged {
                    pairWords[pair, default: []].append(Int32(w))
                    increased.insert(pair)
                }
            }
            words[w] = new
        }
        pairCounts[key] = nil
        for pair in increased { heap.push(PairPriority(count: pairCounts[pair] ?? 0, key: pair)) }
    }
}
