import LetheTensor

/// Seeded re-ordering and selection of examples. Everything draws from an explicit
/// `RandomGenerator` with its own Fisher-Yates shuffle (not the standard library's, whose
/// algorithm may change between Swift versions), so a seed gives the same data on every
/// machine.
public enum Sampling {
    /// A uniformly random permutation (Fisher-Yates, drawing j ≤ i by rejection sampling).
    public static func shuffled<T>(_ items: [T], rng: inout RandomGenerator) -> [T] {
        var result = items
        if result.count < 2 { return result }
        for i in stride(from: result.count - 1, through: 1, by: -1) {
            result.swapAt(i, index(below: i + 1, rng: &rng))
        }
        return result
    }

    /// Shuffles, then cuts into parts with the given ratios (e.g. [7, 3]); the last part
    /// takes the rounding remainder.
    public static func split<T>(_ items: [T], ratios: [Double], rng: inout RandomGenerator) throws -> [[T]] {
        guard !ratios.isEmpty, ratios.allSatisfy({ $0 >= 0 }), ratios.reduce(0, +) > 0 else {
            throw DatasetError.invalidArgument("split ratios \(ratios) must be non-negative with a positive sum")
        }
        let order = shuffled(items, rng: &rng)
        let total = ratios.reduce(0, +)
        var parts: [[T]] = []
        var start = 0
        for (k, ratio) in ratios.enumerated() {
            let end = k == ratios.count - 1 ? order.count : min(order.count, start + Int((Double(order.count) * ratio / total).rounded()))
            parts.append(Array(order[start..<end]))
            start = end
        }
        return parts
    }

    /// Down-samples every label to the size of the rarest one (seeded), keeping the original
    /// order within each label. Examples without a label are an error.
    public static func balanced(_ examples: [TextExample], rng: inout RandomGenerator) throws -> [TextExample] {
        var byLabel: [Int: [Int]] = [:]
        for (i, example) in examples.enumerated() {
            guard let label = example.label else {
                throw DatasetError.badRecord(path: example.source, line: example.line, reason: "no label to balance by")
            }
            byLabel[label, default: []].append(i)
        }
        guard let smallest = byLabel.values.map(\.count).min() else { return [] }
        var keep: [Int] = []
        for label in byLabel.keys.sorted() {
            keep += shuffled(byLabel[label] ?? [], rng: &rng).prefix(smallest)
        }
        return keep.sorted().map { examples[$0] }
    }

    /// Pairs each forget example with a retain example drawn at random (with replacement).
    public static func pairs<F, R>(forget: [F], retain: [R], rng: inout RandomGenerator) throws -> [(forget: F, retain: R)] {
        guard !retain.isEmpty else { throw DatasetError.invalidArgument("the retain set is empty") }
        return forget.map { ($0, retain[index(below: retain.count, rng: &rng)]) }
    }

    /// Uniform integer in 0..<bound (bound ≥ 1) without modulo bias.
    public static func index(below bound: Int, rng: inout RandomGenerator) -> Int {
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        while true {
            let x = rng.next()
            if x < limit { return Int(x % b) }
        }
    }
}
