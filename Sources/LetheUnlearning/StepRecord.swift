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
    /// Where the step's time went (seconds).
    public var timings = StepTimings()

    public init(step: Int, losses: [String: Double], learningRate: Double, directionNorm: Double, report: CombinerReport) {
        (self.step, self.losses, self.learningRate, self.directionNorm, self.report) = (step, losses, learningRate, directionNorm, report)
    }
}

/// Seconds spent in the phases of one step: building the micro-batches and the objective's
/// forward passes, the backward passes, the non-finite checks and the combiner, the optimiser
/// update (clipping included) and the gradient-log append. A skipped step reports none.
public struct StepTimings: Sendable, Equatable {
    public var forward = 0.0
    public var backward = 0.0
    public var combine = 0.0
    public var update = 0.0
    public var log = 0.0

    public init() {}

    public var total: Double { forward + backward + combine + update + log }
}
