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
        #expect(catalog.attacks == MembershipAttack.names)
        #expect(catalog.suites.map(\.name) == ["perplexity", "mia", "toxicity"])
        #expect(catalog.layouts == ["detoxification", "classification"])
        let json = try JSONSerialization.jsonObject(with: Data(try catalog.json().utf8)) as? [String: Any]
        #expect(json?["objectives"] as? [String] == catalog.objectives)
        #expect(catalog.text().contains("  grad_diff\n"))
    }

    @Test func attacksAreLookedUpByName() throws {
        #expect(try MembershipAttack.names.map { try MembershipAttack.named($0) } == MembershipAttack.all)
        #expect(try MembershipAttack.named("min_k++") == .minKPlusPlus())
        do {
            _ = try MembershipAttack.named("lira")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("unknown attack 'lira'; available: loss, zlib, min_k, min_k_plus_plus, reference"))
        }
    }
}
