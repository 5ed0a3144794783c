extension RunTables {
    /// The attack label a table shows for `name`: the label itself when some run has it, or
    /// the one label stored with options (`min_k` → `min_k@0.2`).
    /// - Throws: `EvaluationError.invalidArgument` listing the labels the runs hold when none
    ///   or several match (a typo is an error, not a column of dashes).
    public static func attackLabel(_ name: String, in runs: [RunResults]) throws -> String {
        let labels = Set(runs.flatMap { ($0.membership?.rocAUCs ?? [:]).keys })
        if labels.isEmpty || labels.contains(name) { return name }
        let matching = labels.filter { $0.hasPrefix(name + "@") }.sorted()
        if matching.count == 1, let label = matching.first { return label }
        let reason = matching.isEmpty
            ? "no run holds the attack \(name); they hold \(labels.sorted().joined(separator: ", "))"
            : "\(name) is ambiguous: \(matching.joined(separator: ", ")); name one"
        throw EvaluationError.invalidArgument(name: "attack", reason: reason)
    }
}
