import Foundation
import LetheEngine
import Testing

@Suite("events.jsonl")
struct RunFolderTests {
    @Test func eventsWithNaNOrInfinityAreWrittenWithNullsNotDropped() throws {
        let path = TinyRecipe.temporaryFolder("events")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let folder = try RunFolder(path: path, recipeYAML: "name: x\n")
        try folder.record(.step(stage: "unlearn", step: 1, losses: ["forget": .nan, "retain": 2.5], cosine: -.infinity, learningRate: 1e-4, skipped: "loss"))
        try folder.record(.step(stage: "unlearn", step: 2, losses: ["forget": 1, "retain": 2], cosine: nil, learningRate: 1e-4, skipped: nil))
        let lines = try String(contentsOfFile: path + "/events.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains("\"cosine\":null") && lines[0].contains("\"forget\":null") && lines[0].contains("\"retain\":2.5"), "\(lines[0])")
        #expect(lines[1].contains("\"cosine\":null") && lines[1].contains("\"event\":\"step\""), "\(lines[1])")
    }
}
