/// The BPE merge rules of a vocabulary, as an open-addressing hash table from a pair of token
/// ids to the rule's rank (its line in `merges.txt`, 0 first) and the id of the merged token.
///
///     key   = left << 32 | right        (ids as UInt32)
///     value = rank << 32 | merged
///     slot  = (key * 0x9E3779B97F4A7C15) >> (64 - bits), then linear probing
///
/// A pair listed twice keeps its later rank, as in Hugging Face `tokenizers`.
struct MergeTable: Sendable {
    /// The rules in rank order: (left, right, merged) token ids.
    private(set) var rules: [(left: Int32, right: Int32, merged: Int32)] = []
    private var keys: [UInt64]
    private var values: [UInt64]
    private var bits: Int
    /// Whether two rules make the same token (then only the heap merge is exact; see `BytePairEncoder`).
    private(set) var hasRepeatedResults = false

    private static let empty = UInt64.max

    init(capacity: Int = 0) {
        bits = 4
        while (1 << bits) < max(16, capacity * 2) { bits += 1 }
        keys = [UInt64](repeating: Self.empty, count: 1 << bits)
        values = [UInt64](repeating: 0, count: 1 << bits)
    }

    var count: Int { rules.count }

    /// Adds the rule of the next rank: `left right -> merged`.
    mutating func append(left: Int32, right: Int32, merged: Int32) {
        rules.append((left, right, merged))
        if rules.count * 2 > keys.count { grow() }
        insert(Self.key(left, right), UInt64(rules.count - 1) << 32 | UInt64(UInt32(bitPattern: merged)))
    }

    /// Marks `hasRepeatedResults` when two rules produce one token.
    mutating func checkRepeatedResults() {
        var seen = Set<Int32>()
        hasRepeatedResults = rules.contains { !seen.insert($0.merged).inserted }
    }

    @inline(__always)
    static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// `rank << 32 | merged` for the pair, or `UInt64.max` when no rule merges it.
    @inline(__always)
    func lookup(_ left: Int32, _ right: Int32) -> UInt64 {
        let key = Self.key(left, right)
        let mask = keys.count - 1
        return keys.withUnsafeBufferPointer { k in
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
            while true {
                let found = k[slot]
                if found == key { return values.withUnsafeBufferPointer { $0[slot] } }
                if found == Self.empty { return UInt64.max }
                slot = (slot + 1) & mask
            }
        }
    }

    private mutating func insert(_ key: UInt64, _ value: UInt64) {
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
        while keys[slot] != Self.empty && keys[slot] != key { slot = (slot + 1) & mask }
        keys[slot] = key
        values[slot] = value
    }

    private mutating func grow() {
        let old = zip(keys, values).filter { $0.0 != Self.empty }
        bits += 1
        keys = [UInt64](repeating: Self.empty, count: 1 << bits)
        values = [UInt64](repeating: 0, count: 1 << bits)
        for (key, value) in old { insert(key, value) }
    }
}
