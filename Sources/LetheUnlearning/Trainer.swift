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
    /// What a NaN or an infinity in a loss, a gradient or the combined direction does.
    public var nonFinite: NonFinitePolicy
    /// Under `nonFinite = .skip`, the most steps skipped in a row: the next fault stops the run.
    public var maxConsecutiveSkips: Int

    public init(
        steps: Int, learningRate: Double = 1e-5, schedule: LearningRateSchedule = .constant,
        adamW: AdamW.Configuration = .init(), clipNorm: Double? = 1, accumulation: Int = 1, seed: UInt64 = 0,
        nonFinite: NonFinitePolicy = .stop, maxConsecutiveSkips: Int = 10
    ) {
        (self.steps, self.learningRate, self.schedule, self.adamW) = (steps, learningRate, schedule, adamW)
        (self.clipNorm, self.accumulation, self.seed) = (clipNorm, accumulation, seed)
        (self.nonFinite, self.maxConsecutiveSkips) = (nonFinite, maxConsecutiveSkips)
    }
}

extension TrainerConfiguration {
    /// Decodes a configuration; `nonFinite` and `maxConsecutiveSkips`, absent from
    /// configurations written before they existed, default to `.stop` and 10.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            steps: try container.decode(Int.self, forKey: .steps),
            learningRate: try container.decode(Double.self, forKey: .learningRate),
            schedule: try container.decode(LearningRateSchedule.self, forKey: .schedule),
            adamW: try container.decode(AdamW.Configuration.self, forKey: .adamW),
            clipNorm: try container.decodeIfPresent(Double.self, forKey: .clipNorm),
            accumulation: try container.decode(Int.self, forKey: .accumulation),
            seed: try container.decode(UInt64.self, forKey: .seed),
            nonFinite: try container.decodeIfPresent(NonFinitePolicy.self, forKey: .nonFinite) ?? .stop,
            maxConsecutiveSkips: try container.decodeIfPresent(Int.self, forKey: .maxConsecutiveSkips) ?? 10)
        evaluateEvery = try container.decodeIfPresent(Int.self, forKey: .evaluateEvery)
        earlyStop = try container.decodeIfPresent(EarlyStopRule.self, forKey: .earlyStop)
    }
}

/// What the trainer does when a step meets a NaN or an infinity (in a loss value, a loss's
/// gradient or the combined direction). Either way no update is applied on that step.
public enum NonFinitePolicy: String, Codable, Sendable {
    /// Throw `UnlearningError.nonFinite` naming the step, the loss and the first parameter.
    case stop
    /// Leave the parameters and the optimiser's moments as they were, count the step as
    /// done (the data order stays a function of seed and step) and go on; the step's
    /// record carries the fault. A fault after `maxConsecutiveSkips` skipped steps in a row
    /// stops the run as under `.stop`.
    case skip
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
    /// Set when the step was skipped for a NaN or an infinity (`NonFinitePolicy.skip`): no
    /// update was applied, `directionNorm` is NaN and `report` is empty.
    public var skipped: NonFiniteFault?

    public init(step: Int, losses: [String: Double], learningRate: Double, directionNorm: Double, report: CombinerReport) {
        (self.step, self.losses, self.learningRate, self.directionNorm, self.report) = (step, losses, learningRate, directionNorm, report)
    }
}

