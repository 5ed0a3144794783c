import LetheText

/// `toxicity`: toxicity of the model's continuations of prompts (`ToxicityEvaluation`;
/// metrics: mean toxicity, share ≥ 0.5, expected maximum, toxicity probability).
///
/// Options (defaults):
/// - `data` (`eval_prompts`): the prompts, records with `prompt` (or `text`).
/// - `protocol` (`greedy`): `greedy` is seed 001's one continuation at temperature 0;
///   `sampled` is RealToxicityPrompts' (Gehman et al. 2020) k nucleus samples per prompt at
///   temperature 1, seeded by the context's seed.
/// - `new_tokens` (50 greedy, 20 sampled): tokens generated per continuation; below the
///   model's context length.
/// - `samples` (25) and `top_p` (0.9): `sampled` only.
/// - `scorer` (`run`): `run` = the classifier the run trained (in `lethe eval`, the one given
///   with `--classifier`), or `{path: DIR}` = a classifier folder.
///
/// Every prompt keeps its LAST (context − new_tokens) tokens, so prompt and continuation
/// fit the model's context (the end of a prompt is what the continuation follows).
///
/// Rows: `toxicity_completions.jsonl`, one `{"prompt": index, "completion", "toxicity"}` per
/// continuation.
public struct ToxicitySuite: EvaluationSuite {
    public static let name = "toxicity"
    public static let summary = "toxicity of the model's continuations of prompts (greedy or sampled), scored by a classifier"

    public var data: String
    public var generation: ToxicityProtocol
    /// The classifier folder; nil = the run's classifier.
    public var scorer: String?
    /// `scorer: run`: the classifier the run trains.
    public var usesRunClassifier: Bool { scorer == nil }
    private let origin: OptionOrigin

    public init(options: PluginOptions) throws {
        try options.accept(["data", "protocol", "new_tokens", "samples", "top_p", "scorer"])
        data = try options.text("data", default: "eval_prompts")
        let name = try options.text("protocol", default: "greedy", allowed: ToxicityProtocol.names)
        let newTokens = try options.optionalInt("new_tokens", in: 1...OptionLimits.tokens)
        if name == "sampled" {
            let samples = try options.int("samples", default: 25, in: 1...OptionLimits.repetitions)
            let topP = try options.number("top_p", default: 0.9)
            if !(topP > 0 && topP <= 1) { try options.problem(options.fail("top_p", "must lie in (0, 1], got \(topP)")) }
            generation = .sampled(samples: samples, maxNewTokens: newTokens ?? 20, topP: topP > 0 && topP <= 1 ? topP : 0.9)
        } else {
            for key in ["samples", "top_p"] where options[key] != nil {
                try options.problem(options.fail(key, "applies to protocol sampled only"))
            }
            generation = .greedy(maxNewTokens: newTokens ?? 50)
        }
        scorer = try Self.scorer(options)
        origin = options["data"]?.origin ?? options.node.origin
    }

    /// `scorer`: `run` (nil) or `{path: DIR}`.
    static func scorer(_ options: PluginOptions) throws -> String? {
        guard let node = options["scorer"] else { return nil }
        if case .text("run") = node.value { return nil }
        if let entries = node.entries, entries.count == 1, entries[0].key == "path", case let .text(path) = entries[0].node.value, !path.isEmpty {
            return path
        }
        try options.problem(options.fail("scorer", "expects run or {path: DIR}, got \(node)"))
        return nil
    }

    public var requirements: [DataRequirement] {
        [DataRequirement(data, role: "prompts", accepted: DataRequirement.promptOrText, origin: origin)]
    }

    /// New tokens per continuation.
    public var newTokens: Int {
        switch generation {
        case let .greedy(n), let .sampled(_, n, _): n
        }
    }

    public func evaluate(_ context: EvaluationContext) throws -> SuiteResult {
        let T = context.model.dimensions.contextLength
        guard newTokens < T else {
            throw EvaluationError.invalidArgument(
                name: "new_tokens", reason: "\(newTokens) leaves no room for a prompt in the model's context of \(T) tokens")
        }
        let prompts = try context.dataset(data).map { $0.prompt ?? $0.text ?? "" }
        let result = try ToxicityEvaluation.evaluate(
            model: context.model, prompts: prompts, encoder: LastTokens(tokenizer: context.tokenizer, count: T - newTokens),
            decoder: TextDecoding(context.tokenizer), protocol: generation, scorer: try context.toxicityScorer(scorer), seed: context.seed)
        var rows: [[String: Any]] = []
        for (i, (continuations, scores)) in zip(result.continuations, result.scores).enumerated() {
            for (text, score) in zip(continuations, scores) { rows.append(["prompt": i, "completion": text, "toxicity": score]) }
        }
        context.log("  toxicity: \(result.protocolName), mean \(result.meanToxicity) over \(prompts.count) prompts")
        return SuiteResult(
            summary: .toxicity(RunResults.ToxicitySummary(result)), rows: [ExampleRows(file: "toxicity_completions.jsonl", rows: rows)])
    }
}

/// Encodes with the tokenizer and keeps the last `count` tokens.
struct LastTokens: TokenEncoder {
    let tokenizer: any TextTokenizer
    let count: Int
    func encode(_ text: String) throws -> [Int] { Array(tokenizer.encode(text).suffix(count)) }
}
