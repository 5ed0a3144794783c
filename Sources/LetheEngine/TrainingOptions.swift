import LetheLayers
import LetheOptions
import LetheUnlearning

/// The options every training stage takes (pretrain, finetune, retrain, unlearn, and any
/// plugin stage that trains), with one documented default each:
///
///     steps: 100                 optimiser updates
///     batch_size: 8              examples (or windows) per micro-batch
///     accumulation: 1            micro-batches per update
///     learning_rate: 1.0e-4      peak learning rate
///     schedule: constant         constant | linear | cosine (Hugging Face's schedulers)
///     warmup_steps: 0            linear warm-up from 0
///     betas: [0.9, 0.999]        AdamW β₁, β₂ (PyTorch's defaults)
///     epsilon: 1.0e-8            AdamW ε
///     weight_decay: 0.01         decoupled, on matrices only
///     clip_norm: 1.0             global gradient-norm clip of the update (null: none)
///     seed: recipe seed          data order and dropout of this stage
///     skip_non_finite: false     skip a step with a NaN/Inf loss or gradient (else stop)
///     checkpoint_every: null     save a resumable checkpoint every N steps
///     gradient_log_every: null   append per-tensor gradient statistics every N steps
///     eval_every: null           mean loss of each data part every N steps (events)
///     early_stop: null           {metric: forget_loss, above: 8.0} (or below:) stops at an evaluation
///     lora: null                 {rank: 8, alpha: 16, dropout: 0, targets: [attn.c_attn], merge: true, export: false};
///                                null or false: full weights
///     objective, combiner        the stage's default, or a registered name with options
///
/// Ranges: counts up to `OptionLimits` (steps and warm-up 10⁷, batch_size and accumulation
/// 65,536, intervals 10⁷); learning_rate in [0, 10]; weight_decay in [0, 100]; epsilon and
/// clip_norm positive (clip_norm: null switches clipping off); betas in [0, 1). A batch whose
/// logits cannot fit in memory is refused when the stage starts (`RunSession.checkMemory`).
public struct TrainingOptions {
    public var steps = 100
    public var batchSize = 8
    public var accumulation = 1
    public var learningRate = 1e-4
    public var schedule = "constant"
    public var warmupSteps = 0
    public var betas = [0.9, 0.999]
    public var epsilon = 1e-8
    public var weightDecay = 0.01
    public var clipNorm: Double? = 1
    public var seed: UInt64?
    public var skipNonFinite = false
    public var checkpointEvery: Int?
    public var gradientLogEvery: Int?
    public var evalEvery: Int?
    public var earlyStop: EarlyStopRule?
    public var lora: LoRAConfiguration?
    /// Fold the adapters into the weights at the end of the stage (else the checkpoint keeps them apart).
    public var mergeLoRA = true
    /// Write the adapters in PEFT's layout beside the stage's checkpoint.
    public var exportLoRA = false
    public var objective: PluginChoice
    public var combiner: PluginChoice

    /// The keys `read` accepts.
    public static let keys = [
        "steps", "batch_size", "accumulation", "learning_rate", "schedule", "warmup_steps", "betas", "epsilon", "weight_decay",
        "clip_norm", "seed", "skip_non_finite", "checkpoint_every", "gradient_log_every", "eval_every", "early_stop", "lora",
        "objective", "combiner",
    ]

    public init(objective: PluginChoice, combiner: PluginChoice = PluginChoice(name: "sum")) {
        (self.objective, self.combiner) = (objective, combiner)
    }

