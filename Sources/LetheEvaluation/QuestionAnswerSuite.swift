import Foundation
import LetheLayers
import LetheTensor
import LetheText

/// `qa`: TOFU-style question-answer forgetting (`QuestionAnswerMetrics`, formulas there):
/// answer probability, truth ratio and ROUGE-L recall of greedy answers on the forget set,
/// the retain set and "world" sets (facts the model learnt in pretraining), forget quality
/// against the retrained oracle and model utility.
///
/// A set `S` is three sets of prompt/completion records joined by `id`: `S` (the question
/// and its correct answer), `S_paraphrased` (the same id, a paraphrased correct answer) and
/// `S_perturbed` (the same id, one record per wrong answer). The embedded corpus writes them
/// for `qa_tofu_forget`, `qa_tofu_retain` and `qa_tofu_world` (`qa_tofu.jsonl`).
///
/// Options (defaults):
/// - `file` (none): a `qa_tofu.jsonl` file read by the suite itself (`QuestionAnswerFile`),
///   so `lethe eval suite qa --option file=data/default/qa_tofu.jsonl` needs no `--data`;
///   its sets come before the context's.
/// - `forget` (`qa_tofu_forget`), `retain` (`qa_tofu_retain`): the two sets.
/// - `world` (`[qa_tofu_world]`): sets scored as TOFU's real-world sets (probability as the
///   correct answer's share among the options); `[]` for none.
/// - `oracle` (the context's `oracleFolder`: in a run, the oracle's evaluation after a
///   `retrain` stage): the evaluation folder of the retrained oracle holding this suite's
///   `qa_forget.jsonl` (or that file); with it, `forget_quality`. When the context's folder
///   lacks the file (the oracle was evaluated without `qa`), there is no forget quality.
/// - `oracle_model` (none): or the oracle model itself (a path loaded through the context),
///   scored here.
/// - `new_tokens` (32): tokens of each greedy answer (cut at the first newline); 0 = no
///   generation and no ROUGE.
/// - `max_questions` (none): the first N questions of each set only (TOFU scores a 400-question
///   subset of its retain set); the cost is 2 + K scored sequences and one generation each.
/// - `batch_size` (8): sequences per forward pass when scoring.
///
/// Summary metrics: `<role>.probability`, `<role>.truth_ratio`, `<role>.rouge` for
/// `forget`, `retain` and each world set by name, `model_utility`, and `forget_quality`
/// with an oracle. Rows: `qa_forget.jsonl`, `qa_retain.jsonl`, `qa_<world set>.jsonl`, one
/// per question (`id`, `probability`, `paraphrased_over_perturbed`, `rouge_recall`,
/// `generated`, ...).
public struct QuestionAnswerSuite: EvaluationSuite {
    public static let name = "qa"
    public static let summary = "TOFU question-answer forgetting: answer probability, truth ratio, ROUGE-L, forget quality (KS vs oracle), model utility"

    public var file: String?
    public var forget: String
    public var retain: String
    public var world: [String]
    public var oracle: String?
    public var oracleModel: String?
    public var newTokens: Int
    public var maxQuestions: Int?
    public var batchSize: Int
    private let origin: OptionOrigin

    public init(options: PluginOptions) throws {
        try options.accept(["file", "forget", "retain", "world", "oracle", "oracle_model", "new_tokens", "max_questions", "batch_size"])
        file = try options.optionalText("file")
        forget = try options.text("forget", default: "qa_tofu_forget")
        retain = try options.text("retain", default: "qa_tofu_retain")
        world = try options.list("world", default: ["qa_tofu_world"])
        oracle = try options.optionalText("oracle")
        oracleModel = try options.optionalText("oracle_model")
        if oracle != nil, oracleModel != nil { try options.problem(options.fail("oracle_model", "give oracle or oracle_model, not both")) }
        newTokens = try options.int("new_tokens", default: 32, in: 0...OptionLimits.tokens)
        maxQuestions = try options.optionalInt("max_questions", in: 1...OptionLimits.repetitions)
        batchSize = try options.int("batch_size", default: 8, in: 1...OptionLimits.batchSize)
        origin = options.node.origin
    }

    /// The sets with their roles, forget first.
    var sets: [(name: String, role: QuestionAnswerMetrics.Role)] {
        [(forget, .forget), (retain, .retain)] + world.map { ($0, .world) }
    }

