import Foundation
import LetheLayers
import LetheStorage
import LetheTensor

/// One golden case written by `scripts/reference/make_llama_fixture.py` (transformers).
struct LlamaFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/llama").path
    static let cases = ["llama_gqa", "qwen2_tied", "llama3_scaled", "mistral_linear"]

    let directory: String
    let expected: SafetensorsFile
    let json: [String: Any]
    let batch: TokenBatch
    let labels: [Int]

    init(_ name: String) throws {
        directory = Self.root + "/" + name
        expected = try SafetensorsFile.read(path: directory + "/expected.safetensors")
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/expected.json"))
        json = (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        let b = (json["batch"] as? [String: Any]) ?? [:]
        batch = try TokenBatch(
            ids: (b["ids"] as? [Int]) ?? [], batchSize: (b["batch_size"] as? Int) ?? 0,
            length: (b["length"] as? Int) ?? 0, attentionMask: b["attention_mask"] as? [Int])
        labels = (b["labels"] as? [Int]) ?? []
    }

    func model(head: ModelHead = .languageModel) throws -> LlamaModel {
        try LlamaModel.load(huggingFaceDirectory: directory + "/model", head: head)
    }

    func tensor(_ name: String) throws -> Tensor {
        guard let t = expected.tensors[name] else { throw LayerError.invalidInput(reason: "fixture lacks \(name)") }
        return t
    }

    var generation: (prompts: [[Int]], continuations: [[Int]]) {
        let g = (json["generation"] as? [String: Any]) ?? [:]
        return ((g["prompts"] as? [[Int]]) ?? [], (g["greedy_continuations"] as? [[Int]]) ?? [])
    }
}

/// A fresh empty folder under the temporary directory.
func temporaryFolder(_ name: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lethe-\(name)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
