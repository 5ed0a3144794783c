import Foundation
@testable import LetheEngine
import LetheText
import LetheEvaluation
import LetheLayers
import LetheUnlearning
import LetheRecipes
import LetheStorage
import LetheTensor
import Testing

/// A plugin stage that writes a NaN into the model's first weight and commits the result.
private struct PoisonStage: Stage {
    static let kind = "poison"
    static let summary = "sets a weight to NaN (a test of what is never committed)"
    init(options: PluginOptions, plan: StagePlanContext) throws { try options.accept([]) }
    func run(in run: RunSession, index: Int) throws {
        run.model.parameters.tensors[0].floatPointer[0] = .nan
        try run.finish(stage: index, model: run.model, label: "poisoned")
    }
}

/// A model that only has dimensions: the memory check needs nothing else (and nothing is allocated).
private final class Dimensions: CausalLanguageModel {
    let dimensions: ModelDimensions
    init(vocabulary: Int) throws {
        dimensions = ModelDimensions(
            vocabularySize: vocabulary, contextLength: 8, embeddingSize: 4, layerCount: 1, headCount: 1, keyValueHeadCount: 1,
            headSize: 4, mlpSize: 4, endOfTextID: 0, padTokenID: nil, labelCount: 2)
        parameters = try NamedTensors(shapes: [("w", [1])])
    }
    var family: String { "test" }
    var head: ModelHead { .languageModel }
    let parameters: NamedTensors

    var dropout: RandomGenerator?
    var linears: [String: any LinearMap] = [:]
    var headOutputHook: HeadOutputHook?
    func huggingFaceKey(_ name: String) -> String { name }
    func configurationJSON() throws -> String { "{}" }
    func residualStream(_ batch: TokenBatch, afterLayer layer: Int?, cache: KeyValueCache?) throws -> Tensor { Tensor(zeros: [1]) }
    func hiddenStates(_ batch: TokenBatch, cache: KeyValueCache?) throws -> Tensor { Tensor(zeros: [1]) }
    func languageModelHead(_ hidden: Tensor) throws -> Tensor { hidden }
    func loadState(_ state: [String: Tensor], source: String) throws {}
    func huggingFaceState() -> [(name: String, tensor: Tensor)] { [] }
    func copy() throws -> any CausalLanguageModel { self }
}

private struct TwoByTwo: TrainingData {
    var parts: [String] { ["train"] }
    func batch(_ index: Int) throws -> TrainingBatch {
        let tokens = try TokenBatch(ids: [0, 1, 1, 0], batchSize: 2, length: 2)
        return TrainingBatch(parts: ["train": LabelledBatch(tokens: tokens, labels: [0, 1, 1, 0], classLabels: [nil, nil])])
    }
}

@Suite("Reliability: nothing silently wrong is committed or loaded", .serialized)
struct ReliabilityTests {
    private static let recipe = """
        name: tiny
        seed: 3
        output: OUTPUT
        \(TinyRecipe.data)
        stages:
          - pretrain: {steps: 2, batch_size: 4, learning_rate: 1.0e-3}
          - finetune: {steps: 2, batch_size: 4, learning_rate: 1.0e-3}
          - poison: {}

        """

    /// Issue 15, "silently wrong" 2: a model with a NaN weight is not saved as a stage's
    /// result, the error names the stage and tensor, and the previous stage's model stays.
    @Test func aNonFiniteModelIsNeverCommitted() throws {
        let folder = TinyRecipe.temporaryFolder("poison")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let plugins = Plugins.builtIn.adding(stage: PoisonStage.self)
        let runner = RecipeRunner(recipe: try RecipeLoader.parse(Self.recipe.replacingOccurrences(of: "OUTPUT", with: folder)), plugins: plugins) { _ in }
        #expect { try runner.run() } throws: { error in
            let text = "\(error)"
            return text.contains("stage 3 (poison)") && text.contains("non-finite") && text.contains("wte.weight")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(!files.contains("stage-3-poison.h5"), "\(files.sorted())")
        // Every completed stage's model is kept (the fine-tuned one is not deleted by a later stage).
        #expect(files.contains("stage-1-pretrain.h5") && files.contains("stage-2-finetune.h5"), "\(files.sorted())")
        let state = try #require(try RunState.load(folder: folder))
        #expect(state.completedStages == 2 && state.model == "stage-2-finetune.h5")
        #expect(state.stageModels == ["stage-1-pretrain.h5", "stage-2-finetune.h5"])
        #expect(try TinyRecipe.weights(folder + "/model.h5").allSatisfy { $0.isFinite })
    }

