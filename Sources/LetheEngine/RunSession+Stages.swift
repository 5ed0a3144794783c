import Foundation
import LetheEvaluation
import LetheLayers
import LetheRecipes
import LetheTensor
import LetheText
import LetheUnlearning

/// What each stage kind does.
extension RunSession {
    func run(_ stage: Recipe.Stage, index: Int) throws {
        var rng = RandomGenerator(seed: recipe.seed &+ UInt64(index))
        switch stage {
        case let .pretrain(training):
            let T = model.configuration.contextLength
            let stream = data.pretraining.flatMap { tokenizer.encode($0) + [tokenizer.endOfTextID ?? 0] }
            try train(model, training, stage: "pretrain") { _ in
                try LanguageModelTraining.windows(stream, length: T, batchSize: training.batchSize, rng: &rng)
            }
            try finishTraining(index, "pretrain", label: "pretrained", keepAsPretrained: true)
        case let .finetune(training):
            try train(model, training, stage: "finetune", batch: shuffledBatches(try encode(data.finetuning), training.batchSize, rng))
            try finishTraining(index, "finetune", label: "base (fine-tuned)", keepAsPretrained: false)
        case let .retrain(training):
            let oracle = try state.pretrained.map { try Checkpoint.loadModel(from: folder.path + "/" + $0) }
                ?? RecipeRunner.makeModel(recipe, vocabulary: tokenizer.vocabularySize, endOfText: tokenizer.endOfTextID)
            let examples = try encode(data.finetuningWithoutForget)
            log("  retraining without the forget set: \(examples.count) of \(data.finetuning.count) fine-tuning examples")
            try train(oracle, training, stage: "retrain", batch: shuffledBatches(examples, training.batchSize, rng))
            let file = "oracle.h5"
            try Checkpoint.save(model: oracle, recipe: recipe.yaml, to: folder.path + "/" + file)
            let retrainsLater = retrains(after: index)
            try commit {
                ($0.oracle, $0.oracleAUC, $0.completedStages) = (file, nil, index + 1)
                if !retrainsLater { $0.pretrained = nil }
            }
        case let .unlearn(unlearning):
            try unlearn(unlearning, index: index)
        case let .evaluate(perplexity, attacks, toxicity):
            try evaluate(index: index, perplexity: perplexity, attacks: attacks, toxicity: toxicity)
        }
    }

    /// Whether a `retrain` stage comes after stage `index` (it needs the pretrained model).
    private func retrains(after index: Int) -> Bool {
        recipe.stages[(index + 1)...].contains { if case .retrain = $0 { true } else { false } }
    }

    /// Saves the model after a pretrain or fine-tune stage and moves the state past it.
    private func finishTraining(_ index: Int, _ kind: String, label: String, keepAsPretrained: Bool) throws {
        let file = stageFile(index, kind)
        try Checkpoint.save(model: model, recipe: recipe.yaml, to: folder.path + "/" + file)
        let retrainsLater = retrains(after: index)
        try commit {
            $0.model = file
            if keepAsPretrained && retrainsLater { $0.pretrained = file }
            $0.label = label
            $0.completedStages = index + 1
        }
        try folder.record(["event": "checkpoint", "path": file, "stage": index])
    }

    private func train(_ target: GPT2Model, _ training: Recipe.Training, stage: String, batch: (Int) throws -> LabelledBatch) throws {
        let progress = Progress(total: training.steps, label: "  \(stage)", write: log)
        try LanguageModelTraining.train(target, training, seed: recipe.seed, batch: batch) { step, loss in
            progress.update(step, status: String(format: "loss %.4f", loss))
            try self.folder.record(["event": "step", "stage": stage, "step": step, "loss": loss])
        }
        progress.finish()
    }

