import Foundation
import LetheText

/// The one evaluation path of `lethe run` and `lethe eval`: suites run in order on one
/// context, and one folder receives `results.json` (each suite's summary under its name,
/// `RunResults`) and the suites' per-example rows.
public enum Evaluation {
    /// A suite with the name it runs under (its key in results.json).
    public typealias NamedSuite = (name: String, suite: any EvaluationSuite)

    /// Checks every suite's data requirements against the sets `dataset` returns, before any
    /// model work: each missing set, empty set or record without the needed fields is one
    /// problem.
    /// - Throws: `OptionErrors` holding every problem.
    public static func checkData(_ suites: [NamedSuite], dataset: (String) throws -> [TextExample]) throws {
        let diagnostics = Diagnostics()
        for (name, suite) in suites {
            for requirement in suite.requirements {
                let owner = "evaluation suite \(name)"
                diagnostics.collect(origin: requirement.origin, owner: owner) {
                    try requirement.check(try dataset(requirement.name), owner: owner)
                }
            }
        }
        try diagnostics.check()
    }

    /// Runs `suites` in order on `context` and writes `folder/results.json` (once, after
    /// the last suite) and each suite's per-example rows into `folder`.
    /// - Parameters:
    ///   - suites: the suites, with distinct names (not `label` or `privLeak`).
    ///   - context: the model, tokenizer, data and services.
    ///   - label: the row label of the results.
    ///   - folder: the evaluation folder (created when missing).
    ///   - merge: keep the suites of an existing results.json that are not run again
    ///     (`lethe eval` adds one suite at a time to a folder); default false: a fresh file.
    /// - Returns: the results written.
    /// - Throws: `OptionErrors` for missing data (checked first, `checkData`),
    ///   `EvaluationError` for duplicate or reserved names and files two suites both
    ///   write; a suite's errors.
    @discardableResult
    public static func run(
        suites: [NamedSuite], context: EvaluationContext, label: String, folder: String, merge: Bool = false
    ) throws -> RunResults {
        var seen: Set<String> = []
        for (name, _) in suites {
            guard !name.isEmpty, !RunResults.reservedNames.contains(name), seen.insert(name).inserted else {
                throw EvaluationError.invalidArgument(
                    name: "suite name", reason: "'\(name)' is empty, reserved (label, privLeak) or used twice")
            }
        }
        try checkData(suites, dataset: context.dataset)
        var results = merge ? try RunResults.load(folder: folder, orEmpty: true) : RunResults(label: label)
        results.label = label
        var pending: [(suite: String, rows: ExampleRows)] = []
        for (name, suite) in suites {
            context.log("  suite \(name)")
            let result = try suite.evaluate(context)
            results.suites[name] = result.summary
            for rows in result.rows {
                if let other = pending.first(where: { $0.rows.file == rows.file }) {
                    throw EvaluationError.invalidArgument(
                        name: "suite \(name)", reason: "writes \(rows.file), which suite \(other.suite) writes too")
                }
                pending.append((name, rows))
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw EvaluationError.badFile(path: folder, reason: "cannot create the folder (\(error.localizedDescription))")
        }
        for (_, rows) in pending { try RunResults.writeLines(rows.rows, folder: folder, name: rows.file) }
        try results.save(folder: folder)
        return results
    }
}
