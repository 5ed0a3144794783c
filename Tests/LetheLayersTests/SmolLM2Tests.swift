import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import LetheText
import Testing

/// The real SmolLM2-135M-Instruct (Q4_1 GGUF, from scripts/fetch-models.sh) loaded by Lethe
/// against transformers loading the same file (scripts/reference/make_smollm2_fixture.py):
/// token ids, next-token NLL of fixed texts, the first logits row, and a greedy chat answer.
/// Skipped, saying so, when models/ lacks the file.
@Suite("Real model: SmolLM2-135M-Instruct against transformers", .serialized)
struct SmolLM2Tests {
    static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../models/SmolLM2-135M-Instruct.Q4_1.gguf").standardized.path
    static let present = FileManager.default.fileExists(atPath: model)
    static let skipReason: Comment = "models/SmolLM2-135M-Instruct.Q4_1.gguf is missing: run scripts/fetch-models.sh"

    struct Expected: Decodable {
        struct Text: Decodable { let text: String, ids: [Int], nll: Double }
        struct Logits: Decodable { let ids: [Int], vocabulary: Int, top10: [Int], indices: [Int], values: [Double] }
        struct Chat: Decodable { let message: String, prompt_ids: [Int], answer_ids: [Int], answer: String }
        let texts: [Text]
        let first_logits: Logits
        let chat: Chat
    }

    static func expected() throws -> Expected {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/smollm2/expected.json")
        return try JSONDecoder().decode(Expected.self, from: Data(contentsOf: path))
    }

    @Test(.enabled(if: present, skipReason)) func nllLogitsAndAGreedyChatAnswerEqualTransformers() throws {
        let expected = try Self.expected()
        let tokenizer = try ModelFile.loadTokenizer(Self.model)
        let model = try ModelFile.load(Self.model)
        #expect(model.family == "llama" && model.dimensions.layerCount == 30 && model.dimensions.keyValueHeadCount == 3)
        for text in expected.texts {
            let ids = tokenizer.encode(text.text, addingSpecialTokens: false)
            #expect(ids == text.ids, "\(text.text)")
            let batch = try TokenBatch(ids: ids, batchSize: 1, length: ids.count)
            let nll = try withoutGradients { try model.languageModelLoss(batch, labels: ids).item() }
            #expect(abs(nll - text.nll) < 2e-3 * max(1, text.nll), "\(text.text): Lethe \(nll), transformers \(text.nll)")
        }
        // The first position's logits: the same ten most likely tokens, and every 16th value.
        let first = expected.first_logits
        let row = try withoutGradients {
            try model.logits(TokenBatch(ids: first.ids, batchSize: 1, length: first.ids.count)).slice(axis: 1, 0..<1).doubles
        }
        #expect(row.count == first.vocabulary)
        let top = Array(row.indices.sorted { row[$0] > row[$1] }.prefix(10))
        #expect(Set(top.prefix(5)) == Set(first.top10.prefix(5)), "\(top) against \(first.top10)")
        let scale = first.values.map(abs).max() ?? 1
        let gap = zip(first.indices, first.values).map { abs(row[$0] - $1) }.max() ?? 0
        #expect(gap < 2e-3 * scale, "largest logit gap \(gap) at scale \(scale)")
        // A greedy chat answer, token for token.
        let pipeline = try #require(tokenizer as? PipelineTokenizer)
        let prompt = tokenizer.encode(chat: [ChatMessage(role: "user", content: expected.chat.message)], format: try pipeline.chatFormat(), addGenerationPrompt: true)
        #expect(prompt == expected.chat.prompt_ids)
        var rng = RandomGenerator(seed: 0)
        let answer = try model.generate(prompts: [prompt], configuration: GenerationConfiguration(maxNewTokens: 24), rng: &rng)[0]
        #expect(answer == expected.chat.answer_ids, "\(tokenizer.decode(answer, skipSpecialTokens: true))")
        #expect(tokenizer.decode(answer, skipSpecialTokens: true) == expected.chat.answer)
    }
}
