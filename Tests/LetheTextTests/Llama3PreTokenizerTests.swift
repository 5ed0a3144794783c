import Foundation
import LetheText
import Testing

/// The hand-written Llama-3 / Qwen2 split scanner cuts the pieces that `tokenizers`' Oniguruma
/// regex cuts, on 1,500 random strings of the characters that tell the alternatives apart.
@Suite struct Llama3PreTokenizerTests {
    @Test(arguments: [("llama3", 3), ("qwen2", 1)])
    func matchesTheRegex(kind: String, maximumDigits: Int) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: TokenizerJSONGoldenTests.path("pretokenize", "\(kind).json")))
        let cases = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(cases.count == 1500)
        var failures = 0
        for entry in cases {
            let text = try #require(entry["text"] as? String)
            let pieces = try #require(entry["pieces"] as? [String])
            let split = Llama3PreTokenizer.split(text, maximumDigits: maximumDigits)
            if !split.elementsEqual(pieces, by: { $0.unicodeScalars.elementsEqual($1.unicodeScalars) }) {
                failures += 1
                if failures <= 5 { Issue.record("\(kind): \(text.debugDescription): \(split) != \(pieces)") }
            }
        }
        #expect(failures == 0)
    }

    @Test func examples() {
        #expect(Llama3PreTokenizer.split("IT'S 12345 apples!!\n\n  ok") == ["IT", "'S", " ", "123", "45", " apples", "!!\n\n", " ", " ok"])
        #expect(Llama3PreTokenizer.split("12345", maximumDigits: 1) == ["1", "2", "3", "4", "5"])
    }
}
