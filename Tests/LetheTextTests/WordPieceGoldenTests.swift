import Foundation
import LetheTensor
import Testing

@testable import LetheText

/// One golden case of `scripts/reference/make_wordpiece_fixture.py` (BertTokenizerFast).
struct WordPieceCase: CustomTestStringConvertible, Sendable {
    let folder: String
    let text: String
    let pair: String?
    let maxLength: Int?
    let ids: [Int]
    let tokenTypes: [Int]
    let tokens: [String]
    let decoded: String

    var testDescription: String { "\(folder): \(text.prefix(30).debugDescription)" + (pair.map { " + \($0.debugDescription)" } ?? "") }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/wordpiece").path

    static func all() -> [WordPieceCase] {
        guard let data = FileManager.default.contents(atPath: root + "/expected.json"),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return [] }
        return ["uncased", "cased", "cased_stripped"].flatMap { folder in
            ((object[folder] as? [[String: Any]]) ?? []).map { c in
                WordPieceCase(
                    folder: folder, text: (c["text"] as? String) ?? "", pair: c["pair"] as? String, maxLength: c["max_length"] as? Int,
                    ids: (c["ids"] as? [Int]) ?? [], tokenTypes: (c["token_type_ids"] as? [Int]) ?? [],
                    tokens: (c["tokens"] as? [String]) ?? [], decoded: (c["decoded"] as? String) ?? "")
            }
        }
    }
}

@Suite("WordPiece matches BertTokenizerFast on golden cases")
struct WordPieceGoldenTests {
    @Test func fixtureHasEveryFolder() {
        #expect(WordPieceCase.all().count == 78)
    }

    @Test(arguments: WordPieceCase.all())
    func idsTypesTokensAndDecodingMatch(_ c: WordPieceCase) throws {
        let tokenizer = try WordPieceTokenizer.load(directory: WordPieceCase.root + "/" + c.folder)
        let encoding = tokenizer.encode(c.text, pair: c.pair, maxLength: c.maxLength)
        #expect(encoding.ids == c.ids)
        #expect(encoding.tokenTypes == c.tokenTypes)
        #expect(encoding.ids.compactMap(tokenizer.token(for:)) == c.tokens)
        #expect(tokenizer.decode(encoding.ids) == c.decoded)
    }

    @Test func folderOptionsAreRead() throws {
        let uncased = try WordPieceTokenizer.load(directory: WordPieceCase.root + "/uncased")
        let stripped = try WordPieceTokenizer.load(directory: WordPieceCase.root + "/cased_stripped")
        #expect(uncased.options.lowercase && uncased.options.stripAccents == nil)
        #expect(!stripped.options.lowercase && stripped.options.stripAccents == true)
        #expect(uncased.tokenize("unaffable") == ["un", "##aff", "##able"])
    }

    @Test func batchPadsRightWithMaskAndTypes() throws {
        let tokenizer = try WordPieceTokenizer.load(directory: WordPieceCase.root + "/uncased")
        let (batch, types) = try EncodedInput.batch([tokenizer.encode("hello", pair: "world"), tokenizer.encode("ok")], paddingID: tokenizer.paddingID)
        #expect(batch.batchSize == 2 && batch.length == 5)
        #expect(batch.attentionMask == [1, 1, 1, 1, 1, 1, 1, 1, 0, 0])
        #expect(Array(batch.ids.suffix(2)) == [tokenizer.paddingID, tokenizer.paddingID])
        #expect(types == [0, 0, 0, 1, 1, 0, 0, 0, 0, 0])
    }

    @Test func badFilesNameTheirLine() throws {
        let directory = NSTemporaryDirectory() + "lethe-wordpiece-\(UInt64.random(in: 0..<UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nhello\n".write(toFile: directory + "/vocab.txt", atomically: true, encoding: .utf8)
        #expect(throws: TokenizerError.invalidLine(path: directory + "/vocab.txt", line: 7, reason: "token \"hello\" repeats line 6")) {
            try WordPieceTokenizer.load(directory: directory)
        }
        try "[PAD]\n[CLS]\n[SEP]\n[MASK]\n".write(toFile: directory + "/vocab.txt", atomically: true, encoding: .utf8)
        #expect(throws: TokenizerError.self) { try WordPieceTokenizer.load(directory: directory) }
        try "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n".write(toFile: directory + "/vocab.txt", atomically: true, encoding: .utf8)
        try #"{"do_lower_case": "yes"}"#.write(toFile: directory + "/tokenizer_config.json", atomically: true, encoding: .utf8)
        #expect(throws: TokenizerError.invalidKey(path: directory + "/tokenizer_config.json", key: "do_lower_case", reason: "must be true or false")) {
            try WordPieceTokenizer.load(directory: directory)
        }
    }
}
