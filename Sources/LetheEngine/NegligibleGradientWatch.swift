/// Watches a training stage for a named loss whose gradient is negligible beside the others
/// (issue 15: SimNPO on a model with per-token NLL near 5 gives a forget gradient near 1e-16,
/// so the run is "SimNPO" in name only). A loss is negligible at a step when its gradient norm
/// is below `ratio` times the largest other loss's; after `steps` such steps in a row the
/// watch reports it once.
struct NegligibleGradientWatch {
    var ratio = 1e-6
    var steps = 10
    private var streaks: [String: Int] = [:]
    private var reported: Set<String> = []

    /// The warning to give at this step, if a loss has just crossed the threshold.
    /// - Parameter norms: each named loss's gradient norm at the step.
    mutating func observe(_ norms: [String: Double]) -> String? {
        guard norms.count >= 2 else { return nil }
        var warning: String?
        for (name, norm) in norms.sorted(by: { $0.key < $1.key }) {
            let largest = norms.filter { $0.key != name }.map(\.value).max() ?? 0
            guard largest > 0, norm < ratio * largest else {
                streaks[name] = 0
                continue
            }
            streaks[name, default: 0] += 1
            if streaks[name, default: 0] >= steps, !reported.contains(name) {
                reported.insert(name)
                warning = "the gradient of '\(name)' has been below \(ratio) × the others' for \(steps) steps "
                    + "(\(String(format: "%.2e", norm)) against \(String(format: "%.2e", largest))): this loss barely trains; check its options"
            }
        }
        return warning
    }
}
