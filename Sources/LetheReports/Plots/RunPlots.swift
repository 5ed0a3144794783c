import Foundation
import LetheEvaluation

/// The plots of run folders (`lethe plot losses`, `lethe plot roc`).
public enum RunPlots {
    /// Training-loss curves from each run's `events.jsonl` (step events: `{"event": "step",
    /// "stage": .., "step": N, "loss": x}` or, for unlearn, `"losses": {"forget": x, "retain": y}`).
    ///
    /// With a `stage`, x is the step within that stage and each run gives one series per loss
    /// (`RUN` for a single loss, `RUN forget` and `RUN retain` for unlearn). Without one, every
    /// stage is drawn one after the other on a shared step axis (each stage starts where the
    /// previous ended) as `RUN stage[ loss]`. Series are named by the run folder's name; a
    /// study folder gives its shared prefix's and each run's folder (`StudyResults.runFolders`).
    /// - Throws: `ReportError.invalid` naming the file that is missing, unreadable or holds
    ///   no step of the stage.
    public static func losses(runs: [String], stage: String? = nil, logY: Bool = false) throws -> LinePlot {
        var plot = LinePlot(title: "Training loss" + (stage.map { " (\($0))" } ?? ""), xLabel: "step", yLabel: "loss")
        plot.logY = logY
        for run in try runs.flatMap(StudyResults.runFolders) {
            let name = folderName(run)
            let steps = try stepEvents(run)
            var offset = 0.0
            for (stageName, events) in groupedByStage(steps) where stage == nil || stage == stageName {
                var series: [String: [(x: Double, y: Double)]] = [:]
                var order: [String] = []
                for event in events {
                    guard let step = number(event["step"]) else { continue }
                    var values: [(String, Double)] = []
                    if let loss = number(event["loss"]) { values.append(("", loss)) }
                    if let losses = event["losses"] as? [String: Any] {
                        values += losses.keys.sorted().compactMap { key in number(losses[key]).map { (key, $0) } }
                    }
                    for (key, value) in values {
                        if series[key] == nil { order.append(key) }
                        series[key, default: []].append((offset + step, value))
                    }
                }
                let prefix = stage == nil ? "\(name) \(stageName)" : name
                for key in order {
                    plot.series.append(LinePlot.Series(name: key.isEmpty ? prefix : "\(prefix) \(key)", points: series[key] ?? []))
                }
                if stage == nil { offset += events.compactMap { number($0["step"]) }.max() ?? 0 }
            }
        }
        if plot.series.isEmpty {
            throw ReportError.invalid("no \(stage.map { "\($0) " } ?? "")step events in " + runs.map { $0 + "/events.jsonl" }.joined(separator: ", "))
        }
        if stage == nil { plot.xLabel = "step (stages one after the other)" }
        return plot
    }

    /// ROC curves of one membership attack: one series per evaluation folder that `lethe table`
    /// reads (`StudyResults`: a folder holding `results.json`, a run folder's evaluations, a
    /// study's; each once, however many paths lead to it), named `RUN/evaluate-N label
    /// (AUC x.xxx)`, and the dashed chance diagonal. The scores come
    /// from `mia_scores.jsonl` (one object per example: `set` = `member` | `non_member`, and
    /// one score per attack, keyed by the attack's name as in `results.json`, e.g. `loss`,
    /// `min_k@0.2`), else from the scores kept in `results.json`.
    /// - Parameter attack: an attack name of `MembershipAttacks.builtIn`.
    /// - Throws: `ReportError.invalid` for an unknown attack, a folder without results or
    ///   results without that attack.
    public static func roc(paths: [String], attack: String) throws -> LinePlot {
        let wanted: String
        do {
            wanted = baseName(try MembershipAttacks.builtIn.make(attack).label)
        } catch {
            throw ReportError.invalid("\(error)")
        }
        var plot = LinePlot(title: "Membership inference ROC (\(attack) attack)", xLabel: "false positive rate", yLabel: "true positive rate")
        (plot.xRange, plot.yRange) = (0...1, 0...1)
        let inputs = Set(paths.map(RunFolderState.absolute))  // a folder given itself is named by its own name
        for (folder, results) in try StudyResults.evaluations(paths) {
            let scores = try scoresFile(folder, attack: wanted)
                ?? results.membership?.attacks.first { baseName($0.attack) == wanted }?.scores
            guard let scores else {
                let ran = results.membership?.attacks.map(\.attack).joined(separator: ", ") ?? "none"
                throw ReportError.invalid("\(folder): no \(attack) membership scores (attacks run: \(ran))")
            }
            let curve: [ROCPoint]
            let auc: Double
            do {
                (curve, auc) = (try scores.rocCurve(), try scores.rocAUC())
            } catch {
                throw ReportError.invalid("\(folder): \(error)")
            }
            let run = (folder as NSString).deletingLastPathComponent
            let name = inputs.contains(RunFolderState.absolute(folder)) ? folderName(folder) : "\(folderName(run))/\(folderName(folder))"
            plot.series.append(LinePlot.Series(
                name: "\(name) \(results.label) (AUC \(String(format: "%.3f", auc)))",
                points: curve.map { ($0.falsePositiveRate, $0.truePositiveRate) }))
        }
        plot.series.append(LinePlot.Series(name: "chance", points: [(0, 0), (1, 1)], dashed: true, inLegend: false))
        return plot
    }

    /// The scores of the attack named `base` in `folder/mia_scores.jsonl`; nil when there is
    /// no such file or no such column.
    static func scoresFile(_ folder: String, attack base: String) throws -> MembershipScores? {
        let path = folder + "/mia_scores.jsonl"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var scores = MembershipScores(members: [], nonMembers: [])
        for (index, line) in text.split(separator: "\n").enumerated() {
            guard let row = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let set = row["set"] as? String
            else { throw ReportError.invalid("\(path):\(index + 1): not a JSON object with a \"set\"") }
            guard let key = row.keys.first(where: { baseName($0) == base }) else { return nil }
            guard let value = number(row[key]) else { throw ReportError.invalid("\(path):\(index + 1): \(key) is not a number") }
            if set == "member" { scores.members.append(value) } else { scores.nonMembers.append(value) }
        }
        return scores
    }

    /// The step events of `run/events.jsonl`, in file order.
    static func stepEvents(_ run: String) throws -> [[String: Any]] {
        let path = run + "/events.jsonl"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ReportError.invalid("\(path): missing or unreadable (is \(run) a run folder written by lethe run?)")
        }
        return text.split(separator: "\n").compactMap { line in
            guard let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                event["event"] as? String == "step"
            else { return nil }
            return event
        }
    }

    /// Events grouped by `stage`, stages in order of first appearance.
    private static func groupedByStage(_ events: [[String: Any]]) -> [(String, [[String: Any]])] {
        var groups: [(String, [[String: Any]])] = []
        for event in events {
            let stage = event["stage"] as? String ?? "?"
            if let i = groups.firstIndex(where: { $0.0 == stage }) { groups[i].1.append(event) } else { groups.append((stage, [event])) }
        }
        return groups
    }

    /// A JSON number as a Double (JSONSerialization may give Int, Double or NSNumber).
    private static func number(_ value: Any?) -> Double? {
        switch value {
        case let d as Double: return d
        case let i as Int: return Double(i)
        case let n as NSNumber: return n.doubleValue
        default: return nil
        }
    }

    /// `min_k@0.2` → `min_k`.
    private static func baseName(_ attack: String) -> String {
        String(attack.split(separator: "@").first ?? Substring(attack))
    }

    private static func folderName(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
    }
}
