import Foundation
import LetheEngine
import Testing

@Suite("events.jsonl")
struct RunFolderTests {
    @Test func eventsWithNaNOrInfinityAreWrittenWithNullsNotDropped() throws {
        let path = TinyRecipe.temporaryFolder("events")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let folder = try RunFolder(path: path, recipeYAML: "name: x\n")
        try folder.record(["event": "step", "step": 1, "losses": ["forget": Double.nan, "retain": 2.5], "cosine": -Double.infinity])
        try folder.record(["event": "step", "step": 2, "cosine": 0.5])
        let lines = try String(contentsOfFile: path + "/events.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains("\"cosine\":null") && lines[0].contains("\"forget\":null") && lines[0].contains("\"retain\":2.5"), "\(lines[0])")
    }
}
