import Foundation
import LetheEvaluation
import LetheUnlearning

/// Every name a recipe or a table command can use, read from the registries themselves
/// (`lethe list`): objectives, combiners, membership attacks, evaluation suites and table
/// layouts.
public struct Catalog {
    /// An evaluation suite of an `evaluate` stage and the values it takes.
    public struct Suite: Equatable {
        /// The recipe key (`perplexity`, `mia`, `toxicity`).
        public var name: String
        /// Its values: attack names for `mia`, protocols for `toxicity`, none for `perplexity`.
        public var variants: [String]
        /// One line on what it measures.
        public var summary: String
    }

    public var objectives: [String]
    public var combiners: [String]
    public var attacks: [String]
    public var suites: [Suite]
    public var layouts: [String]

    /// The catalog of the given registries (default: the built-in ones the runner uses).
    public init(objectives: ObjectiveRegistry = .builtIn, combiners: CombinerRegistry = .builtIn) {
        self.objectives = objectives.names
        self.combiners = combiners.names
        attacks = MembershipAttacks.builtIn.names
        suites = [
            Suite(name: "perplexity", variants: [], summary: "token, word and byte perplexity of held-out documents"),
            Suite(name: "mia", variants: MembershipAttacks.builtIn.names, summary: "membership inference, forget set vs non-members (ROC-AUC)"),
            Suite(name: "toxicity", variants: ToxicityProtocol.names, summary: "toxicity of the model's continuations of prompts"),
        ]
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
        section("objectives (unlearn.objective.name)", objectives)
        section("combiners (unlearn.combiner.name)", combiners)
        section("membership attacks (evaluate.mia, lethe table --attack)", attacks)
        section(
            "evaluation suites (evaluate.<suite>)",
            suites.map { suite in
                let values = suite.variants.isEmpty ? "true|false" : suite.variants.joined(separator: "|")
                return "\(suite.name.padding(toLength: 11, withPad: " ", startingAt: 0)) \(values)  - \(suite.summary)"
            })
        section("table layouts (lethe table --layout)", layouts)
        return lines.dropLast().joined(separator: "\n")
    }

    /// JSON: `{"objectives": [..], "combiners": [..], "membership_attacks": [..],
    /// "evaluation_suites": {"perplexity": [], "mia": [..], "toxicity": [..]}, "table_layouts": [..]}`.
    public func json() throws -> String {
        let object: [String: Any] = [
            "objectives": objectives, "combiners": combiners, "membership_attacks": attacks,
            "evaluation_suites": Dictionary(uniqueKeysWithValues: suites.map { ($0.name, $0.variants) }),
            "table_layouts": layouts,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self)
    }
}