    /// Batches of `size` examples, each epoch in a new seeded order.
    private func shuffledBatches(_ examples: [EncodedExample], _ size: Int, _ start: RandomGenerator) -> (Int) throws -> LabelledBatch {
        var rng = start
        var order: [Int] = []
        return { _ in
            if order.count < size { order += Sampling.shuffled(Array(examples.indices), rng: &rng) }
            defer { order.removeFirst(min(size, order.count)) }
            return try order.prefix(size).map { examples[$0] }.padded()
        }
    }

    private func unlearn(_ u: Recipe.Unlearning, index: Int) throws {
        let seed = u.seed ?? recipe.seed
        let objective = try objectives.make(u.objective.name, options: RecipeRunner.pluginOptions(u.objective.options))
        let combiner = try combiners.make(u.combiner.name, options: RecipeRunner.pluginOptions(u.combiner.options))
        let refusals = objective.preferredAnswers
        let preferred = refusals.isEmpty ? [] : try encode(data.forget.enumerated().map { .init(prompt: $1.prompt, completion: " " + refusals[$0 % refusals.count]) })
        let unlearningData = try UnlearningData(
            forget: try encode(data.forget), retain: try encode(data.retain), preferred: preferred, batchSize: u.training.batchSize, seed: seed)
        var configuration = TrainerConfiguration(
            steps: u.training.steps, learningRate: u.training.learningRate, schedule: RecipeRunner.schedule(u.training),
            adamW: .init(weightDecay: u.training.weightDecay), clipNorm: u.training.clipNorm,
            accumulation: u.training.accumulation, seed: seed)
        configuration.nonFinite = u.skipNonFinite ? .skip : .stop
        let trainer = try Trainer(model: model, objective: objective, combiner: combiner, configuration: configuration)
        if let progress = state.unlearning, progress.stage == index {
            try Checkpoint.restore(trainer, from: folder.path + "/" + progress.checkpoint)
        }
        if u.gradientLogEvery != nil {
            let path = folder.path + "/gradients.h5"
            if trainer.step > 0, FileManager.default.fileExists(atPath: path) {
                // The interrupted run's log is kept; the resumed steps go to a new one.
                try? FileManager.default.moveItem(atPath: path, toPath: folder.path + "/gradients-before-step-\(trainer.step + 1).h5")
            }
            trainer.gradientLog = try GradientLog(path: path, parameterNames: model.parameters.names, lossNames: ["forget", "retain"])
        }
        defer { trainer.gradientLog?.close() }
        let progress = Progress(total: u.training.steps, label: "  unlearn", write: log)
        try trainer.train(data: unlearningData) { record in
            let losses = record.losses.sorted { $0.key < $1.key }.map { String(format: "%@ %.4f", $0.key, $0.value) }.joined(separator: ", ")
            if let fault = record.skipped { self.log("  step \(record.step) skipped: \(fault)") }
            progress.update(record.step, status: String(format: "%@  cos %.3f", losses, record.report.cosine ?? .nan))
            try self.folder.record(["event": "step", "stage": "unlearn", "step": record.step, "losses": record.losses, "cosine": record.report.cosine ?? 0])
            if let every = u.checkpointEvery, record.step % every == 0, record.step < u.training.steps {
                try trainer.gradientLog?.flush()
                let file = "unlearn-\(index + 1)-step-\(record.step).h5"
                try Checkpoint.save(trainer, recipe: self.recipe.yaml, to: self.folder.path + "/" + file)
                try self.commit { $0.unlearning = .init(stage: index, step: record.step, checkpoint: file) }
            }
            return true
        }
        progress.finish()
        try trainer.gradientLog?.flush()  // a failed log write is an error here, not lost in close()
        let file = stageFile(index, "unlearn")
        try Checkpoint.save(trainer, recipe: recipe.yaml, to: folder.path + "/" + file)
        model = trainer.model
        try commit {
            $0.model = file
            $0.unlearning = nil
            $0.label = "\(u.objective.name)+\(u.combiner.name)"
            $0.evaluationSeed = seed
            $0.completedStages = index + 1
        }
        try folder.record(["event": "checkpoint", "path": file, "step": trainer.step])
    }
}
