/// PrivLeak (MUSE, Shi et al. 2024; open-unlearning `src/evals/metrics/privacy.py`): the
/// relative gap between the unlearned model's membership AUC and a model retrained without
/// the forget set,
///
///     PrivLeak = ((1 − AUC_unlearned) − (1 − AUC_retrained)) / (1 − AUC_retrained) · 100
///              = (AUC_retrained − AUC_unlearned) / (1 − AUC_retrained) · 100
///
/// with AUCs in this package's convention (members = forget set, higher = member), which
/// equals open-unlearning's. About 0 is ideal; strongly negative means under-unlearned (the
/// forget set still looks like training data), strongly positive over-unlearned.
/// open-unlearning computes it on Min-K% with k = 0.4 and adds 1e-10 to the denominator.
/// - Parameters:
///   - auc: the unlearned model's forget-vs-holdout AUC.
///   - retrainedAUC: the retrained model's AUC; nil falls back to 0.5 (open-unlearning's
///     `ref_value`).
/// - Returns: PrivLeak in percent.
public func privLeak(auc: Double, retrainedAUC: Double? = nil) -> Double {
    let reference = 1 - (retrainedAUC ?? 0.5)
    return ((1 - auc) - reference) / (reference + 1e-10) * 100
}
