import Foundation
import LetheEvaluation
import LetheUnlearning

/// Every name a recipe or a table command can use, read from the registries themselves
/// (`lethe list`): stages, objectives, combiners, evaluation suites, membership attacks and
/// table layouts.
public struct Catalog {
    /// A registered name with its one-line summary (empty when the plugin has none).
    public struct Entry: Equatable {
        public var name: String
        public var summary: String
    }

    public var stages: [Entry]
    public var objectives: [String]
    public var combiners: [String]
    public var suites: [Entry]
    public var attacks: [String]
    public var layouts: [String]

    /// The catalog of `plugins` (default: Lethe's built-in ones).
    public init(plugins: Plugins = .builtIn) {
        stages = plugins.stages.entries.map { Entry(name: $0.name, summary: $0.plugin.summary) }.sorted { $0.name < $1.name }
        objectives = plugins.objectives.names
        combiners = plugins.combiners.names
        suites = plugins.suites.entries.map { Entry(name: $0.name, summary: $0.plugin.summary) }.sorted { $0.name < $1.name }
        attacks = MembershipAttacks.builtIn.names
        layouts = RunTables.Layout.allCases.map(\.rawValue)
    }

    /// Plain text: one section per kind, one name per line.
    public func text() -> String {
        var lines: [String] = []
        func section(_ title: String, _ names: [String]) {
            lines.append(title)
            lines += names.map { "  " + $0 }
            lines.append("")
        }
        func described(_ entries: [Entry]) -> [String] {
            entries.map { $0.name.padding(toLength: 15, withPad: " ", startingAt: 0) + " " + $0.summary }
        }
        section("stages (stages: - <kind>: {...})", described(stages))
        section("objectives (objective: {name: ...})", objectives)
        section("combiners (combiner: ...)", combiners)
        section("evaluation suites (evaluate: {<suite>: {...}}, lethe eval <suite>)", described(suites))
        section("membership attacks (membership: {attacks: [...]}, lethe table --attack)", attacks)
        section("table layouts (lethe table --layout)", layouts)
        return lines.dropLast().joined(separator: "\n")
    }

    /// JSON: `{"stages": [..], "objectives": [..], "combiners": [..], "evaluation_suites": [..],
    /// "membership_attacks": [..], "table_layouts": [..]}`.
    public func json() throws -> String {
        let object: [String: Any] = [
            "stages": stages.map(\.name), "objectives": objectives, "combiners": combiners,
            "evaluation_suites": suites.map(\.name), "membership_attacks": attacks, "table_layouts": layouts,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self)
    }
}
