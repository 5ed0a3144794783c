import Foundation
import LetheEvaluation
import LetheLayers
import Testing

@Suite("Perplexity conventions")
struct PerplexityTests {
    @Test("Rolling windows reproduce lm-eval's example (L = 4, tokens 1…10, prefix 0)")
    func rollingWindows() throws {
        let windows = try PerplexityConvention.rollingDisjoint.windows(tokenCount: 10, contextLength: 4)
        #expect(
            windows == [
                PerplexityWindow(inputStart: 0, targetStart: 1, targetEnd: 5),
                PerplexityWindow(inputStart: 4, targetStart: 5, targetEnd: 9),
                PerplexityWindow(inputStart: 6, targetStart: 9, targetEnd: 11),
            ])
    }

    @Test("Every token is scored once: all N (rolling), N − 1 (stride < L), N − windows (stride = L)")
    func coverage() throws {
        for n in [1, 5, 31, 32, 33, 100] {
            for (convention, expected) in [
                (PerplexityConvention.rollingDisjoint, n), (.slidingWindow(stride: 16), n - 1),
                (.slidingWindow(stride: 32), n - (n + 31) / 32),
            ] {
                let windows = try convention.windows(tokenCount: n, contextLength: 32)
                let targets = windows.flatMap { Array($0.targetStart..<$0.targetEnd) }
                #expect(targets.count == expected && Set(targets).count == expected, "\(convention) n=\(n)")
                #expect(windows.allSatisfy { $0.targetEnd - 1 - $0.inputStart <= 32 && $0.inputStart < $0.targetStart })
            }
        }
        #expect(throws: EvaluationError.self) {
            try PerplexityConvention.slidingWindow(stride: 33).windows(tokenCount: 10, contextLength: 32)
        }
    }

    @Test("Rolling NLL equals a direct sum of per-token NLLs from the logits")
    func rollingMatchesDirect() throws {
        let model = try tinyModel(contextLength: 8)
        let tokens = randomTokens(20, seed: 9)
        let result = try Perplexity.evaluate(
            model: model, documents: [(tokens, "one two  three")], batchSize: 2)
        // Windows of L = 8: [EOS, t0…t6] → t0…t7; [t0…t7]… as lm-eval; computed by hand here.
        let s = [19] + tokens
        let direct =
            try directLogProbabilities(model, Array(s[0...8]))
            + directLogProbabilities(model, Array(s[8...16])) + directLogProbabilities(model, Array(s[12...20])).suffix(4)
        #expect(result.tokens == 20 && result.words == 3 && result.bytes == 14)
        #expect(abs(result.totalNLL + direct.reduce(0, +)) < 1e-3)
        #expect(abs(result.wordPerplexity - exp(result.totalNLL / 3)) < 1e-9)
        #expect(abs(result.tokenPerplexity - exp(result.totalNLL / 20)) < 1e-9)
        #expect(abs(result.bitsPerByte - log2(result.bytePerplexity)) < 1e-9)
        #expect(result.convention == "rolling-disjoint (lm-eval)")
    }

    @Test("A document within one window: rolling = one pass from EOS; sliding = one pass, first token unscored")
    func shortDocument() throws {
        let model = try tinyModel()
        let tokens = randomTokens(12, seed: 5)
        let rolling = try Perplexity.evaluate(model: model, documents: [(tokens, "x")])
        let sliding = try Perplexity.evaluate(model: model, documents: [(tokens, "x")], convention: .slidingWindow(stride: 16))
        #expect(abs(rolling.totalNLL + (try directLogProbabilities(model, [19] + tokens)).reduce(0, +)) < 1e-3)
        #expect(abs(sliding.totalNLL + (try directLogProbabilities(model, tokens)).reduce(0, +)) < 1e-3)
        #expect(sliding.tokens == 11 && sliding.convention == "sliding-window stride 16 (HF)")
    }

    @Test("Sliding window with stride = L scores independent chunks; stride < L scores more context")
    func slidingStride() throws {
        let model = try tinyModel(contextLength: 8)
        let tokens = randomTokens(24, seed: 6)
        let chunks = try Perplexity.evaluate(model: model, documents: [(tokens, "")], convention: .slidingWindow(stride: 8))
        let direct = try (0..<3).flatMap { try directLogProbabilities(model, Array(tokens[($0 * 8)..<($0 * 8 + 8)])) }
        #expect(chunks.tokens == 21 && abs(chunks.totalNLL + direct.reduce(0, +)) < 1e-3)
        let overlapping = try Perplexity.evaluate(model: model, documents: [(tokens, "")], convention: .slidingWindow(stride: 3))
        #expect(overlapping.tokens == 23)
    }

    @Test("Word count follows len(re.split(r'\\s+', text))")
    func wordCount() {
        #expect(Perplexity.wordCount("") == 1)
        #expect(Perplexity.wordCount("a b") == 2)
        #expect(Perplexity.wordCount(" a  b\n") == 4)  // ['', 'a', 'b', '']
        #expect(Perplexity.wordCount("a\u{00A0}b\tc") == 3)
    }

    @Test("Context longer than the model's is an error naming the argument")
    func errors() throws {
        let model = try tinyModel()
        #expect(throws: EvaluationError.self) {
            try Perplexity.evaluate(model: model, documents: [([1, 2], "")], contextLength: 64)
        }
    }
}
