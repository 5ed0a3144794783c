import LetheTensor

extension DefaultCorpus {
    /// The seeded random choices of the generator.
    ///
    /// Every draw is explicit integer or IEEE arithmetic on a `RandomGenerator` (no
    /// standard-library shuffles, whose use of randomness may change between Swift versions,
    /// and no `log`/`pow`/`cos`, whose last bits differ between C libraries), so a seed gives
    /// byte-identical output on every platform.
    struct Draw {
        var rng: RandomGenerator

        init(seed: UInt64) { rng = RandomGenerator(seed: seed) }

        init(_ rng: RandomGenerator) { self.rng = rng }

        /// A child stream, independent of what this one draws afterwards.
        mutating func split() -> Draw { Draw(rng.split()) }

        /// Uniform in `0..<count` (0 when `count <= 1`). The modulo bias is below 2^-40 for
        /// every count the generator uses.
        mutating func index(_ count: Int) -> Int {
            count <= 1 ? 0 : Int(rng.next() % UInt64(count))
        }

        /// Uniform in the closed range.
        mutating func int(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + index(range.upperBound - range.lowerBound + 1)
        }

        /// Uniform in `[low, high)`.
        mutating func uniform(_ low: Double, _ high: Double) -> Double {
            low + (high - low) * rng.nextUniform()
        }

        /// True with probability `p`.
        mutating func chance(_ p: Double) -> Bool { rng.nextUniform() < p }

        /// One element, uniformly. `items` must not be empty (the generator only passes
        /// literal, non-empty tables).
        mutating func pick<T>(_ items: [T]) -> T { items[index(items.count)] }

        /// An index drawn from integer weights (`weights[i] / sum`); 0 if all are zero.
        mutating func weighted(_ weights: [Int]) -> Int {
            let total = weights.reduce(0) { $0 + max($1, 0) }
            guard total > 0 else { return 0 }
            var ticket = index(total)
            for (i, w) in weights.enumerated() where w > 0 {
                if ticket < w { return i }
                ticket -= w
            }
            return weights.count - 1
        }

        /// An index drawn from a cumulative distribution (`cumulative.last` is the total).
        mutating func sample(cumulative: [Double]) -> Int {
            guard let total = cumulative.last, total > 0 else { return 0 }
            let u = rng.nextUniform() * total
            var low = 0
            var high = cumulative.count - 1
            while low < high {
                let mid = (low + high) / 2
                if cumulative[mid] > u { high = mid } else { low = mid + 1 }
            }
            return low
        }

        /// A Fisher-Yates shuffle in place.
        mutating func shuffle<T>(_ items: inout [T]) {
            guard items.count > 1 else { return }
            for i in stride(from: items.count - 1, to: 0, by: -1) {
                let j = index(i + 1)
                if i != j { items.swapAt(i, j) }
            }
        }

        /// `0..<count` in a random order.
        mutating func permutation(_ count: Int) -> [Int] {
            var order = Array(0..<max(count, 0))
            shuffle(&order)
            return order
        }
    }
}
