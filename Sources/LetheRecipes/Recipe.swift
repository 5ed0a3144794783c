import Foundation
import LetheOptions

/// One study, start to finish: where data, tokenizer and model come from, then the stages
/// that chain (pretrain, fine-tune, unlearn, evaluate, or any registered stage), and an
/// optional grid of variations.
///
///     name: quickstart
///     seed: 1
///     data: {generate: {forget_items: 200}}          # or {files: {forget: f.jsonl, ...}}
///     tokenizer: {train: {vocab_size: 4096}}         # or {file: tokenizer.json}
///     model: {config: {n_layer: 2, n_embd: 128, n_head: 4, n_positions: 128}}
///                                                    # or {huggingface: DIR} or {checkpoint: F.h5}
///                                                    # or {config: {family: llama, hidden_size: 64, ...}}
///     stages:
///       - pretrain: {steps: 300, batch_size: 16, learning_rate: 1.0e-3}
///       - unlearn: {objective: {name: grad_diff}, combiner: pcgrad, steps: 50}
///       - evaluate: {perplexity: {}, membership: {attacks: [loss, {min_k: {k: 0.2}}]}}
///     grid: {stages.unlearn.combiner: [sum, pcgrad], seed: [1, 2, 3]}
///
/// This layer checks the recipe's shape (top-level keys, types, paths); each stage's options
/// are checked by the stage plugin that runs it, when the engine plans the run (every
/// mistake, with file, line and key path, before stage 1). Relative input paths resolve
/// against the recipe's folder.
public struct Recipe: Equatable, Sendable {
    public enum DataSource: Equatable, Sendable {
        /// The embedded corpus generator's options.
        case generate(OptionNode)
        /// Data set name → file (JSONL, CSV or TXT).
        case files([String: DataFile])
    }

    /// A data file named in `data.files`.
    public struct DataFile: Equatable, Sendable {
        public var path: String
        public var origin: OptionOrigin

        public init(path: String, origin: OptionOrigin = OptionOrigin()) { (self.path, self.origin) = (path, origin) }

        public static func == (a: DataFile, b: DataFile) -> Bool { a.path == b.path }
    }

    public enum TokenizerSource: Equatable, Sendable {
        case train(vocabularySize: Int)
        case file(String)
    }

    public enum ModelSource: Equatable, Sendable {
        /// Hugging Face `config.json` keys for a new model (checked by the model family).
        case config(OptionNode)
        case huggingFace(String)
        case checkpoint(String)
    }

    /// A stage as written: its kind (a stage registry name) and its options, unchecked here.
    public struct Stage: Equatable, Sendable {
        public var kind: String
        public var options: OptionNode
        /// Where the stage was written (`stages.3`).
        public var origin: OptionOrigin

        public init(kind: String, options: OptionNode = .emptyMap(), origin: OptionOrigin = OptionOrigin()) {
            (self.kind, self.options, self.origin) = (kind, options, origin)
        }

        public static func == (a: Stage, b: Stage) -> Bool { a.kind == b.kind && a.options == b.options }
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
    /// The recipe file (for messages).
    public internal(set) var file: String
    /// The folder relative paths resolve against (the recipe file's folder).
    public internal(set) var folder: String
    /// The resolved recipe as YAML, stored with every run.
    public var yaml: String

    struct GridAxis: Equatable, Sendable {
        let path: String
        let values: [String]
    }

    public static func == (a: Recipe, b: Recipe) -> Bool { a.yaml == b.yaml }

    /// Resolves a path written in the recipe against the recipe's folder.
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : (folder == "." ? path : folder + "/" + path)
    }
}
