import LetheTensor

/// Seeded mutations of a valid file, for fuzz tests of the readers: every input must end in
/// a value or a thrown error; a crash fails the whole test run, a hang its time limit.
public struct Mutator {
    var rng: RandomGenerator

    public init(seed: UInt64) { rng = RandomGenerator(seed: seed) }

    /// One mutated copy of `bytes`: truncation, flipped bytes, huge little-endian integers,
    /// inserted garbage, duplicated spans, deleted spans, or (in text) numbers swapped for
    /// extreme ones and invalid UTF-8.
    public mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        let count = max(out.count, 1)
        switch rng.next() % 8 {
        case 7:
            let start = Int(rng.next() % UInt64(count))
            out.removeSubrange(min(start, out.count)..<min(out.count, start + 1 + Int(rng.next() % 64)))
        case 0:
            out = Array(out.prefix(Int(rng.next() % UInt64(count))))
        case 1:
            for _ in 0..<(1 + rng.next() % 8) where !out.isEmpty {
                out[Int(rng.next() % UInt64(out.count))] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            }
        case 2:
            let position = Int(rng.next() % UInt64(count))
            let huge: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, UInt8(truncatingIfNeeded: rng.next() % 0x80)]
            for (i, b) in huge.enumerated() where position + i < out.count { out[position + i] = b }
        case 3:
            let garbage = (0..<(1 + rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            out.insert(contentsOf: garbage, at: Int(rng.next() % UInt64(out.count + 1)))
        case 4:
            let start = Int(rng.next() % UInt64(count))
            let span = out[min(start, out.count)..<min(out.count, start + 1 + Int(rng.next() % 256))]
            out.insert(contentsOf: span, at: Int(rng.next() % UInt64(out.count + 1)))
        case 5:
            // Replace a run of ASCII digits with an extreme number.
            let extremes = ["99999999999999999999999", "-1", "1e308", "4294967297", "-9223372036854775808", "0"]
            if let start = out.indices.filter({ out[$0] >= 0x30 && out[$0] <= 0x39 }).randomPick(&rng) {
                var end = start
                while end < out.count, out[end] >= 0x30, out[end] <= 0x39 { end += 1 }
                let pick = extremes[Int(rng.next() % UInt64(extremes.count))]
                out.replaceSubrange(start..<end, with: Array(pick.utf8))
            }
        default:
            // Invalid UTF-8 sequences.
            let bad: [[UInt8]] = [[0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xFF], [0xED, 0xA0, 0x80]]
            out.insert(contentsOf: bad[Int(rng.next() % 5)], at: Int(rng.next() % UInt64(out.count + 1)))
        }
        return out
    }
}

extension Array {
    fileprivate func randomPick(_ rng: inout RandomGenerator) -> Element? {
        isEmpty ? nil : self[Int(rng.next() % UInt64(count))]
    }
}
