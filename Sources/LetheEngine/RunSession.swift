import Foundation
import LetheStorage
import LetheEvaluation
import LetheLayers
import LetheRecipes
import LetheText
import LetheUnlearning

/// One run folder being worked on: the planned stages from where `state.json` stands. This
/// is what a stage plugin works with: the model, tokenizer, data sets, run folder and state.
/// Each completed stage (or checkpoint inside one) moves the state forward atomically (see
/// `RunState`), so a run that is killed at any point continues with `lethe resume` and ends
/// with the same numbers.
public final class RunSession {
    public let plan: RunPlan
    public let folder: RunFolder
    public let data: Datasets
    public let log: (String) -> Void
    public private(set) var state: RunState
    public private(set) var tokenizer: any TextTokenizer
    /// The model after the completed stages; a stage that changes it sets it.
    public var model: any CausalLanguageModel
    var classifier: ToxicityClassifier?

    public var recipe: Recipe { plan.recipe }
    public var plugins: Plugins { plan.plugins }

    /// Opens `path` for `plan`: continues the state found there, or starts from `initial`
    /// (a grid cell starts from its shared prefix's state), or from the recipe's sources.
    init(plan: RunPlan, path: String, data: Datasets, initial: RunState? = nil, log: @escaping (String) -> Void) throws {
        self.plan = plan
        self.data = data
        self.log = log
        let recipe = plan.recipe
        let found = try RunState.load(folder: path)
        folder = try RunFolder(path: path, recipeYAML: found == nil ? recipe.yaml : nil)
        var state = found ?? initial ?? RunState(recipeFolder: RunState.absolute(recipe.folder), evaluationSeed: recipe.seed)
        switch (state.tokenizer, recipe.tokenizer) {
        case let (file?, .train):
            // The run's own trained tokenizer is GPT-2's byte-level BPE: its fast reader.
            tokenizer = try GPT2Tokenizer.load(from: path + "/" + file)
        case let (_, .file(source)):
            // A tokenizer file (tokenizer.json, vocab.json, a GGUF model's vocabulary) is read
            // where it is: the run's input fingerprints guard it against changes.
            tokenizer = try ModelFile.loadTokenizer(source)
            state.tokenizer = source
        case (nil, .train):
            tokenizer = try Self.makeTokenizer(recipe, data)
            try tokenizer.save(to: path)
            state.tokenizer = "tokenizer.json"
        }
        if let file = state.model {
            model = try ModelFile.load(path + "/" + file)
        } else {
            model = try ModelSources.make(recipe, vocabulary: tokenizer.vocabularySize, endOfText: tokenizer.endOfSequenceID)
        }
        let modelSource: String
        switch (state.model, recipe.model) {
        case let (file?, _): modelSource = path + "/" + file
        case let (nil, .huggingFace(folder)), let (nil, .checkpoint(folder)): modelSource = folder
        case (nil, .config): modelSource = "model.config"
        }
        let tokenizerSource = state.tokenizer.map { $0.hasPrefix("/") ? $0 : path + "/" + $0 } ?? path + "/tokenizer.json"
        try model.requireFits(tokenizer: tokenizer, tokenizerSource: tokenizerSource, modelSource: modelSource)
        if let directory = state.classifier { classifier = try ToxicityClassifier.load(directory: path + "/" + directory) }
        self.state = state
        try state.save(folder: path)
        // A kill between saving the state and re-linking `model.h5` leaves the link at the
        // previous model; the state is the truth, so the link follows it here.
        if let file = state.model, !file.contains("/") { try folder.linkLatestModel(file) }
    }

    /// Runs the stages in `range` not yet completed.
    func run(stages range: Range<Int>) throws {
        for index in range where index >= state.completedStages {
            let stage = plan.stages[index]
            let kind = recipe.stages[index].kind
            let clock = Date()
            let resuming = state.progress?.stage == index ? " (resuming at step \(state.progress?.step ?? 0))" : ""
            log("[\(index + 1)/\(plan.stages.count)] \(kind)" + resuming)
            try folder.record(.stage(index: index, kind: kind))
            try stage.run(in: self, index: index)
            let seconds = Date().timeIntervalSince(clock)
            try folder.record(.stageDone(index: index, kind: kind, seconds: seconds))
            log(String(format: "  %@ done in %.0f s", kind, seconds))
        }
    }

