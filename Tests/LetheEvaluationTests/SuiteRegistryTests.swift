import Foundation
import LetheEvaluation
import LetheRecipes
import Testing

/// A plugin suite as a depending package would write it: counts the records of a set.
struct RecordCountSuite: EvaluationSuite {
    static let name = "record_count"
    static let summary = "the number of records of a set"
    var data: String

    init(options: PluginOptions) throws {
        try options.accept(["data"])
        data = try options.text("data", default: "heldout")
    }

    var requirements: [DataRequirement] { [DataRequirement(data, role: "records", accepted: [])] }

    func evaluate(_ context: EvaluationContext) throws -> SuiteResult {
        let count = try context.dataset(data).count
        return SuiteResult(summary: .generic(["records": Double(count)]), rows: [ExampleRows(file: "record_count_sizes.jsonl", rows: [["n": count]])])
    }
}

@Suite("Registries of suites and attacks; the command-line option parser; results.json")
struct SuiteRegistryTests {
    @Test func attackRegistryListsAndRejects() throws {
        #expect(MembershipAttacks.builtIn.names == ["loss", "min_k", "min_k_plus_plus", "reference", "zlib"])
        let attack = try MembershipAttacks.builtIn.make(try PluginChoice(try OptionAssignments.value("{min_k: {k: 0.4}}")))
        #expect(attack.label == "min_k@0.4")
        #expect(try MembershipAttacks.builtIn.make("min_k_plus_plus").needsDistribution)
        do {
            _ = try MembershipAttacks.builtIn.make("lira")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "unknown membership attack 'lira'; available: loss, min_k, min_k_plus_plus, reference, zlib")
        }
        #expect(throws: OptionError.self) { try EvaluationSuites.builtIn.make(PluginChoice(name: "robustness")) }
    }

    @Test("key=value arguments give the options a recipe gives (the recipe reader reads them)")
    func optionArgumentsMatchARecipe() throws {
        let parsed = try OptionAssignments.parse([
            "attacks=[loss, {min_k: {k: 0.4}}, min_k_plus_plus: {k: 0.1}]", "resamples=200", "scorer.path=/tmp/my classifier",
            "truncation=keep_start", "verbose=TRUE", "members=\"0042\"", "level=.5",
        ])
        // What the recipe reader builds from the same YAML.
        let recipe = OptionNode(.map([
            OptionEntry("attacks", OptionNode(.list([
                OptionNode(.text("loss")),
                OptionNode(.map([OptionEntry("min_k", OptionNode(.map([OptionEntry("k", OptionNode(.number(0.4)))])))])),
                OptionNode(.map([OptionEntry("min_k_plus_plus", OptionNode(.map([OptionEntry("k", OptionNode(.number(0.1)))])))])),
            ]))),
            OptionEntry("resamples", OptionNode(.number(200))),
            OptionEntry("scorer", OptionNode(.map([OptionEntry("path", OptionNode(.text("/tmp/my classifier")))]))),
            OptionEntry("truncation", OptionNode(.text("keep_start"))),
            OptionEntry("verbose", OptionNode(.flag(true))),
            OptionEntry("members", OptionNode(.text("0042"))),
            OptionEntry("level", OptionNode(.number(0.5))),
        ]))
        #expect(parsed == recipe)
        #expect(parsed["attacks"]?.items?[1].origin.description == "--option: attacks.1")
        // JSON is flow YAML too.
        #expect(try OptionAssignments.value(#"{"min_k": {"k": 0.4}}"#) == recipe["attacks"]?.items?[1])
        #expect(try OptionAssignments.parse(["k=v"]) == OptionNode.map(["k": .text("v")]))
        for bad in ["novalue", "=3", "a=[1, 2", "a={k: [1}", "a=1"] {
            if bad == "a=1" {
                #expect(throws: OptionError.self) { try OptionAssignments.parse(["a=1", "a=2"]) }
            } else {
                #expect(throws: OptionError.self) { try OptionAssignments.parse([bad]) }
            }
        }
        // The options a suite reads from it.
        let suite = try MembershipSuite(options: try PluginOptions(node: try OptionAssignments.parse(["attacks=[loss, {min_k: {k: 0.4}}]"]), owner: "m"))
        #expect(suite.attackLabels == ["loss", "min_k@0.4"])
    }

    @Test("A plugin suite runs through the same path and its metrics show in the metrics table")
    func pluginSuite() throws {
        let registry = EvaluationSuites.builtIn.adding(RecordCountSuite.name, RecordCountSuite.self)
        let (name, suite) = try registry.make(PluginChoice(name: "record_count"))
        let context = EvaluationContext(model: try tinyTokenizerModel(), tokenizer: try fixtureTokenizer(), datasets: suiteDatasets())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Evaluation.run(suites: [(name, suite)], context: context, label: "plugin", folder: folder)
        let loaded = try RunResults.load(folder: folder)
        #expect(loaded.suites["record_count"] == .generic(["records": 2]))
        let json = try String(contentsOfFile: folder + "/results.json", encoding: .utf8)
        #expect(json.contains(#""record_count" : {"#) && json.contains(#""metrics" : {"#))
        #expect(FileManager.default.fileExists(atPath: folder + "/record_count_sizes.jsonl"))
        let markdown = try RunTables.table([loaded], layout: .metrics).markdown()
        #expect(markdown.contains("record_count.records") && markdown.contains("| plugin | 2.000 |"))
    }

    @Test("results.json round-trips by suite name; files of older runs load, their PrivLeak moved into membership")
    func resultsRoundTripAndLegacy() throws {
        let runs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/runs").path
        let base = try RunResults.load(folder: runs + "/base")
        #expect(base.suites.keys.sorted() == ["membership", "perplexity", "toxicity"] && base.toxicity?.toxicityProbability == nil)
        let legacy = #"""
            {"label": "old", "membership": {"memberMeanNLL": 1, "nonMemberMeanNLL": 2, "memberCount": 1, "nonMemberCount": 1,
             "attacks": [{"attack": "loss", "memberMean": -1, "nonMemberMean": -2, "rocAUC": 1, "tprAt1PercentFPR": 1,
             "tprAt01PercentFPR": 1, "scores": {"members": [-1], "non_members": [-2]}}]}, "privLeak": {"loss": -80}}
            """#
        let old = try JSONDecoder().decode(RunResults.self, from: Data(legacy.utf8))
        #expect(old.privLeak == ["loss": -80] && old.membership?.privLeak == ["loss": -80])
        var results = base
        results.suites["membership_holdout"] = results.suites["membership"]
        results.suites["robustness"] = .generic(["accuracy": 0.5, "nan": .nan])
        results.classification = ["test": try ClassificationMetrics(predictions: [1, 0], labels: [1, 1])]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rt-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try results.save(folder: folder)
        let loaded = try RunResults.load(folder: folder)
        #expect(loaded.suites["membership_holdout"] == results.suites["membership"])
        #expect(loaded.suites["robustness"]?.metrics["accuracy"] == 0.5 && loaded.suites["robustness"]?.metrics["nan"]?.isNaN == true)
        #expect(loaded.classification == results.classification && loaded.perplexity == base.perplexity)
    }
}
