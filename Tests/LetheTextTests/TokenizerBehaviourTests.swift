import Foundation
import LetheText
import Testing

/// Special tokens, added-token rules, options, invalid input and lookups. Expected ids come from
/// Python `tokenizers` with the fixture tokenizer and the same settings.
@Suite struct TokenizerBehaviourTests {
    let tokenizer: GPT2Tokenizer

    init() throws { tokenizer = try GPT2Tokenizer.load(from: TokenizerFixtures.path("tokenizer.json")) }

    /// The fixture tokenizer rebuilt with other added tokens or options.
    private func variant(adding added: [AddedToken] = [], options: GPT2Tokenizer.Options = .init()) throws -> GPT2Tokenizer {
        try GPT2Tokenizer(
            vocabulary: tokenizer.vocabulary, merges: tokenizer.merges, addedTokens: tokenizer.addedTokens + added,
            options: options)
    }

    @Test func lookups() {
        #expect(tokenizer.vocabularySize == 700)
        #expect(tokenizer.endOfTextID == 0)
        #expect(tokenizer.specialTokens == ["<|endoftext|>": 0])
        #expect(tokenizer.id(for: "Ġ") == 221)
        #expect(tokenizer.token(for: 221) == "Ġ")
        #expect(tokenizer.token(for: 700) == nil)
        #expect(tokenizer.token(for: -1) == nil)
        #expect(tokenizer.id(for: "no such token") == nil)
    }

    @Test func specialTokenPolicy() {
        let text = "a<|endoftext|>b"
        #expect(tokenizer.encode(text) == [65, 0, 66])
        #expect(tokenizer.encode(text, allowedSpecial: .only(["<|endoftext|>"])) == [65, 0, 66])
        let plain = tokenizer.encode(text, allowedSpecial: .none)
        #expect(plain == tokenizer.encode(text, allowedSpecial: .only(["<|pad|>"])))
        #expect(!plain.contains(0))
        #expect(tokenizer.decode(plain) == text)
        #expect(tokenizer.decode([65, 0, 66], skipSpecialTokens: true) == "ab")
    }

    /// `lstrip` / `rstrip` swallow neighbouring whitespace; a `single_word` token needs
    /// non-word characters around it (ids from Python `tokenizers`).
    @Test func addedTokenRules() throws {
        let rich = try variant(adding: [
            AddedToken(content: "<mask>", id: 700, leftStrip: true),
            AddedToken(content: "[SEP]", id: 701, rightStrip: true),
            AddedToken(content: "foo", id: 702, special: false, singleWord: true),
        ])
        let expected: [(String, [Int])] = [
            ("a <mask> b", [65, 700, 330]),
            ("a  \t<mask>b", [65, 700, 66]),
            ("<mask>", [700]),
            ("x[SEP]  y", [88, 701, 89]),
            ("x [SEP]\n", [88, 221, 701]),
            ("foo food foo_ (foo) afoo foo", [702, 279, 79, 79, 68, 279, 79, 79, 63, 337, 702, 9, 262, 70, 79, 79, 221, 702]),
            ("<|endoftext|>foo<mask>", [0, 702, 700]),
        ]
        for (text, ids) in expected { #expect(rich.encode(text) == ids, "\(text.debugDescription)") }
        #expect(rich.vocabularySize == 703)
        #expect(rich.encode("foo<mask>", allowedSpecial: .none).first == 702)  // non-special: always matched
    }

    @Test func prefixSpaceAndNoRegexOptions() throws {
        let prefixed = try variant(options: .init(addPrefixSpace: true))
        #expect(prefixed.encode("Hello world") == [221, 40, 69, 76, 76, 79, 272, 277, 287])
        #expect(prefixed.encode(" Hello") == [221, 40, 69, 76, 76, 79])
        #expect(prefixed.encode("a<|endoftext|>b") == [262, 0, 330])
        #expect(prefixed.encode("") == [])
        let whole = try variant(options: .init(useRegex: false))
        #expect(whole.encode("Hello world") == [40, 69, 76, 76, 79, 272, 277, 287])
        #expect(whole.encode("the model") == [84, 259, 433])
    }

    /// Bytes missing from the vocabulary are dropped, or become the unknown token (fused when
    /// asked), as in `tokenizers`' BPE model.
    @Test func missingBytesAndUnknownToken() throws {
        let tiny = try GPT2Tokenizer(vocabulary: ["a": 0, "b": 1, "ab": 2, "Ġ": 3], merges: [("a", "b")])
        #expect(tiny.encode("abcab a") == [2, 2, 3, 0])
        let unknown = try GPT2Tokenizer(
            vocabulary: ["a": 0, "b": 1, "ab": 2, "Ġ": 3, "<unk>": 4], merges: [("a", "b")],
            options: .init(unknownToken: "<unk>", fuseUnknown: true))
        #expect(unknown.encode("abccab a") == [2, 4, 2, 3, 0])
    }

    @Test func invalidUTF8IsReplacedNotFatal() {
        #expect(tokenizer.encode(bytes: [0x48, 0xFF, 0x69]) == tokenizer.encode("H\u{FFFD}i"))
        #expect(tokenizer.encode(bytes: [0xE6, 0x97]) == tokenizer.encode("\u{FFFD}"))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let ids = tokenizer.encode(bytes: bytes)
            #expect(tokenizer.decode(ids) == String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func anyIDsDecodeWithoutCrashing() {
        let all = Array(0..<tokenizer.vocabularySize)
        #expect(!tokenizer.decode(all).isEmpty)
        for id in all { _ = tokenizer.decode([id]) }
        #expect(tokenizer.decode([-5, 65, 100_000, 66]) == "ab")  // unknown ids are skipped
        // "😀" is F0 9F 98 80; its ids cut anywhere give U+FFFD, never a crash.
        let emoji = tokenizer.encode("😀😀")
        for cut in 0...emoji.count { _ = tokenizer.decode(Array(emoji.prefix(cut))) }
        #expect(tokenizer.decodeBytes(emoji) == Array("😀😀".utf8))
    }

    /// Long pieces (one run of 10,000 spaces or dashes) take the heap path and round-trip.
    @Test func longPiecesRoundTrip() {
        for text in [String(repeating: " ", count: 10_000), String(repeating: "-", count: 10_000) + "x",
                     String(repeating: "ab", count: 5_000), String(repeating: "😀", count: 500)] {
            #expect(tokenizer.decode(tokenizer.encode(text)) == text)
        }
        // A piece longer than the short-merge limit gives the same ids as the same word cut
        // from the golden corpus: 60 x "aa" merges exactly like shorter runs, 2 by 2.
        let short = tokenizer.encode(String(repeating: "a", count: 40))
        let long = tokenizer.encode(String(repeating: "a", count: 80))
        #expect(long == short + short)
    }

    @Test func concurrentEncodingAgrees() async throws {
        let texts = try TokenizerFixtures.cases("cases.json").map(\.text)
        let expected = texts.map { tokenizer.encode($0) }
        let shared = tokenizer
        let results = await withTaskGroup(of: [[Int]].self) { group in
            for _ in 0..<4 { group.addTask { texts.map { shared.encode($0) } } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for result in results { #expect(result == expected) }
    }
}
