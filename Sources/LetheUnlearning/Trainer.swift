import Dispatch
import LetheLayers
import LetheTensor

/// The one training loop of Lethe: pretraining, fine-tuning, retraining, unlearning and
/// classifier training all run through it, as do the benchmarks. Per step (s from 0, with
/// accumulation k), on micro-batches s·k ..< (s+1)·k of a `TrainingData`:
///
///     for each micro-batch, for each named loss ℓ of the objective:  g_ℓ += ∇θ (ℓ / k)
///     d = combiner(g_forget, g_retain, ...)           (each loss its own backward pass)
///     d ← d ⋅ min(1, c / (‖d‖ + 1e-6))                (when clipNorm = c)
///     θ ← AdamW(θ, d, η ⋅ schedule(s))                (torch.optim.AdamW semantics)
///
/// θ is `trainable`: the model's parameters, or LoRA adapters. The model is any
/// `TrainableModel` (a decoder or an encoder); objectives that read next-token logits ask for
/// a causal language model and say so when given an encoder. With a single named loss and
/// a combiner that leaves one gradient unchanged (`sum` with weight 1, `pcgrad`), the loss's
/// gradient buffer is the direction: no copy, and clipping is folded into the AdamW pass.
///
/// Before the update, every loss value, every loss's gradient and the combined direction are
/// checked for NaN and infinities. A fault stops the run with `UnlearningError.nonFinite`
/// naming the step, the loss and the first parameter tensor, or, under
/// `NonFinitePolicy.skip`, skips the step; either way nothing is updated on that step.
public final class Trainer {
    public let model: any TrainableModel
    /// The tensors being trained: the model's parameters, or LoRA adapters.
    public let trainable: NamedTensors
    public let objective: any TrainingObjective
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
    /// When set, the gradient statistics (and full tensors when due) of every
    /// `configuration.gradientLogEvery`-th step (every step when nil) are appended.
    public var gradientLog: GradientLog?
    /// Metrics computed every `configuration.evaluateEvery` steps (e.g. forget and retain NLL).
    public var evaluator: ((Trainer) throws -> [String: Double])?
    private var buffers: [String: NamedTensors] = [:]
    /// The combined direction, allocated on the first step that needs one.
    private lazy var direction: NamedTensors = trainable.zerosLike()

    /// - Parameters:
    ///   - trainable: the tensors to train (default: all of the model's parameters).
    ///   - combiner: how the named losses' gradients become one direction (default: `sum`).
    ///   - reference: the frozen π_ref; by default a copy of `model` when the objective asks.
    public init(
        model: any TrainableModel, trainable: NamedTensors? = nil, objective: any TrainingObjective,
        combiner: any GradientCombiner = SumCombiner(), configuration: TrainerConfiguration, reference: ReferenceModel? = nil
    ) throws {
        guard configuration.steps >= 0, configuration.accumulation > 0, configuration.learningRate >= 0 else {
            throw UnlearningError.invalidInput("steps, accumulation and learning rate must be non-negative (accumulation ≥ 1)")
        }
        guard configuration.maxConsecutiveSkips >= 0 else {
            throw UnlearningError.invalidInput("maxConsecutiveSkips must be non-negative")
        }
        if let every = configuration.gradientLogEvery, every < 1 {
            throw UnlearningError.invalidInput("gradientLogEvery must be at least 1, got \(every)")
        }
        self.model = model
        self.trainable = trainable ?? model.parameters
        self.objective = objective
        self.combiner = combiner
        self.configuration = configuration
        // π_ref is the model as it starts training.
        self.reference = try reference
            ?? (objective.usesReferenceModel ? ReferenceModel(model: model.languageModel(for: type(of: objective).name).copy()) : nil)
        optimizer = AdamW(parameters: self.trainable, configuration: configuration.adamW, decay: configuration.weightDecayScope.decays)
        model.dropout = RandomGenerator(seed: configuration.seed)
    }

    /// Runs steps until `configuration.steps`, until `progress` returns false, or until the
    /// early-stop rule is met by an evaluation.
    /// - Throws: `UnlearningError.missingBatch` before the first step when `data` lacks a
    ///   part the objective reads; otherwise as `runStep`.
    public func train(data: any TrainingData, progress: (StepRecord) throws -> Bool = { _ in true }) throws {
        try data.check(for: objective)
        while step < configuration.steps {
            var record = try runStep(data: data)
            if let every = configuration.evaluateEvery, every > 0, step % every == 0, let evaluator {
                // The dropout stream is back in place before `progress` runs (it may save a checkpoint).
                let metrics = try inEvaluationMode { try evaluator(self) }
                record.evaluation = metrics
                if try !progress(record) { break }
                if configuration.earlyStop?.isMet(by: metrics) == true { break }
            } else if try !progress(record) {
                break
            }
        }
    }

