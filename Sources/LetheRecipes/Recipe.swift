import Foundation
import Yams

/// A plugin option value from a recipe (the engine maps it to `PluginOptions.Value`).
public enum OptionValue: Equatable, Sendable {
    case number(Double)
    case text(String)
    case list([String])
    case flag(Bool)
}

/// A plugin named in a recipe with its options: `objective: {name: grad_diff, gamma: 1}` or
/// just `combiner: sum`.
public struct PluginChoice: Equatable, Sendable {
    public var name: String
    public var options: [String: OptionValue]
}

/// One study, start to finish: where data, tokenizer and model come from, then stages that
/// chain (pretrain, fine-tune, unlearn, evaluate), and an optional grid of variations.
///
///     name: quickstart
///     seed: 1
///     data: {generate: {forget_items: 200}}          # or {files: {forget: f.jsonl, ...}}
///     tokenizer: {train: {vocab_size: 4096}}         # or {file: tokenizer.json}
///     model: {config: {n_layer: 2, n_embd: 128, n_head: 4, n_positions: 128}}
///                                                    # or {huggingface: DIR} or {checkpoint: F.h5}
///     stages:
///       - pretrain: {steps: 300, batch_size: 16, learning_rate: 1.0e-3}
///       - unlearn: {objective: {name: grad_diff}, combiner: pcgrad, steps: 50, learning_rate: 1.0e-4}
///       - evaluate: {perplexity: true, mia: [loss, min_k], toxicity: greedy}
///     grid: {stages.unlearn.combiner: [sum, pcgrad], seed: [1, 2, 3]}
///
/// Loading is strict: an unknown key or a wrong type is an error naming the key path and
/// line. Relative paths resolve against the recipe's folder.
public struct Recipe: Equatable, Sendable {
    public enum DataSource: Equatable, Sendable {
        case generate(options: [String: OptionValue])
        case files([String: String])
    }

    public enum TokenizerSource: Equatable, Sendable {
        case train(vocabularySize: Int)
        case file(String)
    }

    public enum ModelSource: Equatable, Sendable {
        /// Hugging Face `config.json` keys for a new model.
        case config([String: OptionValue])
        case huggingFace(String)
        case checkpoint(String)
    }

    public struct Training: Equatable, Sendable {
        public var steps = 100
        public var batchSize = 8
        public var learningRate = 1e-4
        public var warmupSteps = 0
        /// `constant`, `linear` or `cosine`.
        public var schedule = "constant"
        public var weightDecay = 0.01
        public var clipNorm: Double? = 1
        public var accumulation = 1
    }

    /// An unlearning stage: objective, combiner and optimisation, plus its own seed (data
    /// order, dropout, and the sampling and bootstrap of the evaluations after it), so a grid
    /// over `stages.unlearn.seed` shares the stages before it.
    public struct Unlearning: Equatable, Sendable {
        public var objective: PluginChoice
        public var combiner: PluginChoice
        public var training: Training
        /// Log per-tensor gradient statistics (`gradients.h5`) every this many steps.
        public var gradientLogEvery: Int?
        /// Save a resumable checkpoint every this many steps (nil: only at the end).
        public var checkpointEvery: Int?
        /// nil: the recipe's seed.
        public var seed: UInt64?
        /// Skip a step whose loss or gradient is not finite instead of stopping the run.
        public var skipNonFinite = false
    }

    public enum Stage: Equatable, Sendable {
        case pretrain(Training)
        case finetune(Training)
        /// The oracle: the model as it was after pretraining, fine-tuned like `finetune` but
        /// without the forget set. It is evaluated beside the next evaluation, and its
        /// membership AUC is the reference for PrivLeak.
        case retrain(Training)
        case unlearn(Unlearning)
        case evaluate(perplexity: Bool, attacks: [String], toxicity: String?)

        public var kind: String {
            switch self {
            case .pretrain: return "pretrain"
            case .finetune: return "finetune"
            case .retrain: return "retrain"
            case .unlearn: return "unlearn"
            case .evaluate: return "evaluate"
            }
        }
    }

    public var name: String
    public var seed: UInt64
    public var output: String
    public var data: DataSource
    public var tokenizer: TokenizerSource
    public var model: ModelSource
    public var stages: [Stage]
    /// Grid axes: key path → values (YAML text each), expanded by `RecipeLoader.expand`.
    public var grid: [(path: String, values: [String])] { gridAxes.map { ($0.path, $0.values) } }
    var gridAxes: [GridAxis]
    /// For a run expanded from a grid: the value it takes on each axis (key path, YAML text).
    public internal(set) var gridChoice: [(path: String, value: String)] = []
    /// The folder relative paths resolved against (the recipe file's folder).
    public internal(set) var folder: String
    /// The resolved recipe as YAML, stored with every run.
    public var yaml: String

    struct GridAxis: Equatable, Sendable {
        let path: String
        let values: [String]
    }

    public static func == (a: Recipe, b: Recipe) -> Bool { a.yaml == b.yaml }
}
