import Foundation
import LetheLayers
import LetheTensor

/// Settings of a training run's optimisation, for every stage that trains (pretraining,
/// fine-tuning, retraining, unlearning, classifier training). Stored in checkpoints
/// (`trainer_json`); keys added after a checkpoint was written decode to their defaults.
public struct TrainerConfiguration: Codable, Equatable, Sendable {
    public var steps: Int
    public var learningRate: Double
    public var schedule: LearningRateSchedule
    /// AdamW's betas, epsilon and weight decay (e.g. β₂ 0.95 for pretraining, 0.999 for
    /// fine-tuning), passed to the optimiser as they are.
    public var adamW: AdamW.Configuration
    /// Which tensors get AdamW's weight decay: matrices (rank ≥ 2, default) or all.
    public var weightDecayScope: WeightDecayScope
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
    /// With a `Trainer.gradientLog` attached, the steps whose statistics it appends: those
    /// whose number is a multiple of this (nil: every step). Must be ≥ 1 when set.
    public var gradientLogEvery: Int?

    public init(
        steps: Int, learningRate: Double = 1e-5, schedule: LearningRateSchedule = .constant,
        adamW: AdamW.Configuration = .init(), clipNorm: Double? = 1, accumulation: Int = 1, seed: UInt64 = 0,
        nonFinite: NonFinitePolicy = .stop, maxConsecutiveSkips: Int = 10, gradientLogEvery: Int? = nil,
        weightDecayScope: WeightDecayScope = .matrices
    ) {
        (self.steps, self.learningRate, self.schedule, self.adamW) = (steps, learningRate, schedule, adamW)
        (self.clipNorm, self.accumulation, self.seed) = (clipNorm, accumulation, seed)
        (self.nonFinite, self.maxConsecutiveSkips) = (nonFinite, maxConsecutiveSkips)
        (self.gradientLogEvery, self.weightDecayScope) = (gradientLogEvery, weightDecayScope)
    }
}

extension TrainerConfiguration {
    /// Decodes a configuration; keys absent from configurations written before they existed
    /// take their defaults: `nonFinite` `.stop`, `maxConsecutiveSkips` 10, `gradientLogEvery`
    /// nil, `weightDecayScope` `.matrices` (what those runs did).
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
            maxConsecutiveSkips: try container.decodeIfPresent(Int.self, forKey: .maxConsecutiveSkips) ?? 10,
            gradientLogEvery: try container.decodeIfPresent(Int.self, forKey: .gradientLogEvery),
            weightDecayScope: try container.decodeIfPresent(WeightDecayScope.self, forKey: .weightDecayScope) ?? .matrices)
        evaluateEvery = try container.decodeIfPresent(Int.self, forKey: .evaluateEvery)
        earlyStop = try container.decodeIfPresent(EarlyStopRule.self, forKey: .earlyStop)
    }
}

/// The tensors AdamW decays (PyTorch's parameter groups).
public enum WeightDecayScope: String, Codable, Sendable {
    /// Rank ≥ 2 tensors (weights, embeddings, LoRA factors); biases and LayerNorm gains are
    /// not decayed (the usual GPT-2 / Hugging Face grouping).
    case matrices
    /// Every tensor (a single `torch.optim.AdamW(model.parameters())` group, as the
    /// benchmarks' reference scripts do).
    case all

    /// AdamW's decay predicate for this scope.
    public var decays: (String, Tensor) -> Bool {
        switch self {
        case .matrices: return { _, tensor in tensor.rank >= 2 }
        case .all: return { _, _ in true }
        }
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

