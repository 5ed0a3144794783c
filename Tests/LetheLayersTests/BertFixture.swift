import Foundation
import LetheLayers
import LetheStorage
import LetheTensor

/// One case of the golden fixtures written by `scripts/reference/make_bert_fixture.py`.
struct BertFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/bert").path

    let directory: String
    let expected: SafetensorsFile
    let batch: TokenBatch
    let tokenTypes: [Int]
    let labels: [Double]?
    let loss: Double?

    init(_ name: String) throws {
        directory = Self.root + "/" + name
        expected = try SafetensorsFile.read(path: directory + "/expected.safetensors")
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/expected.json"))
        let json = (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        let b = (json["batch"] as? [String: Any]) ?? [:]
        batch = try TokenBatch(
            ids: (b["ids"] as? [Int]) ?? [], batchSize: (b["batch_size"] as? Int) ?? 0,
            length: (b["length"] as? Int) ?? 0, attentionMask: b["attention_mask"] as? [Int])
        tokenTypes = (b["token_type_ids"] as? [Int]) ?? []
        labels = (json["labels"] as? [NSNumber])?.map(\.doubleValue)
        loss = json["loss"] as? Double
    }

    func model() throws -> BertModel { try BertModel.load(huggingFaceDirectory: directory + "/model") }

    func tensor(_ name: String) throws -> Tensor {
        guard let t = expected.tensors[name] else { throw LayerError.invalidInput(reason: "fixture lacks \(name)") }
        return t
    }

    var gradientNames: [String] { expected.tensors.keys.filter { $0.hasPrefix("grad.") }.map { String($0.dropFirst(5)) }.sorted() }
}