    /// Runs `body` in evaluation mode: no dropout and no gradients, with the dropout stream
    /// left where it was, so training goes on with the numbers it would have had.
    public func inEvaluationMode<T>(_ body: () throws -> T) throws -> T {
        let dropout = model.dropout
        model.dropout = nil
        defer { model.dropout = dropout }
        return try withoutGradients(body)
    }

    /// One optimisation step (or, under `NonFinitePolicy.skip`, one skipped step).
    /// - Throws: `UnlearningError.nonFinite` for a NaN or an infinity under `.stop`, or under
    ///   `.skip` after `maxConsecutiveSkips` skipped steps in a row; no update is applied on
    ///   that step. A failed gradient-log append throws after the step's update.
    @discardableResult
    public func runStep(data: any TrainingData) throws -> StepRecord {
        let rate = configuration.learningRate * configuration.schedule.multiplier(step: step)
        var names: [String] = []
        var totals: [String: Double] = [:]
        var timings = StepTimings()
        if let fault = try accumulateGradients(data: data, names: &names, totals: &totals, timings: &timings) {
            return try skip(fault, losses: totals, learningRate: rate)
        }
        var clock = Self.now()
        let parts = names.compactMap { name in buffers[name].map { NamedGradients(name, $0, loss: totals[name]) } }
        let update: NamedTensors
        let report: CombinerReport
        let norm: Double
        if parts.count == 1, let single = parts.first, combiner.leavesUnchanged(single: single.name) {
            // The buffer is the direction. Its Gramian (one pass) gives the report, the norm,
            // and the finiteness check: float32 squares summed in Double cannot overflow.
            let gramians = try NamedTensors.gramians([single.gradients])
            let squared = gramians.reduce(0) { $0 + $1[0][0] }
            guard squared.isFinite else {
                let parameter = single.gradients.firstNonFinite() ?? "(unknown)"
                return try skip(.gradient(loss: single.name, parameter: parameter), losses: totals, learningRate: rate)
            }
            var unchanged = CombinerReport(names: [single.name], tensorGramians: gramians)
            (unchanged.projected[single.name], unchanged.projectedTensors[single.name]) = (false, 0)
            unchanged.coefficients = [[Double]](repeating: [1], count: gramians.count)
            (update, report, norm) = (single.gradients, unchanged, squared.squareRoot())
        } else {
            for part in parts {
                if let parameter = part.gradients.firstNonFinite() {
                    return try skip(.gradient(loss: part.name, parameter: parameter), losses: totals, learningRate: rate)
                }
            }
            report = try combiner.combine(parts, into: direction)
            norm = direction.norm()
            // float32 squares summed in Double cannot overflow: a non-finite norm means a NaN or Inf.
            guard norm.isFinite else {
                let fault = NonFiniteFault.direction(
                    combiner: type(of: combiner).name, parameter: direction.firstNonFinite() ?? "(unknown)")
                return try skip(fault, losses: totals, learningRate: rate)
            }
            update = direction
        }
        timings.combine = Self.lap(&clock)
        // torch.nn.utils.clip_grad_norm_: scale by min(1, c / (‖d‖ + 1e-6)), inside AdamW's pass.
        let scale = configuration.clipNorm.map { limit in Swift.min(1, limit / (norm + 1e-6)) } ?? 1
        try optimizer.update(gradients: update, learningRate: rate, gradientScale: scale)
        timings.update = Self.lap(&clock)
        step += 1
        consecutiveSkips = 0
        var record = StepRecord(step: step, losses: totals, learningRate: rate, directionNorm: norm, report: report)
        if let gradientLog, configuration.gradientLogEvery.map({ step % $0 == 0 }) ?? true {
            try gradientLog.append(record, gradients: parts)
            timings.log = Self.lap(&clock)
        }
        record.timings = timings
        return record
    }

    /// Each loss's gradient, averaged over the micro-batches, into its buffer (`names` in
    /// first-seen order, `totals` the mean loss values). Returns the first non-finite loss
    /// value, before its backward pass, or nil.
    private func accumulateGradients(
        data: any TrainingData, names: inout [String], totals: inout [String: Double], timings: inout StepTimings
    ) throws -> NonFiniteFault? {
        let k = configuration.accumulation
        for buffer in buffers.values { buffer.flat.zero() }
        var clock = Self.now()
        for micro in 0..<k {
            let batch = try data.batch(step * k + micro)
            let losses = try objective.losses(model: model, reference: reference, batch: batch)
            timings.forward += Self.lap(&clock)
            for loss in losses {
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
                timings.backward += Self.lap(&clock)
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

    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Seconds since `clock`, which moves to now.
    private static func lap(_ clock: inout UInt64) -> Double {
        let t = now()
        defer { clock = t }
        return Double(t - clock) / 1e9
    }
}