    /// The rows of this run's evaluations (including a shared prefix's), in order.
    public func results() throws -> [RunResults] {
        try state.evaluations.map { try RunResults.load(folder: folder.path + "/" + $0) }
    }

    /// Moves the state forward: `change` edits a copy, the copy is saved atomically, then
    /// `model.h5` is re-linked and files nothing points at are removed.
    public func commit(_ change: (inout RunState) -> Void) throws {
        var next = state
        change(&next)
        try next.save(folder: folder.path)
        if let model = next.model, model != state.model, !model.contains("/") { try folder.linkLatestModel(model) }
        folder.removeUnreferenced(old: state, new: next)
        state = next
    }

    /// Saves `trained` as stage `index`'s checkpoint (adapters apart when it has them) and
    /// moves the state past the stage, with `label` for the next evaluation's row. Later
    /// stages see the model with any adapters folded in.
    /// - Throws: `EngineError.invalid` naming the stage and tensor when a weight is NaN or
    ///   infinite: such a model is never committed, and the previous stage's model stays.
    public func finish(stage index: Int, model trained: TrainedModel, label: String, change: (inout RunState) -> Void = { _ in }) throws {
        let kind = recipe.stages[index].kind
        if let tensor = trained.model.parameters.firstNonFinite() ?? trained.adapters?.parameters.firstNonFinite() {
            let kept = state.model.map { "\(folder.path)/\($0) (the model before this stage) is kept" } ?? "nothing was saved"
            throw EngineError.invalid(
                "stage \(index + 1) (\(kind)): the model holds a non-finite weight in \(tensor); it is not saved and \(kept). "
                    + "Lower the learning rate or set skip_non_finite: false to stop at the first non-finite step")
        }
        let file = stageFile(index, kind)
        let model = try Self.save(trained, recipe: recipe.yaml, to: folder.path + "/" + file)
        self.model = model
        try commit {
            $0.model = file
            $0.stageModels = ($0.stageModels ?? []) + [file]
            $0.progress = nil
            $0.label = label
            $0.completedStages = index + 1
            change(&$0)
        }
        try folder.record(.checkpoint(path: file, stage: index, step: nil))
    }

    /// Saves `trained` to `path` and returns the model with its adapters folded in.
    static func save(_ trained: TrainedModel, recipe: String, to path: String) throws -> any CausalLanguageModel {
        try ModelFile.save(trained.model, adapters: trained.adapters, recipe: recipe, to: path)
        if trained.adapters != nil {
            try trained.model.fuseLoRA()
            trained.model.parameters.markTrainable()
        }
        return trained.model
    }

    /// Saves a model that has no adapters as stage `index`'s checkpoint (a plugin stage that
    /// changes the weights directly).
    public func finish(stage index: Int, model: any CausalLanguageModel, label: String, change: (inout RunState) -> Void = { _ in }) throws {
        try finish(stage: index, model: TrainedModel(model: model, adapters: nil), label: label, change: change)
    }

    /// Whether a stage of `kind` comes after stage `index`.
    public func hasStage(_ kind: String, after index: Int) -> Bool {
        recipe.stages[(index + 1)...].contains { $0.kind == kind }
    }

    /// Prompt/completion pairs fit the model's context; long prompts lose their start.
    public var encodingOptions: EncodingOptions {
        EncodingOptions(maxLength: model.dimensions.contextLength, truncation: .dropPromptStart)
    }

    /// Encodes records (prompt + completion, loss on the completion; or a text, every token)
    /// with `encodingOptions`.
    public func encode(_ examples: [TextExample]) throws -> [EncodedExample] {
        try examples.map { try $0.encoded(with: tokenizer, options: encodingOptions) }
    }

    public func stageFile(_ index: Int, _ kind: String) -> String { "stage-\(index + 1)-\(kind).h5" }

    private static func makeTokenizer(_ recipe: Recipe, _ data: Datasets) throws -> any TextTokenizer {
        switch recipe.tokenizer {
        case let .file(path): return try ModelFile.loadTokenizer(path)
        case let .train(size):
            var trainer = BPETrainer(vocabularySize: size)
            let pretraining = data["pretrain"]
            let texts = pretraining.isEmpty ? (data["finetune"] + data["retain"]).map(\.fullText) : pretraining.map(\.fullText)
            for text in texts { trainer.add(text) }
            return try trainer.train()
        }
    }
}
