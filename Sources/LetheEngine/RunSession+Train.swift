import Foundation
import LetheLayers
import LetheTensor
import LetheUnlearning

/// The one way a stage trains: the run's `Trainer` with the stage's objective, combiner and
/// `TrainingOptions`, resumed from a checkpoint inside the stage after a crash, with LoRA
/// adapters when asked, a checkpoint every `checkpoint_every` steps, the gradient log,
/// periodic evaluations, progress and events.
extension RunSession {
    /// What a training stage hands to `train`.
    public struct TrainingJob {
        public var kind: String
        public var index: Int
        public var options: TrainingOptions
        public var objective: any TrainingObjective
        public var combiner: any GradientCombiner
        public var data: any TrainingData
        /// Data order and dropout.
        public var seed: UInt64

        public init(
            kind: String, index: Int, options: TrainingOptions, objective: any TrainingObjective, combiner: any GradientCombiner,
            data: any TrainingData, seed: UInt64
        ) {
            (self.kind, self.index, self.options, self.objective) = (kind, index, options, objective)
            (self.combiner, self.data, self.seed) = (combiner, data, seed)
        }
    }

    /// A trained model, with its LoRA adapters when the stage trained adapters and asked
    /// not to merge them (`lora.merge: false`): `finish` saves them apart, then folds them in.
    public struct TrainedModel {
        public var model: any CausalLanguageModel
        public var adapters: LoRAAdapters?

        public init(model: any CausalLanguageModel, adapters: LoRAAdapters? = nil) { (self.model, self.adapters) = (model, adapters) }
    }

    /// Trains `target` (the run's model, or another one such as the oracle) and returns it
    /// trained. The caller saves it (`finish`) and moves the state past the stage.
    public func train(_ target: any CausalLanguageModel, _ job: TrainingJob) throws -> TrainedModel {
        let options = job.options
        try Self.checkMemory(job, model: target)
        var adapters: LoRAAdapters?
        if let lora = options.lora {
            var rng = RandomGenerator(seed: job.seed &+ 0x4C6F_5241)
            adapters = try target.applyLoRA(lora, rng: &rng)
        }
        let trainer = try Trainer(
            model: target, trainable: adapters?.parameters, objective: job.objective, combiner: job.combiner,
            configuration: options.trainerConfiguration(seed: job.seed))
        if let progress = state.progress, progress.stage == job.index {
            try Checkpoint.restore(trainer, from: folder.path + "/" + progress.checkpoint)
        }
        if options.gradientLogEvery != nil {
            let path = folder.path + "/gradients.h5"
            if trainer.step > 0, FileManager.default.fileExists(atPath: path) {
                // The interrupted run's log is kept; the resumed steps go to a new one.
                try? FileManager.default.moveItem(atPath: path, toPath: folder.path + "/gradients-before-step-\(trainer.step + 1).h5")
            }
            trainer.gradientLog = try GradientLog(path: path, parameterNames: trainer.trainable.names, lossNames: try Self.lossNames(trainer, job))
        }
        defer { trainer.gradientLog?.close() }
        if options.evalEvery != nil { trainer.evaluator = Self.meanLosses(job) }
        let progress = Progress(total: options.steps, label: "  \(job.kind)", write: log)
        var watch = NegligibleGradientWatch()
        try trainer.train(data: job.data) { record in
            try self.report(record, job: job, progress: progress)
            if let warning = watch.observe(record.report.norms) {
                self.log("  warning at step \(record.step): \(warning)")
                try self.folder.record(.warning(stage: job.kind, step: record.step, message: warning))
            }
            if let every = options.checkpointEvery, record.step % every == 0, record.step < options.steps {
                try trainer.gradientLog?.flush()
                let file = "\(job.kind)-\(job.index + 1)-step-\(record.step).h5"
                try Checkpoint.save(trainer, lora: options.lora, recipe: self.recipe.yaml, to: self.folder.path + "/" + file)
                try self.commit { $0.progress = .init(stage: job.index, step: record.step, checkpoint: file) }
                try self.folder.record(.checkpoint(path: file, stage: job.index, step: record.step))
            }
            return true
        }
        progress.finish()
        try trainer.gradientLog?.flush()  // a failed log write is an error here, not lost in close()
        if let adapters {
            if options.exportLoRA {
                let directory = folder.path + "/stage-\(job.index + 1)-\(job.kind)-adapters"
                try adapters.save(directory: directory)
                log("  LoRA adapters (PEFT layout) -> \(directory)")
            }
            if !options.mergeLoRA { return TrainedModel(model: target, adapters: adapters) }
            try target.fuseLoRA()
            target.parameters.markTrainable()
        }
        return TrainedModel(model: target, adapters: nil)
    }

