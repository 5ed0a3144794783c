import LetheLayers
import LetheTensor
import Testing

@Suite("Generation with a key/value cache")
struct GenerationTests {
    private var greedy: GenerationConfiguration { GenerationConfiguration(maxNewTokens: 10, stopTokens: [-1]) }

    @Test func greedyMatchesTransformersGenerateOnLeftPaddedPrompts() throws {
        let fixture = try GPT2Fixture()
        let model = try fixture.model()
        let g = (fixture.json["generation"] as? [String: Any]) ?? [:]
        let prompts = (g["prompts"] as? [[Int]]) ?? []
        let expected = (g["greedy_continuations"] as? [[Int]]) ?? []
        var rng = RandomGenerator(seed: 0)
        #expect(try model.generate(prompts: prompts, configuration: greedy, rng: &rng) == expected)
    }

    @Test func cachedDecodingEqualsRecomputingEveryStep() throws {
        let model = try GPT2Fixture().model()
        let prompts = [[3, 4, 5, 6, 7], [9], [11, 12, 13]]
        for configuration in [greedy, GenerationConfiguration(maxNewTokens: 12, temperature: 0.9, topK: 20, topP: 0.95, stopTokens: [-1])] {
            var a = RandomGenerator(seed: 42)
            var b = RandomGenerator(seed: 42)
            let cached = try model.generate(prompts: prompts, configuration: configuration, rng: &a)
            let recomputed = try model.generate(prompts: prompts, configuration: configuration, rng: &b, useCache: false)
            #expect(cached == recomputed)
            #expect(cached.allSatisfy { $0.count == configuration.maxNewTokens })
        }
    }

    @Test func aPromptContinuesTheSameAloneOrInABatch() throws {
        let model = try GPT2Fixture().model()
        var rng = RandomGenerator(seed: 1)
        let batch = try model.generate(prompts: [[1, 2], [40, 41, 42, 43, 44, 45]], configuration: greedy, rng: &rng)
        let alone = try model.generate(prompts: [[1, 2]], configuration: greedy, rng: &rng)
        #expect(batch[0] == alone[0])
    }

    @Test func samplingIsSeededAndStopsAtAStopToken() throws {
        let model = try GPT2Fixture().model()
        let sampled = GenerationConfiguration(maxNewTokens: 8, temperature: 1.5, stopTokens: [-1])
        var r1 = RandomGenerator(seed: 7)
        var r2 = RandomGenerator(seed: 7)
        var r3 = RandomGenerator(seed: 8)
        let first = try model.generate(prompts: [[5, 6]], configuration: sampled, rng: &r1)
        #expect(first == (try model.generate(prompts: [[5, 6]], configuration: sampled, rng: &r2)))
        #expect(first != (try model.generate(prompts: [[5, 6]], configuration: sampled, rng: &r3)))
        var rng = RandomGenerator(seed: 0)
        let plain = try model.generate(prompts: [[5, 6]], configuration: greedy, rng: &rng)
        let stopped = try model.generate(
            prompts: [[5, 6]], configuration: GenerationConfiguration(maxNewTokens: 10, stopTokens: [plain[0][2]]), rng: &rng)
        #expect(stopped[0] == Array(plain[0].prefix(3)))
    }

    @Test func badOptionsAreNamed() throws {
        let model = try GPT2Fixture().model()
        var rng = RandomGenerator(seed: 0)
        #expect(throws: LayerError.self) {
            try model.generate(prompts: [[1]], configuration: GenerationConfiguration(topP: 1.5), rng: &rng)
        }
        #expect(throws: LayerError.self) {
            try model.generate(prompts: [[1]], configuration: GenerationConfiguration(maxNewTokens: 40), rng: &rng)
        }
    }
}
