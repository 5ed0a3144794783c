import LetheLayers
import LetheStorage
import LetheText

/// What an evaluation suite may use: the model under evaluation, its tokenizer, the named
/// data sets, a seed, and the services a suite may need (loading a reference model,
/// a toxicity scorer, the retrained oracle's AUCs, a log). `lethe run` builds one per
/// evaluation stage, `lethe eval` one from its flags.
public struct EvaluationContext {
    /// The model evaluated (dropout is switched off while scoring).
    public var model: any CausalLanguageModel
    /// Its tokenizer.
    public var tokenizer: any TextTokenizer
    /// Seeds everything random in a suite (bootstrap resamples, sampled generations).
    public var seed: UInt64
    /// Loads a model given by path (a membership attack's reference model): a Hugging Face
    /// folder, or whatever the caller supports (the CLI and engine add Lethe checkpoints).
    public var loadModel: (String) throws -> any CausalLanguageModel
    /// A toxicity scorer: nil = the classifier the run trained (in `lethe eval`, the one
    /// given with `--classifier`); a path = a classifier folder (`ToxicityClassifier.load`).
    public var toxicityScorer: (String?) throws -> any ToxicityScorer
    /// ROC-AUC per membership attack label of a model retrained without the members (the
    /// oracle), for PrivLeak; nil when there is none.
    public var retrainedAUC: [String: Double]?
    /// The evaluation folder of the retrained oracle (its suites' per-example rows), when the
    /// caller has one: the `qa` suite reads the oracle's truth ratios there for forget quality.
    public var oracleFolder: String?
    /// Progress lines.
    public var log: (String) -> Void
    private let datasets: (String) throws -> [TextExample]

    /// - Parameters:
    ///   - dataset: the records of a named set; throws for an unknown name.
    ///   - loadModel: default `ModelFile.load` (a Hugging Face folder of any family or a checkpoint).
    ///   - toxicityScorer: default: a path loads a classifier folder; nil is an error (no
    ///     classifier was trained).
    ///   - others: see the properties.
    public init(
        model: any CausalLanguageModel, tokenizer: any TextTokenizer, dataset: @escaping (String) throws -> [TextExample], seed: UInt64 = 0,
        loadModel: @escaping (String) throws -> any CausalLanguageModel = { try ModelFile.load($0) },
        toxicityScorer: @escaping (String?) throws -> any ToxicityScorer = EvaluationContext.classifierFolder,
        retrainedAUC: [String: Double]? = nil, log: @escaping (String) -> Void = { _ in }
    ) {
        (self.model, self.tokenizer, self.datasets, self.seed) = (model, tokenizer, dataset, seed)
        (self.loadModel, self.toxicityScorer, self.retrainedAUC, self.log) = (loadModel, toxicityScorer, retrainedAUC, log)
    }

    /// A context over data sets held in memory; an unknown name lists the sets there are.
    public init(
        model: any CausalLanguageModel, tokenizer: any TextTokenizer, datasets: [String: [TextExample]], seed: UInt64 = 0,
        loadModel: @escaping (String) throws -> any CausalLanguageModel = { try ModelFile.load($0) },
        toxicityScorer: @escaping (String?) throws -> any ToxicityScorer = EvaluationContext.classifierFolder,
        retrainedAUC: [String: Double]? = nil, log: @escaping (String) -> Void = { _ in }
    ) {
        self.init(
            model: model, tokenizer: tokenizer,
            dataset: { name in
                guard let examples = datasets[name] else {
                    throw EvaluationError.invalidArgument(
                        name: "data set", reason: "no set named '\(name)'; there are: \(datasets.keys.sorted().joined(separator: ", "))")
                }
                return examples
            }, seed: seed, loadModel: loadModel, toxicityScorer: toxicityScorer, retrainedAUC: retrainedAUC, log: log)
    }

    /// The records of the data set `name`.
    /// - Throws: the caller's error for an unknown or unreadable set.
    public func dataset(_ name: String) throws -> [TextExample] { try datasets(name) }

    /// The default scorer lookup: a path loads a classifier folder; nil is an error.
    public static func classifierFolder(_ path: String?) throws -> any ToxicityScorer {
        guard let path else {
            throw EvaluationError.invalidArgument(
                name: "scorer", reason: "no classifier was trained here; give scorer: {path: DIR} (a folder from lethe eval train-toxicity)")
        }
        return try ToxicityClassifier.load(directory: path)
    }
}
