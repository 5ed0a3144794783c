/// How a grid's runs are named inside their study (a recipe with a grid, run as one study):
/// the engine writes the study folder with these rules and LetheReports reads it back with
/// them, so both live here, below the two.
extension Recipe {
    /// A grid run's folder inside its study's output folder: its grid choices
    /// (`objective=npo-seed=2`), the run's name without the study's.
    public func studyFolderName(study: Recipe) -> String {
        let prefix = study.name + "-"
        let name = self.name.hasPrefix(prefix) ? String(self.name.dropFirst(prefix.count)) : self.name
        return name.replacingOccurrences(of: "/", with: "_")
    }

    /// What a grid run adds to its rows' labels in the study's table: its grid choices other
    /// than the objective, the combiner and seeds (` (steps=8)`), so rows that differ only in
    /// seed average together and others not. Empty when there are none.
    public var studyLabelSuffix: String {
        let named = ["seed", "objective", "objective.name", "combiner", "combiner.name"]
        let extra = gridChoice.filter { choice in !named.contains { choice.path == $0 || choice.path.hasSuffix("." + $0) } }
        return extra.isEmpty ? "" : " (" + extra.map { "\($0.path.split(separator: ".").last ?? "")=\($0.value)" }.joined(separator: ", ") + ")"
    }
}
