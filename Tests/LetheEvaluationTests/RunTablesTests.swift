import Foundation
import LetheEvaluation
import Testing

@Suite("lethe table over run folders")
struct RunTablesTests {
    static let runs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/runs").path

    @Test func detoxificationLayoutFromRunFolders() throws {
        let results = try ["base", "graddiff_pcgrad"].map { try RunResults.load(folder: Self.runs + "/" + $0) }
        let markdown = try RunTables.table(results, layout: .detoxification).markdown()
        #expect(markdown.contains("Toxicity") && markdown.contains("Word PPL") && markdown.contains("ROC-AUC"))
        #expect(markdown.contains("Base Model (FT)") && markdown.contains("GradDiff+PCGrad"))
        // word PPL = exp(1000 / 100) = 22026.47; member NLL 61.074; AUC interval shown for the base row
        #expect(markdown.contains("22026.47") && markdown.contains("61.074") && markdown.contains("0.410"))
        let csv = try RunTables.table(results, layout: .detoxification).csv()
        #expect(csv.split(separator: "\n").count >= 3)
    }

    @Test func classificationLayoutAndErrors() throws {
        let run = try RunResults.load(folder: Self.runs + "/classifier_lora")
        let markdown = try RunTables.table([run], layout: .classification).markdown()
        #expect(markdown.contains("original accuracy") && markdown.contains("re-split F1") && markdown.contains("0.850"))
        #expect(throws: EvaluationError.self) { try RunTables.table([try RunResults.load(folder: Self.runs + "/base")], layout: .classification) }
        #expect(throws: EvaluationError.self) { try RunResults.load(folder: Self.runs + "/missing") }
    }

    @Test func evaluationsMergeIntoAFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var results = try RunResults.load(folder: folder, orEmpty: true)
        results.classification = ["test": try ClassificationMetrics(predictions: [1, 0], labels: [1, 1])]
        try results.save(folder: folder)
        try RunResults.writeLines([["index": 0, "nll": 1.5]], folder: folder, name: "perplexity_documents.jsonl")
        #expect(try RunResults.load(folder: folder) == results)
        #expect(FileManager.default.fileExists(atPath: folder + "/perplexity_documents.jsonl"))
    }
}
