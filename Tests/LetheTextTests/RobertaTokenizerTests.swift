import Foundation
import Testing

@testable import LetheText

@Suite("RoBERTa's tokenizer matches RobertaTokenizerFast on golden cases")
struct RobertaTokenizerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/roberta").path

    private func expected() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/expected.json"))
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    @Test func templateIdsAndTruncationMatch() throws {
        let tokenizer = try RobertaTokenizer.load(directory: Self.root)
        let cases = (try expected()["cases"] as? [[String: Any]]) ?? []
        #expect(cases.count == 12)
        for c in cases {
            let text = (c["text"] as? String) ?? ""
            let encoding = tokenizer.encode(text, pair: c["pair"] as? String, maxLength: c["max_length"] as? Int)
            #expect(encoding.ids == (c["ids"] as? [Int]) ?? [], "\(text.debugDescription)")
            #expect(encoding.tokenTypes == (c["token_type_ids"] as? [Int]) ?? [], "\(text.debugDescription)")
        }
    }

    @Test func maskCanStripTheSpaceBeforeIt() throws {
        let tokenizer = try RobertaTokenizer.load(directory: Self.root, maskStripsLeft: true)
        let cases = (try expected()["mask_lstrip_cases"] as? [[String: Any]]) ?? []
        #expect(cases.count == 3)
        for c in cases {
            let text = (c["text"] as? String) ?? ""
            #expect(tokenizer.encode(text).ids == (c["ids"] as? [Int]) ?? [], "\(text.debugDescription)")
        }
        #expect((tokenizer.beginID, tokenizer.paddingID, tokenizer.endID) == (0, 1, 2))
    }
}
