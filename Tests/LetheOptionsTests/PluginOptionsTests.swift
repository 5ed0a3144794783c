import LetheOptions
import Testing

@Suite("Plugin options: strict, typed, with origins; diagnostics collect every mistake")
struct PluginOptionsTests {
    private func node(_ entries: [(String, OptionValue, Int)]) -> OptionNode {
        let origin = OptionOrigin(file: "r.yaml", line: 3, path: "stages.2.unlearn")
        return OptionNode(.map(entries.map { OptionEntry($0.0, OptionNode($0.1, origin: OptionOrigin(file: "r.yaml", line: $0.2, path: origin.path + "." + $0.0))) }), origin: origin)
    }

    @Test func typedGettersReadValuesAndDefaults() throws {
        let options = try PluginOptions(node: node([("steps", .number(20), 4), ("name", .text("x"), 5), ("on", .flag(true), 6)]), owner: "stage s")
        #expect(try options.int("steps", default: 1) == 20)
        #expect(try options.int("missing", default: 7) == 7)
        #expect(try options.text("name", default: "") == "x")
        #expect(try options.flag("on", default: false))
        #expect(try options.list("name", default: []) == ["x"])
    }

    @Test func errorsNameFileLineKeyPathAndOwner() throws {
        let options = try PluginOptions(node: node([("steps", .text("many"), 9), ("stepz", .number(1), 10)]), owner: "stage pretrain")
        #expect(throws: OptionError(origin: OptionOrigin(file: "r.yaml", line: 9, path: "stages.2.unlearn.steps"), owner: "stage pretrain", reason: "expects an integer, got many")) {
            try options.int("steps", default: 1)
        }
        do {
            try options.accept(["steps"])
            Issue.record("accepted an unknown key")
        } catch {
            #expect("\(error)" == "r.yaml:10: stages.2.unlearn.stepz: unknown option 'stepz'; accepted: steps (stage pretrain)")
        }
    }

    @Test func diagnosticsCollectEveryMistakeAndGettersReturnDefaults() throws {
        let diagnostics = Diagnostics()
        let options = try PluginOptions(
            node: node([("a", .text("x"), 4), ("b", .number(-1), 5), ("c", .number(2.5), 6), ("d", .number(1), 7)]), owner: "p", diagnostics: diagnostics)
        try options.accept(["a", "b", "c"])
        #expect(try options.number("a", default: 1) == 1)
        #expect(try options.int("b", default: 3, in: 0...Int.max) == 3)
        #expect(try options.int("c", default: 4) == 4)
        #expect(diagnostics.problems.map(\.origin.line) == [7, 4, 5, 6])
        #expect(throws: OptionErrors.self) { try diagnostics.check() }
    }

    @Test func choicesHaveThreeSpellings() throws {
        let origin = OptionOrigin(file: "r.yaml", line: 2, path: "x")
        let plain = try PluginChoice(OptionNode(.text("pcgrad"), origin: origin))
        #expect(plain.name == "pcgrad" && plain.options.entries?.isEmpty == true)
        let named = try PluginChoice(OptionNode(.map([OptionEntry("name", OptionNode(.text("npo"))), OptionEntry("beta", OptionNode(.number(0.2)))])))
        #expect(named.name == "npo" && named.options["beta"] == OptionNode(.number(0.2)))
        let keyed = try PluginChoice(OptionNode(.map([OptionEntry("min_k", OptionNode(.map([OptionEntry("k", OptionNode(.number(0.2)))])))])))
        #expect(keyed.name == "min_k" && keyed.options["k"] == OptionNode(.number(0.2)))
        #expect(throws: OptionError.self) { try PluginChoice(OptionNode(.number(3), origin: origin)) }
    }

    @Test func registriesListTheAvailableNames() throws {
        let registry = Registry<Int>(kind: "suite", [("perplexity", 1), ("membership", 2)])
        #expect(try registry.lookup("membership") == 2)
        #expect(registry.adding("toxicity", 3).names == ["membership", "perplexity", "toxicity"])
        do {
            _ = try registry.lookup("perplexty", origin: OptionOrigin(file: "r.yaml", line: 8, path: "stages.1.evaluate.perplexty"))
            Issue.record("found an unknown name")
        } catch {
            #expect("\(error)" == "r.yaml:8: stages.1.evaluate.perplexty: unknown suite 'perplexty'; available: membership, perplexity")
        }
    }
}