    /// Reads the training keys of `options` over the defaults in `self` (the stage's).
    /// Does not call `accept`: the stage does, with these keys and its own.
    public func read(_ options: PluginOptions) throws -> TrainingOptions {
        var t = self
        t.steps = try options.int("steps", default: steps, in: 0...OptionLimits.steps)
        t.batchSize = try options.int("batch_size", default: batchSize, in: 1...OptionLimits.batchSize)
        t.accumulation = try options.int("accumulation", default: accumulation, in: 1...OptionLimits.accumulation)
        t.learningRate = try options.number("learning_rate", default: learningRate, in: 0...10)
        t.schedule = try options.text("schedule", default: schedule, allowed: ["constant", "linear", "cosine"])
        t.warmupSteps = try options.int("warmup_steps", default: warmupSteps, in: 0...OptionLimits.steps)
        if options["betas"] != nil {
            let values = try options.list("betas", default: []).compactMap(Double.init)
            if values.count == 2, values.allSatisfy({ $0 >= 0 && $0 < 1 }) {
                t.betas = values
            } else {
                try options.problem(options.fail("betas", "expects two numbers in [0, 1), e.g. [0.9, 0.95]"))
            }
        }
        t.epsilon = try options.positive("epsilon", default: epsilon)
        t.weightDecay = try options.number("weight_decay", default: weightDecay, in: 0...100)
        if let node = options["clip_norm"], node.value == .null {
            t.clipNorm = nil
        } else if options["clip_norm"] != nil {
            t.clipNorm = try options.positive("clip_norm", default: clipNorm ?? 1)
        }
        t.seed = try options.optionalInt("seed", in: 0...OptionLimits.seed).map(UInt64.init) ?? seed
        t.skipNonFinite = try options.flag("skip_non_finite", default: skipNonFinite)
        t.checkpointEvery = try options.optionalInt("checkpoint_every", in: 1...OptionLimits.interval) ?? checkpointEvery
        t.gradientLogEvery = try options.optionalInt("gradient_log_every", in: 1...OptionLimits.interval) ?? gradientLogEvery
        t.evalEvery = try options.optionalInt("eval_every", in: 1...OptionLimits.interval) ?? evalEvery
        if let rule = try options.options("early_stop", owner: options.owner) {
            try rule.accept(["metric", "above", "below"])
            let metric = try rule.text("metric", default: "")
            let above = try rule.optionalNumber("above"), below = try rule.optionalNumber("below")
            if metric.isEmpty || (above == nil) == (below == nil) {
                try rule.problem(rule.fail(nil, "early_stop needs a metric and one of above or below"))
            } else {
                t.earlyStop = EarlyStopRule(metric: metric, direction: above != nil ? .above : .below, threshold: above ?? below ?? 0)
            }
            if t.evalEvery == nil { try rule.problem(rule.fail(nil, "early_stop needs eval_every")) }
        }
        if let node = options["lora"], node.value == .null || node.value == .flag(false) {
            t.lora = nil  // `lora: null` or `false`: full weights (a grid can compare both)
        } else if let lora = try options.options("lora", owner: options.owner) {
            try lora.accept(["rank", "alpha", "dropout", "targets", "merge", "export"])
            let rank = try lora.int("rank", default: 8, in: 1...OptionLimits.modelSize)
            let dropout = try lora.number("dropout", default: 0)
            if !(0..<1).contains(dropout) { try lora.problem(lora.fail("dropout", "must lie in [0, 1)")) }
            t.lora = LoRAConfiguration(
                rank: rank, alpha: try lora.positive("alpha", default: Double(2 * rank)), dropout: dropout,
                targets: try lora.list("targets", default: ["attn.c_attn"]))
            t.mergeLoRA = try lora.flag("merge", default: true)
            t.exportLoRA = try lora.flag("export", default: false)
        }
        if let node = options["objective"] { t.objective = try PluginChoice(node) }
        if let node = options["combiner"] { t.combiner = try PluginChoice(node) }
        return t
    }

    /// The learning-rate schedule over `steps`.
    public var learningRateSchedule: LearningRateSchedule {
        switch schedule {
        case "linear": return .linear(warmupSteps: warmupSteps, totalSteps: steps)
        case "cosine": return .cosine(warmupSteps: warmupSteps, totalSteps: steps)
        default: return warmupSteps > 0 ? .warmupThenConstant(warmupSteps: warmupSteps) : .constant
        }
    }

    /// The trainer's configuration, with `seed` for data order and dropout.
    public func trainerConfiguration(seed: UInt64) -> TrainerConfiguration {
        var c = TrainerConfiguration(
            steps: steps, learningRate: learningRate, schedule: learningRateSchedule,
            adamW: .init(beta1: betas[0], beta2: betas[1], epsilon: epsilon, weightDecay: weightDecay), clipNorm: clipNorm,
            accumulation: accumulation, seed: seed, nonFinite: skipNonFinite ? .skip : .stop)
        c.evaluateEvery = evalEvery
        c.earlyStop = earlyStop
        c.gradientLogEvery = gradientLogEvery
        return c
    }
}
