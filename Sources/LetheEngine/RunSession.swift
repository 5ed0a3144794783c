import Foundation
import LetheEvaluation
import LetheLayers
import LetheRecipes
import LetheText
import LetheUnlearning

/// One run folder being worked on: the recipe's stages from where `state.json` stands.
/// Each completed stage moves the state forward atomically (see `RunState`), so a run that
/// is killed at any point continues with `lethe resume` and ends with the same numbers.
final class RunSession {
    let recipe: Recipe
    let folder: RunFolder
    let data: StudyData
    let log: (String) -> Void
    var objectives = ObjectiveRegistry.builtIn
    var combiners = CombinerRegistry.builtIn
    private(set) var state: RunState
    private(set) var tokenizer: GPT2Tokenizer
    var model: GPT2Model
    var classifier: ToxicityClassifier?

    /// Opens `path` for `recipe`: continues the state found there, or starts from `initial`
    /// (a grid cell starts from its shared prefix's state), or from the recipe's sources.
    init(recipe: Recipe, path: String, data: StudyData, initial: RunState? = nil, log: @escaping (String) -> Void) throws {
        self.recipe = recipe
        self.data = data
        self.log = log
        let found = try RunState.load(folder: path)
        folder = try RunFolder(path: path, recipeYAML: found == nil ? recipe.yaml : nil)
        var state = found ?? initial ?? RunState(recipeFolder: RunState.absolute(recipe.folder), evaluationSeed: recipe.seed)
        if let file = state.tokenizer {
            tokenizer = try GPT2Tokenizer.load(from: path + "/" + file)
        } else {
            tokenizer = try Self.makeTokenizer(recipe, data)
            try tokenizer.save(to: path)
            state.tokenizer = "tokenizer.json"
        }
        if let file = state.model {
            model = try Checkpoint.loadModel(from: path + "/" + file)
        } else {
            model = try RecipeRunner.makeModel(recipe, vocabulary: tokenizer.vocabularySize, endOfText: tokenizer.endOfTextID)
        }
        if let directory = state.classifier { classifier = try ToxicityClassifier.load(directory: path + "/" + directory) }
        self.state = state
        try state.save(folder: path)
    }

    /// Runs the stages in `range` not yet completed.
    func run(stages range: Range<Int>) throws {
        for index in range where index >= state.completedStages {
            let stage = recipe.stages[index]
            let clock = Date()
            log("[\(index + 1)/\(recipe.stages.count)] \(stage.kind)" + (state.unlearning?.stage == index ? " (resuming at step \(state.unlearning?.step ?? 0))" : ""))
            try folder.record(["event": "stage", "index": index, "kind": stage.kind])
            try run(stage, index: index)
            let seconds = Date().timeIntervalSince(clock)
            try folder.record(["event": "stage_done", "index": index, "kind": stage.kind, "seconds": seconds])
            log(String(format: "  %@ done in %.0f s", stage.kind, seconds))
        }
    }

    /// The rows of this run's evaluations (including a shared prefix's), in order.
    func results() throws -> [RunResults] {
        try state.evaluations.map { try RunResults.load(folder: folder.path + "/" + $0) }
    }

    /// Moves the state forward: `change` edits a copy, the copy is saved atomically, then
    /// `model.h5` is re-linked and files nothing points at are removed.
    func commit(_ change: (inout RunState) -> Void) throws {
        var next = state
        change(&next)
        try next.save(folder: folder.path)
        if let model = next.model, model != state.model, !model.contains("/") { try folder.linkLatestModel(model) }
        folder.removeUnreferenced(old: state, new: next)
        state = next
    }

    /// Prompt/completion pairs fit the model's context; long prompts lose their start.
    var encodingOptions: EncodingOptions {
        EncodingOptions(maxLength: model.configuration.contextLength, truncation: .dropPromptStart)
    }

    /// Encodes prompt/completion pairs with `encodingOptions`.
    func encode(_ pairs: [StudyData.Pair]) throws -> [EncodedExample] {
        try pairs.map { try TextExample(prompt: $0.prompt, completion: $0.completion).encoded(with: tokenizer, options: encodingOptions) }
    }

    func stageFile(_ index: Int, _ kind: String) -> String { "stage-\(index + 1)-\(kind).h5" }

    private static func makeTokenizer(_ recipe: Recipe, _ data: StudyData) throws -> GPT2Tokenizer {
        switch recipe.tokenizer {
        case let .file(path): return try GPT2Tokenizer.load(from: path)
        case let .train(size):
            var trainer = BPETrainer(vocabularySize: size)
            let texts = data.pretraining.isEmpty ? data.finetuning.map { $0.prompt + $0.completion } + data.retain.map { $0.prompt + $0.completion } : data.pretraining
            for text in texts { trainer.add(text) }
            return try trainer.train()
        }
    }
}
