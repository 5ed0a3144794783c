import Foundation
import LetheTensor

/// How to continue prompts (Hugging Face's `generate` options). Temperature 0 is greedy
/// decoding; otherwise logits are divided by the temperature, then filtered by top-k, then
/// by top-p (the smallest set of tokens whose probability reaches p), then sampled.
public struct GenerationConfiguration: Codable, Equatable, Sendable {
    public var maxNewTokens = 50
    public var temperature = 0.0
    public var topK: Int?
    public var topP: Double?
    /// Generation of a row stops after it emits one of these (default: end of text).
    public var stopTokens: [Int]?

    public init(maxNewTokens: Int = 50, temperature: Double = 0, topK: Int? = nil, topP: Double? = nil, stopTokens: [Int]? = nil) {
        (self.maxNewTokens, self.temperature, self.topK, self.topP, self.stopTokens) = (maxNewTokens, temperature, topK, topP, stopTokens)
    }

    func validate() throws {
        func bad(_ key: String, _ reason: String) -> LayerError { .invalidConfiguration(key: "generation.\(key)", reason: reason) }
        guard maxNewTokens >= 0 else { throw bad("max_new_tokens", "must not be negative") }
        guard temperature >= 0, temperature.isFinite else { throw bad("temperature", "must be 0 (greedy) or positive") }
        if let topK, topK < 1 { throw bad("top_k", "must be at least 1") }
        if let topP, !(topP > 0 && topP <= 1) { throw bad("top_p", "must lie in (0, 1]") }
    }
}

extension CausalLanguageModel {
    /// Continues each prompt, batched, with a key/value cache: prompts of different lengths
    /// are left-padded (positions counted from each row's first real token, as Hugging Face
    /// does), then one token per row per step is decoded. Rows stop at a stop token or after
    /// `maxNewTokens`; the returned continuations include the stop token.
    /// - Parameter useCache: false recomputes the whole sequence at every step (the reference
    ///   the cached path is tested against).
    public func generate(
        prompts: [[Int]], configuration g: GenerationConfiguration, rng: inout RandomGenerator, useCache: Bool = true
    ) throws -> [[Int]] {
        try g.validate()
        guard !prompts.isEmpty, prompts.allSatisfy({ !$0.isEmpty }) else {
            throw LayerError.invalidInput(reason: "generation needs at least one non-empty prompt")
        }
        let B = prompts.count
        let promptLength = prompts.map(\.count).max() ?? 0
        let total = promptLength + g.maxNewTokens
        let d = dimensions
        guard total <= d.contextLength else {
            throw LayerError.invalidInput(
                reason: "prompt of \(promptLength) plus \(g.maxNewTokens) new tokens exceeds the model's context of \(d.contextLength)")
        }
        let stops = Set(g.stopTokens ?? [d.endOfTextID])
        let savedDropout = dropout
        dropout = nil
        defer { dropout = savedDropout }
        // Left-padded rows: ids, mask and positions (padding: token 0, position 1 as in HF).
        var rows = prompts.map { [Int](repeating: 0, count: promptLength - $0.count) + $0 }
        var masks = prompts.map { [Int](repeating: 0, count: promptLength - $0.count) + [Int](repeating: 1, count: $0.count) }
        var outputs = [[Int]](repeating: [], count: B)
        var finished = [Bool](repeating: false, count: B)
        let cache = useCache ? try makeCache(batchSize: B, capacity: max(total, 1)) : nil
        for step in 0..<g.maxNewTokens {
            let start = (useCache && step > 0) ? rows[0].count - 1 : 0
            let width = rows[0].count - start
            let batch = try TokenBatch(
                ids: rows.flatMap { $0[start...] }, batchSize: B, length: width,
                attentionMask: masks.flatMap { $0[start...] },
                positions: masks.flatMap { mask in positions(mask)[start...] })
            let logits = try withoutGradients { () -> [Float] in
                let hidden = try hiddenStates(batch, cache: cache)
                let last = try languageModelHead(hidden.slice(axis: 1, (width - 1)..<width))
                return last.floats
            }
            let V = d.vocabularySize
            for b in 0..<B {
                let next = finished[b] ? 0 : try choose(Array(logits[(b * V)..<((b + 1) * V)]), g, &rng)
                rows[b].append(next)
                masks[b].append(1)
                if !finished[b] {
                    outputs[b].append(next)
                    finished[b] = stops.contains(next)
                }
            }
            if finished.allSatisfy({ $0 }) { break }
        }
        return outputs
    }

    /// Position ids of a left-padded row: 0, 1, ... from its first real token; 1 on padding.
    private func positions(_ mask: [Int]) -> [Int] {
        var next = 0
        return mask.map { m in
            guard m != 0 else { return 1 }
            defer { next += 1 }
            return next
        }
    }

    private func choose(_ logits: [Float], _ g: GenerationConfiguration, _ rng: inout RandomGenerator) throws -> Int {
        if g.temperature == 0 {
            var best = 0
            for j in logits.indices where logits[j] > logits[best] { best = j }
            return best
        }
        var order = Array(logits.indices).sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
        if let k = g.topK { order = Array(order.prefix(k)) }
        let top = Double(logits[order[0]])
        var weights = order.map { Foundation.exp((Double(logits[$0]) - top) / g.temperature) }
        let sum = weights.reduce(0, +)
        weights = weights.map { $0 / sum }
        if let p = g.topP {
            var cumulative = 0.0
            var keep = 0
            while keep < weights.count {
                cumulative += weights[keep]
                keep += 1
                if cumulative >= p { break }
            }
            order = Array(order.prefix(keep))
            weights = Array(weights.prefix(keep))
        }
        let draw = rng.nextUniform() * weights.reduce(0, +)
        var cumulative = 0.0
        for (token, weight) in zip(order, weights) {
            cumulative += weight
            if draw < cumulative { return token }
        }
        return order[order.count - 1]
    }
}
