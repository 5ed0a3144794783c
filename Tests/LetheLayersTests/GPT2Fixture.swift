import Foundation
import LetheLayers
import LetheStorage
import LetheTensor

/// The golden fixture written by `scripts/reference/make_gpt2_fixture.py` (transformers).
struct GPT2Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/gpt2_tiny").path

    let expected: SafetensorsFile
    let json: [String: Any]
    let batch: TokenBatch
    let labels: [Int]

    init() throws {
        expected = try SafetensorsFile.read(path: Self.directory + "/expected.safetensors")
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.directory + "/expected.json"))
        json = (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        let b = (json["batch"] as? [String: Any]) ?? [:]
        batch = try TokenBatch(
            ids: (b["ids"] as? [Int]) ?? [], batchSize: (b["batch_size"] as? Int) ?? 0,
            length: (b["length"] as? Int) ?? 0, attentionMask: b["attention_mask"] as? [Int])
        labels = (b["labels"] as? [Int]) ?? []
    }

    func model(head: GPT2Model.Head = .languageModel) throws -> GPT2Model {
        try GPT2Model.load(huggingFaceDirectory: Self.directory + "/model", head: head)
    }

    func tensor(_ name: String) throws -> Tensor {
        guard let t = expected.tensors[name] else { throw LayerError.invalidInput(reason: "fixture lacks \(name)") }
        return t
    }

    var adamW: [String: Any] { (json["adamw"] as? [String: Any]) ?? [:] }
}

/// max |a − b| / (1 + max |b|): a scale-aware float32 comparison.
func relativeError(_ a: Tensor, _ b: Tensor) -> Double {
    guard a.shape == b.shape else { return .infinity }
    let (x, y) = (a.doubles, b.doubles)
    let scale = 1 + (y.map(abs).max() ?? 0)
    return zip(x, y).reduce(0) { max($0, abs($1.0 - $1.1)) } / scale
}
