import Foundation
import LetheEvaluation
import LetheLayers
import LetheRecipes
import LetheStorage
import LetheTensor
import LetheText
import LetheUnlearning

/// Runs one recipe (a grid is expanded first): data, tokenizer and model, then each stage in
/// order, into the run folder `recipe.output`. Evaluate stages write `evaluate-<n>/results.json`;
/// the returned table compares them in seed 003's layout.
public struct RecipeRunner {
    public let recipe: Recipe
    public var log: (String) -> Void
    public var objectives = ObjectiveRegistry.builtIn
    public var combiners = CombinerRegistry.builtIn

    public init(recipe: Recipe, log: @escaping (String) -> Void = { print($0) }) {
        self.recipe = recipe
        self.log = log
    }

    public func run() throws -> ResultsTable {
        let folder = try RunFolder(path: recipe.output, recipeYAML: recipe.yaml)
        let corpus = try loadData()
        let tokenizer = try loadTokenizer(corpus)
        try tokenizer.save(to: recipe.output)
        var model = try loadModel(vocabulary: tokenizer.vocabularySize, endOfText: tokenizer.endOfTextID)
        let T = model.configuration.contextLength
        let options = EncodingOptions(maxLength: T, truncation: .dropPromptStart)
        func encode(_ pairs: [(String, String)]) throws -> [EncodedExample] {
            try pairs.map { try TextExample(prompt: $0.0, completion: $0.1).encoded(with: tokenizer, options: options) }
        }
        var rows: [RunResults] = []
        var label = "base"  // the row label of the next evaluation: what the model has been through
        var classifier: ToxicityClassifier?
        for (index, stage) in recipe.stages.enumerated() {
            let clock = Date()
            log("[\(index + 1)/\(recipe.stages.count)] \(stage.kind)")
            folder.record(["event": "stage", "index": index, "kind": stage.kind])
            var rng = RandomGenerator(seed: recipe.seed &+ UInt64(index))
            switch stage {
            case let .pretrain(training):
                let stream = corpus.pretraining.flatMap { tokenizer.encode($0.text) + [tokenizer.endOfTextID ?? 0] }
                try LanguageModelTraining.train(model, training, seed: recipe.seed, batch: { _ in
                    try LanguageModelTraining.windows(stream, length: T, batchSize: training.batchSize, rng: &rng)
                }, report: { step, loss in self.progress(folder, stage.kind, step, loss) })
                label = "pretrained"
            case let .finetune(training):
                let examples = try encode(corpus.finetuning.map { ($0.prompt, $0.completion) })
                var order: [Int] = []
                try LanguageModelTraining.train(model, training, seed: recipe.seed, batch: { _ in
                    if order.count < training.batchSize { order += Sampling.shuffled(Array(examples.indices), rng: &rng) }
                    defer { order.removeFirst(min(training.batchSize, order.count)) }
                    return try order.prefix(training.batchSize).map { examples[$0] }.padded()
                }, report: { step, loss in self.progress(folder, stage.kind, step, loss) })
                label = "base (fine-tuned)"
            case let .unlearn(objectiveChoice, combinerChoice, training, logEvery, _):
                let objective = try objectives.make(objectiveChoice.name, options: pluginOptions(objectiveChoice.options))
                let combiner = try combiners.make(combinerChoice.name, options: pluginOptions(combinerChoice.options))
                let refusals = objective.preferredAnswers
                let preferred = refusals.isEmpty ? [] : try encode(corpus.forget.enumerated().map { ($1.prompt, " " + refusals[$0 % refusals.count]) })
                let data = try UnlearningData(
                    forget: try encode(corpus.forget.map { ($0.prompt, $0.completion) }),
                    retain: try encode(corpus.retain.map { ($0.prompt, $0.completion) }), preferred: preferred,
                    batchSize: training.batchSize, seed: recipe.seed)
                let trainer = try UnlearningTrainer(
                    model: model, objective: objective, combiner: combiner,
                    configuration: TrainerConfiguration(
                        steps: training.steps, learningRate: training.learningRate, schedule: Self.schedule(training),
                        adamW: .init(weightDecay: training.weightDecay), clipNorm: training.clipNorm,
                        accumulation: training.accumulation, seed: recipe.seed))
                if logEvery != nil {
                    trainer.gradientLog = try GradientLog(
                        path: recipe.output + "/gradients.h5", parameterNames: model.parameters.names, lossNames: ["forget", "retain"])
                }
                try trainer.train(data: data) { record in
                    let losses = record.losses.sorted { $0.key < $1.key }.map { String(format: "%@ %.4f", $0.key, $0.value) }.joined(separator: ", ")
                    if record.step % 10 == 0 || record.step == training.steps {
                        self.log(String(format: "  step %d  %@  cos %.3f", record.step, losses, record.report.cosine ?? .nan))
                    }
                    folder.record(["event": "step", "stage": "unlearn", "step": record.step, "losses": record.losses, "cosine": record.report.cosine ?? 0])
                    return true
                }
                trainer.gradientLog?.close()
                try Checkpoint.save(trainer, recipe: recipe.yaml, to: recipe.output + "/model.h5")
                folder.record(["event": "checkpoint", "path": recipe.output + "/model.h5", "step": trainer.step])
                model = trainer.model
                label = "\(objectiveChoice.name)+\(combinerChoice.name)"
            case let .evaluate(perplexity, attacks, toxicity):
                var results = RunResults(label: label)
                if perplexity {
                    results.perplexity = try Perplexity.evaluate(model: model, documents: corpus.heldout.map(\.text), encoder: tokenizer)
                }
                if !attacks.isEmpty {
                    let scored = { (items: [DefaultCorpus.DialogueItem]) in
                        try items.map { try ScoredSequence(TextExample(prompt: $0.prompt, completion: $0.completion), encoder: tokenizer, options: options) }
                    }
                    results.membership = try MembershipInference.evaluate(
                        model: model, members: scored(corpus.forget), nonMembers: scored(corpus.nonmembers),
                        attacks: try attacks.map(Self.attack), resamples: 200, seed: recipe.seed)
                }
                if toxicity != nil {
                    let scorer = try classifier ?? trainClassifier(corpus, tokenizer)
                    classifier = scorer
                    let newTokens = min(toxicity == "sampled" ? 20 : 30, T / 2)
                    let outcome = try ToxicityEvaluation.evaluate(
                        model: model, prompts: corpus.evalPrompts.map(\.prompt),
                        encoder: LastTokens(tokenizer: tokenizer, count: T - newTokens), decoder: tokenizer,
                        protocol: toxicity == "sampled" ? .sampled(samples: 5, maxNewTokens: newTokens, topP: 0.9) : .greedy(maxNewTokens: newTokens),
                        scorer: scorer, seed: recipe.seed)
                    results.toxicity = RunResults.ToxicitySummary(outcome)
                }
                try results.save(folder: recipe.output + "/evaluate-\(index + 1)")
                rows.append(results)
            }
            folder.record(["event": "stage_done", "index": index, "kind": stage.kind, "seconds": Date().timeIntervalSince(clock)])
            log(String(format: "  %@ done in %.0f s", stage.kind, Date().timeIntervalSince(clock)))
        }
        let table = try RunTables.table(rows, layout: .detoxification)
        try table.markdown().write(toFile: recipe.output + "/table.md", atomically: true, encoding: .utf8)
        return table
    }

    private func progress(_ folder: RunFolder, _ stage: String, _ step: Int, _ loss: Double) {
        log(String(format: "  step %d  loss %.4f", step, loss))
        folder.record(["event": "step", "stage": stage, "step": step, "loss": loss])
    }
}

/// Encodes with the tokenizer and keeps the last `count` tokens (prompts leave room for the
/// continuation inside the context).
private struct LastTokens: TokenEncoder {
    let tokenizer: GPT2Tokenizer
    let count: Int
    func encode(_ text: String) throws -> [Int] { Array(tokenizer.encode(text).suffix(count)) }
}