    private func report(_ record: StepRecord, job: TrainingJob, progress: Progress) throws {
        let losses = record.losses.sorted { $0.key < $1.key }.map { String(format: "%@ %.4f", $0.key, $0.value) }.joined(separator: ", ")
        if let fault = record.skipped { log("  step \(record.step) skipped: \(fault)") }
        let cosine = record.report.cosine.map { String(format: "  cos %.3f", $0) } ?? ""
        progress.update(record.step, status: losses + cosine)
        try folder.record(.step(
            stage: job.kind, step: record.step, losses: record.losses, cosine: record.report.cosine, learningRate: record.learningRate,
            skipped: record.skipped.map { "\($0)" }))
        if let metrics = record.evaluation {
            try folder.record(.stepEvaluation(stage: job.kind, step: record.step, metrics: metrics))
        }
    }

    /// The names of the objective's losses on the stage's data (one forward pass in
    /// evaluation mode, which leaves the dropout stream where it was).
    private static func lossNames(_ trainer: Trainer, _ job: TrainingJob) throws -> [String] {
        try trainer.inEvaluationMode {
            try job.objective.losses(model: trainer.model, reference: trainer.reference, batch: try job.data.batch(0)).map(\.name)
        }
    }

    /// The evaluator of `eval_every`: each named loss's mean over the first four batches
    /// of the stage's data order, as `<loss>_loss` (e.g. `forget_loss`, `train_loss`).
    private static func meanLosses(_ job: TrainingJob) -> (Trainer) throws -> [String: Double] {
        { trainer in
            var sums: [String: Double] = [:]
            let count = 4
            for index in 0..<count {
                for loss in try job.objective.losses(model: trainer.model, reference: trainer.reference, batch: try job.data.batch(index)) {
                    sums[loss.name + "_loss", default: 0] += try loss.value.item() / Double(count)
                }
            }
            return sums
        }
    }

    /// Refuses, before the first step, a batch whose logits alone cannot fit in this machine's
    /// memory: per part of the first micro-batch, B × T × V floats, three times (logits, their
    /// softmax, their gradient). Products are overflow-checked (an absurd size is this error,
    /// not a trap or a failed allocation).
    static func checkMemory(_ job: TrainingJob, model: any CausalLanguageModel) throws {
        let batch = try job.data.batch(0)
        var bytes = 0
        for part in batch.parts.values {
            var partBytes = 12
            for factor in [part.tokens.batchSize, part.tokens.length, model.dimensions.vocabularySize] {
                let (product, overflow) = partBytes.multipliedReportingOverflow(by: factor)
                partBytes = overflow ? Int.max : product
            }
            bytes = bytes.addingReportingOverflow(partBytes).overflow ? Int.max : bytes + partBytes
        }
        let available = ProcessInfo.processInfo.physicalMemory
        guard UInt64(bytes) > available else { return }
        func gib(_ n: Double) -> String { String(format: "%.1f GiB", n / 1_073_741_824) }
        throw EngineError.invalid(
            "stage \(job.index + 1) (\(job.kind)): batch_size \(job.options.batchSize) needs about \(gib(Double(bytes))) for the logits "
                + "of one micro-batch, more than this machine's \(gib(Double(available))); lower batch_size (accumulation keeps the effective batch)")
    }
}
