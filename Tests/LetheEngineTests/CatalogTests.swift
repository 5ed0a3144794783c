import Foundation
import LetheEngine
import LetheEvaluation
import LetheUnlearning
import Testing

@Suite("lethe list: names from the registries")
struct CatalogTests {
    @Test func namesComeFromTheRegistries() throws {
        let catalog = Catalog()
        #expect(catalog.objectives == ObjectiveRegistry.builtIn.names)
        #expect(catalog.combiners == CombinerRegistry.builtIn.names)
        #expect(catalog.attacks == MembershipAttacks.builtIn.names)
        #expect(catalog.suites.map(\.name) == ["classification", "logit_lens", "membership", "perplexity", "probe", "qa", "quantization", "toxicity"])
        #expect(catalog.stages.map(\.name) == ["evaluate", "finetune", "pretrain", "retrain", "train_classifier", "unlearn"])
        #expect(catalog.stages.allSatisfy { !$0.summary.isEmpty })
        #expect(catalog.layouts == ["detoxification", "classification", "metrics"])
        let json = try JSONSerialization.jsonObject(with: Data(try catalog.json().utf8)) as? [String: Any]
        #expect(json?["objectives"] as? [String] == catalog.objectives)
        #expect(catalog.text().contains("  grad_diff\n"))
    }

    @Test func attacksAreLookedUpByName() throws {
        #expect(try MembershipAttacks.builtIn.names.map { try MembershipAttacks.builtIn.make($0).label }
            == ["loss", "min_k@0.2", "min_k++@0.2", "reference", "zlib"])
        do {
            _ = try MembershipAttacks.builtIn.make("lira")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("unknown membership attack 'lira'; available: loss, min_k, min_k_plus_plus, reference, zlib"))
        }
    }
}