    public var requirements: [DataRequirement] {
        guard file == nil else { return [] }
        return sets.flatMap { set in
            ["", "_paraphrased", "_perturbed"].map {
                DataRequirement(set.name + $0, role: "\(set.role.rawValue) questions", accepted: [[.prompt, .completion]], origin: origin)
            }
        }
    }

    public func evaluate(_ given: EvaluationContext) throws -> SuiteResult {
        var context = given
        if let file {
            let fileSets = QuestionAnswerFile.sets(try QuestionAnswerFile.load(path: file), source: file)
            context = EvaluationContext(
                model: given.model, tokenizer: given.tokenizer, dataset: { name in try fileSets[name] ?? given.dataset(name) }, seed: given.seed,
                loadModel: given.loadModel, toxicityScorer: given.toxicityScorer, retrainedAUC: given.retrainedAUC, log: given.log)
            context.oracleFolder = given.oracleFolder
        }
        var metrics: [String: Double] = [:]
        var rows: [ExampleRows] = []
        var utility: [Double] = []
        var forgetQuestions: [QuestionAnswerMetrics.Question] = []
        for (set, role) in sets {
            let (questions, setRows) = try score(set, model: context.model, context: context, generate: newTokens > 0)
            let a = try QuestionAnswerMetrics.aggregate(questions, role: role)
            let key = role == .world ? set : role.rawValue
            (metrics["\(key).probability"], metrics["\(key).truth_ratio"]) = (a.probability, a.truthRatio)
            if a.rouge.isFinite { metrics["\(key).rouge"] = a.rouge }
            if role == .forget { forgetQuestions = questions } else { utility += [a.probability, a.truthRatio] + (a.rouge.isFinite ? [a.rouge] : []) }
            rows.append(ExampleRows(file: "qa_\(key).jsonl", rows: setRows))
            context.log("  qa: \(key) probability \(a.probability), truth ratio \(a.truthRatio), ROUGE-L \(a.rouge)")
        }
        metrics["model_utility"] = try QuestionAnswerMetrics.harmonicMean(utility.map { $0.isFinite ? $0 : 0 })
        if let oracleRatios = try oracleRatios(context) {
            metrics["forget_quality"] = try QuestionAnswerMetrics.forgetQuality(forget: forgetQuestions, oracle: oracleRatios)
            context.log("  qa: forget quality \(metrics["forget_quality"] ?? .nan) (KS against \(oracleRatios.count) oracle ratios)")
        }
        return SuiteResult(summary: .generic(metrics), rows: rows)
    }