/// The unlearning loop: per step, every named loss of the objective gets its own backward
/// pass into its own gradient buffer (averaged over `accumulation` micro-batches); the
/// combiner turns them into one direction; it is clipped and AdamW applies it.
///
/// Before the update, every loss value, every loss's gradient and the combined direction are
/// checked for NaN and infinities (one pass per buffer). A fault stops the run with
/// `UnlearningError.nonFinite` naming the step, the loss and the first parameter tensor, or,
/// under `NonFinitePolicy.skip`, skips the step; either way nothing is updated on that step.
public final class UnlearningTrainer {
    public let model: GPT2Model
    /// The tensors being trained: the model's parameters, or LoRA adapters.
    public let trainable: NamedTensors
    public let objective: any UnlearningObjective
    public let combiner: any GradientCombiner
    public let reference: ReferenceModel?
    public let configuration: TrainerConfiguration
    public let optimizer: AdamW
    /// Steps completed (skipped ones included).
    public internal(set) var step = 0
    /// Steps skipped for a NaN or an infinity (`NonFinitePolicy.skip`), and how many of the
    /// latest steps in a row were skipped.
    public internal(set) var skippedSteps = 0
    public internal(set) var consecutiveSkips = 0
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
        guard configuration.maxConsecutiveSkips >= 0 else {
            throw UnlearningError.invalidInput("maxConsecutiveSkips must be non-negative")
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

    /// One optimisation step (or, under `NonFinitePolicy.skip`, one skipped step).
    /// - Throws: `UnlearningError.nonFinite` for a NaN or an infinity under `.stop`, or under
    ///   `.skip` after `maxConsecutiveSkips` skipped steps in a row; no update is applied on
    ///   that step. A failed gradient-log append throws after the step's update.
    @discardableResult
    public func runStep(data: UnlearningData) throws -> StepRecord {
        let rate = configuration.learningRate * configuration.schedule.multiplier(step: step)
        var names: [String] = []
        var totals: [String: Double] = [:]
        if let fault = try accumulateGradients(data: data, names: &names, totals: &totals) {
            return try skip(fault, losses: totals, learningRate: rate)
        }
        let parts = names.compactMap { name in buffers[name].map { NamedGradients(name, $0) } }
        for part in parts {
            if let parameter = part.gradients.firstNonFinite() {
                return try skip(.gradient(loss: part.name, parameter: parameter), losses: totals, learningRate: rate)
            }
        }
        let report = try combiner.combine(parts, into: direction)
        let norm = direction.norm()
        // float32 squares summed in Double cannot overflow: a non-finite norm means a NaN or Inf.
        guard norm.isFinite else {
            let fault = NonFiniteFault.direction(
                combiner: type(of: combiner).name, parameter: direction.firstNonFinite() ?? "(unknown)")
            return try skip(fault, losses: totals, learningRate: rate)
        }
        if let limit = configuration.clipNorm { direction.clipNorm(to: limit) }
        try optimizer.update(gradients: direction, learningRate: rate)
        step += 1
        consecutiveSkips = 0
        let record = StepRecord(step: step, losses: totals, learningRate: rate, directionNorm: norm, report: report)
        try gradientLog?.append(record, gradients: parts)
        return record
    }

    /// Each loss's gradient, averaged over the micro-batches, into its buffer (`names` in
    /// first-seen order, `totals` the mean loss values). Returns the first non-finite loss
    /// value, before its backward pass, or nil.
    private func accumulateGradients(data: UnlearningData, names: inout [String], totals: inout [String: Double]) throws -> NonFiniteFault? {
        let k = configuration.accumulation
        for buffer in buffers.values { buffer.flat.zero() }
        for micro in 0..<k {
            let batch = try data.batch(step * k + micro)
            for loss in try objective.losses(model: model, reference: reference, batch: batch) {
                let value = try loss.value.item()
                guard value.isFinite else {
                    totals[loss.name] = value
                    return .loss(name: loss.name, value: value, microBatch: micro + 1)
                }
                let buffer = buffers[loss.name] ?? trainable.zerosLike()
                buffers[loss.name] = buffer
                if !names.contains(loss.name) { names.append(loss.name) }
                totals[loss.name, default: 0] += value / Double(k)
                try trainable.accumulateGradients(of: k == 1 ? loss.value : loss.value * (1 / Double(k)), into: buffer)
            }
        }
        return nil
    }

    /// Handles a step's fault: throws under `.stop` or at the limit of skipped steps in a
    /// row; otherwise counts the step as done without touching parameters or moments.
    private func skip(_ fault: NonFiniteFault, losses: [String: Double], learningRate: Double) throws -> StepRecord {
        guard configuration.nonFinite == .skip else {
            throw UnlearningError.nonFinite(step: step + 1, fault: fault, consecutiveSkips: 0)
        }
        guard consecutiveSkips < configuration.maxConsecutiveSkips else {
            throw UnlearningError.nonFinite(step: step + 1, fault: fault, consecutiveSkips: consecutiveSkips)
        }
        step += 1
        skippedSteps += 1
        consecutiveSkips += 1
        var record = StepRecord(
            step: step, losses: losses, learningRate: learningRate, directionNorm: .nan,
            report: CombinerReport(names: [], tensorGramians: []))
        record.skipped = fault
        return record
    }
}
