import Foundation
import Testing

@testable import LetheText

/// The two implementations of the byte-pair merge loop agree (`mergeShort` rescans a rank per
/// pair; `mergeLong` pops a heap), on the fixture's rules and random words.
@Suite struct TokenizerMergeTests {
    private func merged(_ table: MergeTable, _ word: [Int32], long: Bool) -> [Int32] {
        var symbols = word
        var ranks = [UInt64](repeating: 0, count: max(1, word.count))
        let n = symbols.withUnsafeMutableBufferPointer { s in
            ranks.withUnsafeMutableBufferPointer { r in
                guard let sBase = s.baseAddress, let rBase = r.baseAddress, word.count > 1 else { return word.count }
                return long ? table.mergeLong(sBase, count: word.count) : table.mergeShort(sBase, count: word.count, ranks: rBase)
            }
        }
        return Array(symbols.prefix(n))
    }

    @Test func shortAndLongMergesAgree() throws {
        let tokenizer = try GPT2Tokenizer.load(from: TokenizerFixtures.path("tokenizer.json"))
        let table = tokenizer.mergeTable
        #expect(!table.hasRepeatedResults)
        let corpus = Array(try String(contentsOfFile: TokenizerFixtures.path("corpus.txt"), encoding: .utf8).utf8)
        var state: UInt64 = 11
        func next() -> UInt64 {  // splitmix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        for _ in 0..<2000 {
            let length = Int(next() % 60) + 1
            let start = Int(next() % UInt64(corpus.count - length))
            let word = corpus[start..<(start + length)].map { tokenizer.byteIDs[Int($0)] }
            #expect(merged(table, word, long: false) == merged(table, word, long: true))
        }
    }

    /// Two rules that make the same token ("a bc" and "ab c" both give "abc"): a stale heap
    /// entry whose current pair makes the same token still merges, as in `Word::merge_all`.
    @Test func repeatedResultsUseTheHeap() throws {
        let vocabulary = ["a": 0, "b": 1, "c": 2, "ab": 3, "bc": 4, "abc": 5]
        let tokenizer = try GPT2Tokenizer(vocabulary: vocabulary, merges: [("b", "c"), ("ab", "c"), ("a", "b"), ("a", "bc")])
        #expect(tokenizer.mergeTable.hasRepeatedResults)
        #expect(tokenizer.encode("abc") == [5])
        #expect(tokenizer.encode("abcabc") == [5, 5])
    }
}