    /// The oracle's s on the forget set: from its rows, or by scoring its model.
    private func oracleRatios(_ context: EvaluationContext) throws -> [Double]? {
        if let path = oracleModel {
            context.log("  qa: scoring the oracle model \(path)")
            return try score(forget, model: context.loadModel(path), context: context, generate: false).questions.map(\.paraphrasedOverPerturbed)
        }
        var oracleFile = oracle.map { $0.hasSuffix(".jsonl") ? $0 : $0 + "/qa_forget.jsonl" }
        if oracleFile == nil, let folder = context.oracleFolder, FileManager.default.fileExists(atPath: folder + "/qa_forget.jsonl") {
            oracleFile = folder + "/qa_forget.jsonl"
        }
        guard let file = oracleFile else { return nil }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw EvaluationError.badFile(path: file, reason: "cannot read the oracle's qa rows (run the qa suite on the oracle first)")
        }
        return try text.split(separator: "\n").enumerated().map { i, line in
            guard let row = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let s = row["paraphrased_over_perturbed"] as? Double
            else { throw EvaluationError.badFile(path: "\(file):\(i + 1)", reason: "no number paraphrased_over_perturbed") }
            return s
        }
    }

    /// Scores one set: per question, its NLLs, greedy answer and ROUGE recall.
    func score(_ set: String, model: any CausalLanguageModel, context: EvaluationContext, generate: Bool) throws
        -> (questions: [QuestionAnswerMetrics.Question], rows: [[String: Any]])
    {
        let main = Array(try context.dataset(set).prefix(maxQuestions ?? Int.max))
        let paraphrased = try Self.byID(context.dataset(set + "_paraphrased"), set: set + "_paraphrased")
        let perturbed = try Self.byID(context.dataset(set + "_perturbed"), set: set + "_perturbed")
        var examples: [TextExample] = []
        var layout: [(id: String, perturbed: Int)] = []
        for e in main {
            guard let id = e.id else { throw Self.missing("an id", e, set) }
            guard let p = paraphrased[id]?.first else { throw Self.missing("a paraphrased answer in \(set)_paraphrased", e, set) }
            guard let wrong = perturbed[id], !wrong.isEmpty else { throw Self.missing("perturbed answers in \(set)_perturbed", e, set) }
            examples += [e, p] + wrong
            layout.append((id, wrong.count))
        }
        let encoding = EncodingOptions(maxLength: model.dimensions.contextLength, truncation: .dropPromptStart)
        let sequences = try examples.map { try ScoredSequence($0, encoder: context.tokenizer, options: encoding) }
        let nll = try model.tokenStatistics(sequences, batchSize: batchSize).map(\.meanNLL)
        var questions: [QuestionAnswerMetrics.Question] = []
        var rows: [[String: Any]] = []
        let answers = generate ? try greedyAnswers(model, prompts: main.map { $0.prompt ?? "" }, context: context) : []
        var at = 0
        for (index, (id, k)) in layout.enumerated() {
            var q = QuestionAnswerMetrics.Question(answerNLL: nll[at], paraphrasedNLL: nll[at + 1], perturbedNLL: Array(nll[(at + 2)..<(at + 2 + k)]))
            var row: [String: Any] = ["id": id, "answer_nll": q.answerNLL, "paraphrased_nll": q.paraphrasedNLL, "perturbed_nll": q.perturbedNLL]
            if generate {
                let answer = answers[index]
                q.rougeRecall = RougeL.score(target: main[index].completion ?? "", prediction: answer).recall
                (row["generated"], row["rouge_recall"]) = (answer, q.rougeRecall)
            }
            (row["probability"], row["option_share"]) = (q.probability, q.optionShare)
            row["paraphrased_over_perturbed"] = q.paraphrasedOverPerturbed
            questions.append(q)
            rows.append(row.filter { ($0.value as? Double)?.isFinite ?? true })
            at += 2 + k
        }
        return (questions, rows)
    }

    /// The greedy continuations of `prompts`, `batchSize` at a time (left-padded, as
    /// `generate` batches), up to `newTokens` tokens, end of text or the first newline (the
    /// next question of the "Q: … A:" format).
    private func greedyAnswers(_ model: any CausalLanguageModel, prompts: [String], context: EvaluationContext) throws -> [String] {
        let room = model.dimensions.contextLength - newTokens
        guard room > 0 else { throw EvaluationError.invalidArgument(name: "new_tokens", reason: "\(newTokens) leaves no room for a prompt") }
        let stop = model.dimensions.endOfTextID
        var rng = RandomGenerator(seed: context.seed)
        var answers: [String] = []
        for start in stride(from: 0, to: prompts.count, by: batchSize) {
            let ids = prompts[start..<min(start + batchSize, prompts.count)].map { prompt -> [Int] in
                let encoded = context.tokenizer.encode(prompt)
                return encoded.isEmpty ? [stop] : Array(encoded.suffix(room))
            }
            let out = try model.generate(prompts: ids, configuration: GenerationConfiguration(maxNewTokens: newTokens), rng: &rng)
            for continuation in out {
                let text = context.tokenizer.decode(continuation.filter { $0 != stop }, skipSpecialTokens: false)
                answers.append(String(text.prefix { $0 != "\n" }))
            }
        }
        return answers
    }

    private static func byID(_ examples: [TextExample], set: String) throws -> [String: [TextExample]] {
        var out: [String: [TextExample]] = [:]
        for e in examples {
            guard let id = e.id else { throw missing("an id", e, set) }
            out[id, default: []].append(e)
        }
        return out
    }

    private static func missing(_ what: String, _ e: TextExample, _ set: String) -> EvaluationError {
        .badFile(path: e.source.isEmpty ? set : "\(e.source):\(e.line)", reason: "a record of data set '\(set)' (qa) needs \(what)\(e.id.map { " (id \($0))" } ?? "")")
    }
}
