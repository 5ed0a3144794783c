import Foundation

/// Learning rate as a function of the update index (0 for the first update), as Hugging
/// Face's schedulers (`get_linear_schedule_with_warmup`, `get_cosine_schedule_with_warmup`):
///
///     warm-up  (s < w):  η s / w
///     linear   (s ≥ w):  η max(0, (S − s) / (S − w))
///     cosine   (s ≥ w):  η max(0, ½ (1 + cos(π (s − w) / (S − w))))
///
/// Note that with warm-up the first update uses η ⋅ 0, exactly as Hugging Face does.
public enum LearningRateSchedule: Codable, Equatable, Sendable {
    case constant
    case linear(warmupSteps: Int, totalSteps: Int)
    case cosine(warmupSteps: Int, totalSteps: Int)
    case warmupThenConstant(warmupSteps: Int)

    /// The factor multiplying the base learning rate at update `step`.
    public func multiplier(step: Int) -> Double {
        switch self {
        case .constant:
            return 1
        case let .warmupThenConstant(w):
            return step < w ? Double(step) / Double(max(1, w)) : 1
        case let .linear(w, total):
            if step < w { return Double(step) / Double(max(1, w)) }
            return max(0, Double(total - step) / Double(max(1, total - w)))
        case let .cosine(w, total):
            if step < w { return Double(step) / Double(max(1, w)) }
            let progress = Double(step - w) / Double(max(1, total - w))
            return max(0, 0.5 * (1 + cos(Double.pi * progress)))
        }
    }
}
