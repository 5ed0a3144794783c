import Foundation
import LetheLayers
import LetheTensor

/// Settings of an unlearning (or fine-tuning) run's optimisation.
public struct TrainerConfiguration: Codable, Equatable, Sendable {
    public var steps: Int
    public var learningRate: Double
    public var schedule: LearningRateSchedule
    public var adamW: AdamW.Configuration
    /// Global gradient-norm clipping of the combined direction; nil: none.
    public var clipNorm: Double?
    /// Micro-batches per step; each loss's gradient is averaged over them.
    public var accumulation: Int
    /// Seed of the dropout stream (training mode when the model's config has dropout).
    public var seed: UInt64
    /// Run the trainer's `evaluator` after every this many steps (nil: never).
    public var evaluateEvery: Int?
    /// Stop after an evaluation whose metric crosses a threshold.
    public var earlyStop: EarlyStopRule?

    public init(
        steps: Int, learningRate: Double = 1e-5, schedule: LearningRateSchedule = .constant,
        adamW: AdamW.Configuration = .init(), clipNorm: Double? = 1, accumulation: Int = 1, seed: UInt64 = 0
    ) {
        (self.steps, self.learningRate, self.schedule, self.adamW) = (steps, learningRate, schedule, adamW)
        (self.clipNorm, self.accumulation, self.seed) = (clipNorm, accumulation, seed)
    }
}

/// Stop when an evaluated metric reaches a threshold, e.g. forget NLL above 10 or retain
/// perplexity above 50 (`stopWhen: .above`).
public struct EarlyStopRule: Codable, Equatable, Sendable {
    public enum Direction: String, Codable, Sendable { case above, below }
    public var metric: String
    public var direction: Direction
    public var threshold: Double

    public init(metric: String, direction: Direction, threshold: Double) {
        (self.metric, self.direction, self.threshold) = (metric, direction, threshold)
    }

    func isMet(by metrics: [String: Double]) -> Bool {
        guard let value = metrics[metric] else { return false }
        return direction == .above ? value >= threshold : value <= threshold
    }
}

/// What one step did, for progress callbacks, events and logs.
public struct StepRecord {
    public let step: Int
    public let losses: [String: Double]
    public let learningRate: Double
    /// Norm of the combined direction before clipping.
    public let directionNorm: Double
    public let report: CombinerReport
    /// The evaluator's metrics when this step ran an evaluation.
    public var evaluation: [String: Double]?

    public init(step: Int, losses: [String: Double], learningRate: Double, directionNorm: Double, report: CombinerReport) {
        (self.step, self.losses, self.learningRate, self.directionNorm, self.report) = (step, losses, learningRate, directionNorm, report)
    }
}

/// The unlearning loop: per step, every named loss of the objective gets its own backward
/// pass into its own gradient buffer (averaged over `accumulation` micro-batches); the
/// combiner turns them into one direction; it is clipped and AdamW applies it. A non-finite
/// loss stops the run with an error naming the step and the loss, before any update.
public final class UnlearningTrainer {
    public let model: GPT2Model
    /// The tensors being trained: the model's parameters, or LoRA adapters.
    public let trainable: NamedTensors
    public let objective: any UnlearningObjective
    public let combiner: any GradientCombiner
    public let reference: ReferenceModel?
    public let configuration: TrainerConfiguration
    public let optimizer: AdamW
    /// Steps completed.
    public internal(set) var step = 0
    /// When set, every step's gradient statistics (and full tensors when due) are appended.
    public var gradientLog: GradientLog?
    /// Metrics computed every `configuration.evaluateEvery` steps (e.g. forget and retain NLL).
    public var evaluator: ((UnlearningTrainer) throws -> [String: Double])?
    private var buffers: [String: NamedTensors] = [:]
    private let direction: NamedTensors

    public init(
        model: GPT2Model, trainable: NamedTensors? = nil, objective: any UnlearningObjective,
        combiner: any GradientCombiner, configuration: TrainerConfiguration, reference: ReferenceModel? = nil
    ) throws {
        guard configuration.steps >= 0, configuration.accumulation > 0, configuration.learningRate >= 0 else {
            throw UnlearningError.invalidInput("steps, accumulation and learning rate must be non-negative (accumulation ≥ 1)")
        }
        self.model = model
        self.trainable = trainable ?? model.parameters
        self.objective = objective
        self.combiner = combiner
        self.configuration = configuration
        // π_ref is the model as it starts unlearning.
        self.reference = try reference ?? (objective.usesReferenceModel ? ReferenceModel(model: model.copy()) : nil)
        optimizer = AdamW(parameters: self.trainable, configuration: configuration.adamW)
        direction = self.trainable.zerosLike()
        model.dropout = RandomGenerator(seed: configuration.seed)
    }

    /// Runs steps until `configuration.steps`, until `progress` returns false, or until the
    /// early-stop rule is met by an evaluation.
    public func train(data: UnlearningData, progress: (StepRecord) throws -> Bool = { _ in true }) throws {
        while step < configuration.steps {
            var record = try runStep(data: data)
            if let every = configuration.evaluateEvery, every > 0, step % every == 0, let evaluator {
                // Evaluation runs in eval mode and leaves the dropout stream where it was.
                let dropout = model.dropout
                model.dropout = nil
                defer { model.dropout = dropout }
                let metrics = try withoutGradients { try evaluator(self) }
                record.evaluation = metrics
                if try !progress(record) { break }
                if configuration.earlyStop?.isMet(by: metrics) == true { break }
            } else if try !progress(record) {
                break
            }
        }
    }

    /// One optimisation step.
    @discardableResult
    public func runStep(data: UnlearningData) throws -> StepRecord {
        let k = configuration.accumulation
        var names: [String] = []
        var totals: [String: Double] = [:]
        for buffer in buffers.values { buffer.flat.zero() }
        for micro in 0..<k {
            let batch = try data.batch(step * k + micro)
            for loss in try objective.losses(model: model, reference: reference, batch: batch) {
                let value = try loss.value.item()
                guard value.isFinite else {
                    throw UnlearningError.invalidInput(
                        "step \(step + 1): loss '\(loss.name)' is \(value) (micro-batch \(micro + 1)); no update was applied")
                }
                if buffers[loss.name] == nil { buffers[loss.name] = trainable.zerosLike() }
                if !names.contains(loss.name) { names.append(loss.name) }
                totals[loss.name, default: 0] += value / Double(k)
                try trainable.accumulateGradients(of: k == 1 ? loss.value : loss.value * (1 / Double(k)), into: buffers[loss.name] ?? trainable)
            }
        }
        let parts = names.compactMap { name in buffers[name].map { NamedGradients(name, $0) } }
        let report = try combiner.combine(parts, into: direction)
        let norm = configuration.clipNorm.map { direction.clipNorm(to: $0) } ?? direction.norm()
        guard norm.isFinite else {
            throw UnlearningError.invalidInput("step \(step + 1): the combined gradient is not finite; no update was applied")
        }
        let rate = configuration.learningRate * configuration.schedule.multiplier(step: step)
        try optimizer.update(gradients: direction, learningRate: rate)
        step += 1
        let record = StepRecord(step: step, losses: totals, learningRate: rate, directionNorm: norm, report: report)
        try gradientLog?.append(record, gradients: parts)
        return record
    }
}