    /// Issue 15, crashes: a count beyond its documented bound is a plan error naming the key
    /// (it used to trap on an overflowing product, or abort on a failed allocation).
    /// Issue 15, "silently wrong" 1: numbers outside their range (a negative clip norm, learning
    /// rate or weight decay, top_p above 1) are refused by the plan too.
    @Test(arguments: [
        "stages.finetune.batch_size=9223372036854775807", "stages.pretrain.batch_size=100000000", "stages.finetune.steps=1e14",
        "stages.finetune.clip_norm=-1", "stages.finetune.clip_norm=0", "stages.finetune.learning_rate=-1e-3",
        "stages.finetune.weight_decay=-0.1",
    ])
    func absurdCountsAreRefusedByThePlan(setting: String) throws {
        let folder = TinyRecipe.temporaryFolder("bounds")
        let text = Self.recipe.replacingOccurrences(of: "OUTPUT", with: folder).replacingOccurrences(of: "  - poison: {}\n", with: "")
        let recipe = try RecipeLoader.parse(text, overrides: [setting])
        let key = String(setting.split(separator: "=")[0].split(separator: ".").last ?? "")
        #expect { try RecipeRunner(recipe: recipe) { _ in }.check() } throws: { error in
            "\(error)".contains(key) && ["between", "integer", "positive", "must lie in"].contains { "\(error)".contains($0) }
        }
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    /// Issue 15, crashes: a batch whose logits cannot fit in memory is refused before the
    /// first step, naming the stage and batch_size, also when the size product overflows.
    @Test(arguments: [1 << 40, Int.max / 2])
    func aBatchBeyondMemoryIsRefusedBeforeTheFirstStep(vocabulary: Int) throws {
        var options = TrainingOptions(objective: PluginChoice(name: "next_token"))
        options.batchSize = 2
        let job = RunSession.TrainingJob(
            kind: "finetune", index: 1, options: options, objective: try ObjectiveRegistry.builtIn.make("next_token"),
            combiner: try CombinerRegistry.builtIn.make("sum"), data: TwoByTwo(), seed: 0)
        #expect { try RunSession.checkMemory(job, model: try Dimensions(vocabulary: vocabulary)) } throws: { error in
            "\(error)".contains("stage 2 (finetune)") && "\(error)".contains("batch_size 2") && "\(error)".contains("GiB")
        }
        try RunSession.checkMemory(job, model: try Dimensions(vocabulary: 1000))
    }

    /// Issue 15, "silently wrong" 6: a second process running into a locked folder is refused
    /// with a message naming the holder (here the lock is held by this process's other
    /// descriptor, which `flock` treats alike).
    @Test func aSecondRunIntoALockedFolderIsRefused() throws {
        let folder = TinyRecipe.temporaryFolder("locked")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let lock = try RunLock(folder: folder)
            let text = Self.recipe.replacingOccurrences(of: "OUTPUT", with: folder).replacingOccurrences(of: "  - poison: {}\n", with: "")
            #expect { try RecipeRunner(recipe: RecipeLoader.parse(text)) { _ in }.run() } throws: { error in
                "\(error)".contains("in use by another lethe process") && "\(error)".contains("pid \(getpid())")
            }
            #expect(try RunState.load(folder: folder) == nil)
            withExtendedLifetime(lock) {}
        }
        // Released, the folder can be taken again.
        _ = try RunLock(folder: folder)
    }

    /// Issue 15, "silently wrong" 5: a run records its input files' SHA-256; an edited data
    /// or tokenizer file refuses to continue and says which one changed.
    @Test func aChangedInputFileRefusesToContinue() throws {
        let folder = TinyRecipe.temporaryFolder("inputs")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = folder + "/forget.jsonl"
        try #"{"text": "one"}"#.write(toFile: data, atomically: true, encoding: .utf8)
        let recipe = try RecipeLoader.parse("""
            name: inputs
            output: \(folder)/run
            data: {files: {forget: \(data)}}
            tokenizer: {train: {vocab_size: 300}}
            model: {config: {n_layer: 1, n_embd: 8, n_head: 2, n_positions: 16}}
            stages:
              - evaluate: {perplexity: {}}
            """)
        try FileManager.default.createDirectory(atPath: folder + "/run", withIntermediateDirectories: true)
        try RunInputs(recipe: recipe).check(folder: folder + "/run")
        try RunInputs(recipe: recipe).check(folder: folder + "/run")
        try #"{"text": "two"}"#.write(toFile: data, atomically: true, encoding: .utf8)
        #expect { try RunInputs(recipe: recipe).check(folder: folder + "/run") } throws: { error in
            "\(error)".contains("data.files.forget") && "\(error)".contains(data) && "\(error)".contains("changed")
        }
    }

    /// Issue 15, "silently wrong" 4: a tokenizer with more tokens than the model has rows is
    /// refused, naming both and their sizes.
    @Test func aTokenizerLargerThanTheModelIsRefused() throws {
        var trainer = BPETrainer(vocabularySize: 300)
        trainer.add("the quick brown fox jumps over the lazy dog, again and again")
        let tokenizer = try trainer.train()
        var rng = RandomGenerator(seed: 1)
        let model = try GPT2Model(
            configuration: GPT2Configuration(vocabularySize: 100, contextLength: 8, embeddingSize: 8, layerCount: 1, headCount: 2, endOfTextID: 0),
            rng: &rng)
        #expect { try model.requireFits(tokenizer: tokenizer, tokenizerSource: "tok.json", modelSource: "model.h5") } throws: { error in
            "\(error)".contains("tok.json") && "\(error)".contains("model.h5") && "\(error)".contains("\(tokenizer.vocabularySize) tokens")
                && "\(error)".contains("100 embedding rows")
        }
    }

    /// Issue 15, "silently wrong" 10: a loss whose gradient stays negligible beside the others
    /// is reported once, after `steps` steps in a row, and a recovery resets its count.
    @Test func aNegligibleLossIsReportedOnce() {
        var watch = NegligibleGradientWatch()
        watch.steps = 3
        #expect(watch.observe(["forget": 1e-16, "retain": 1]) == nil)
        #expect(watch.observe(["forget": 1e-16, "retain": 1]) == nil)
        #expect(watch.observe(["forget": 1, "retain": 1]) == nil)  // recovered: the count restarts
        #expect(watch.observe(["forget": 1e-16, "retain": 1]) == nil)
        #expect(watch.observe(["forget": 1e-16, "retain": 1]) == nil)
        let warning = watch.observe(["forget": 1e-16, "retain": 2])
        #expect(warning?.contains("'forget'") == true && warning?.contains("3 steps") == true, "\(warning ?? "none")")
        #expect(watch.observe(["forget": 1e-16, "retain": 1]) == nil)  // once
        #expect(watch.observe(["train": 1e-30]) == nil)  // one loss has nothing to compare with
    }

    /// Issue 15, recoverable failures: after a stage fails, the corrected recipe continues the
    /// run (its completed stages unchanged); an edit of a completed stage is refused, naming it.
    @Test func anEditedRecipeContinuesWhenOnlyStagesNotCompletedChanged() throws {
        let folder = TinyRecipe.temporaryFolder("edited")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let plugins = Plugins.builtIn.adding(stage: PoisonStage.self)
        let broken = Self.recipe.replacingOccurrences(of: "OUTPUT", with: folder)
        #expect(throws: (any Error).self) { try RecipeRunner(recipe: RecipeLoader.parse(broken), plugins: plugins) { _ in }.run() }
        let fixed = broken.replacingOccurrences(of: "  - poison: {}", with: "  - evaluate: {perplexity: {}}")
        var lines: [String] = []
        _ = try RecipeRunner(recipe: RecipeLoader.parse(fixed), plugins: plugins) { lines.append($0) }.run()
        #expect(lines.contains { $0.contains("continuing with the edited recipe (stages changed: 3)") }, "\(lines)")
        #expect(lines.filter { $0.contains("pretrain") || $0.contains("finetune") }.isEmpty, "\(lines)")
        #expect(try RunState.load(folder: folder)?.completedStages == 3)
        #expect(try String(contentsOfFile: folder + "/recipe.yaml", encoding: .utf8).contains("perplexity"))
        let changedPast = fixed.replacingOccurrences(of: "pretrain: {steps: 2", with: "pretrain: {steps: 3")
        #expect { try RecipeRunner(recipe: RecipeLoader.parse(changedPast), plugins: plugins) { _ in }.run() } throws: { error in
            "\(error)".contains("completed stage 1 (pretrain)")
        }
    }

    /// Issue 15, "silently wrong" 7: a hand-edited state.json (completedStages rewound) is
    /// refused instead of re-running a stage on a model that already went through it.
    @Test func aHandEditedStateIsRefused() throws {
        let folder = TinyRecipe.temporaryFolder("state")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var state = RunState(recipeFolder: folder, evaluationSeed: 1)
        state.completedStages = 2
        try state.save(folder: folder)
        #expect(try RunState.load(folder: folder)?.completedStages == 2)
        let path = folder + "/state.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\"completedStages\" : 2"))
        try text.replacingOccurrences(of: "\"completedStages\" : 2", with: "\"completedStages\" : 0").write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try RunState.load(folder: folder) } throws: { "\($0)".contains(path) && "\($0)".contains("edited by hand") }
    }

    /// Crash safety: a kill between saving state.json and re-linking model.h5 left the link at
    /// the previous stage's model, and a resume that had nothing left to change kept it stale
    /// (seen once in the SIGKILL test under load). The link follows the state when a run opens.
    @Test func aStaleModelLinkIsRepairedOnResume() throws {
        let folder = TinyRecipe.temporaryFolder("stale")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text = Self.recipe.replacingOccurrences(of: "OUTPUT", with: folder).replacingOccurrences(of: "  - poison: {}\n", with: "")
        _ = try RecipeRunner(recipe: RecipeLoader.parse(text)) { _ in }.run()
        let link = folder + "/model.h5"
        try FileManager.default.removeItem(atPath: link)
        try FileManager.default.linkItem(atPath: folder + "/stage-1-pretrain.h5", toPath: link)
        #expect(try TinyRecipe.weights(link) != TinyRecipe.weights(folder + "/stage-2-finetune.h5"))
        _ = try RecipeRunner.resume(folder: folder) { _ in }
        #expect(try TinyRecipe.weights(link) == TinyRecipe.weights(folder + "/stage-2-finetune.h5"))
    }
}
