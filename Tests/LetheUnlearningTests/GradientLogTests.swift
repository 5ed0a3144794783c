import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import LetheText
import LetheUnlearning
import Testing

/// A short grad_diff + PCGrad run on a tiny model, logging gradients to `path`.
func writeTinyGradientLog(to path: String, steps: Int = 6, combiner: String = "pcgrad") throws -> Trainer {
    var rng = RandomGenerator(seed: 8)
    let c = GPT2Configuration(
        vocabularySize: 20, contextLength: 32, embeddingSize: 8, layerCount: 2, headCount: 2,
        residualDropout: 0, embeddingDropout: 0, attentionDropout: 0)
    let model = try GPT2Model(configuration: c, rng: &rng)
    func encode(_ pairs: [(String, String)]) throws -> [EncodedExample] {
        try pairs.map { try TextExample(prompt: $0.0, completion: $0.1).encoded(with: CharacterEncoder(), options: EncodingOptions()) }
    }
    let data = try UnlearningData(
        forget: try encode([("Say", " you fool"), ("Reply", " go away"), ("Now", " how dumb")]),
        retain: try encode([("Hi", " hello there"), ("Thanks", " you're welcome")]), batchSize: 2, seed: 1)
    let trainer = try Trainer(
        model: model, objective: ObjectiveRegistry.builtIn.make("grad_diff"), combiner: CombinerRegistry.builtIn.make(combiner),
        configuration: TrainerConfiguration(steps: steps, learningRate: 3e-2))
    trainer.gradientLog = try GradientLog(
        path: path, parameterNames: model.parameters.names, lossNames: ["forget", "retain"], fullEvery: 2,
        fullParameters: ["h.0.attn.c_attn.weight"])
    try trainer.train(data: data)
    trainer.gradientLog?.close()
    return trainer
}

@Suite("Gradient logs in HDF5 and their inspection")
struct GradientLogTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    @Test func logHoldsStepStatisticsAndFullTensors() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("grad-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let trainer = try writeTinyGradientLog(to: path)
        let file = try HDF5File.open(at: path)
        defer { file.close() }
        let P = trainer.model.parameters.names.count
        #expect(try file.readTensor("/step").doubles == [1, 2, 3, 4, 5, 6])
        #expect(try file.shape(of: "/cosine") == [6, P])
        #expect(try file.shape(of: "/norm/forget") == [6, P])
        #expect(try file.shape(of: "/full/forget/h.0.attn.c_attn.weight") == [3, 8, 24])
        #expect(try file.readTensor("/full_step").doubles == [2, 4, 6])
        #expect(try file.layout(of: "/norm/retain").filters.contains { $0.contains("deflate") })
        let inspection = try GradientInspection(path: path)
        #expect(inspection.rows.count == P)
        #expect(inspection.table.allSatisfy { (0...1).contains($0.negativeShare) && $0.normRatio > 0 })
        #expect(inspection.markdown().contains("h.1.mlp.c_fc.weight"))
        #expect(inspection.svg().contains("<polyline"))
    }

    /// Each step's weights per loss and tensor, the whole-model weight, the direction norm and
    /// the clipping flag (PCGrad: both coefficients 1 + the projection's, ≥ 1).
    @Test func logHoldsTheCombinersWeights() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("weights-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let trainer = try writeTinyGradientLog(to: path, steps: 3)
        let file = try HDF5File.open(at: path)
        defer { file.close() }
        let P = trainer.model.parameters.names.count
        #expect(try file.shape(of: "/weight/forget") == [3, P])
        let model = try file.readTensor("/model_weight/forget").doubles + file.readTensor("/model_weight/retain").doubles
        #expect(model.count == 6 && model.allSatisfy { $0 >= 1 }, "\(model)")
        #expect(try file.readTensor("/weight/retain").floats.allSatisfy { $0 >= 1 })
        #expect(try file.readTensor("/direction_norm").doubles.allSatisfy { $0 > 0 })
        #expect(try file.readTensor("/clipped").floats == [0, 0, 0])
    }

    /// A log in the extended format (Nash-MTL: weights that vary, clipping that fires), written
    /// by Lethe (LETHE_WRITE_FIXTURES=1 rewrites it) and read by
    /// `scripts/reference/read_gradient_log.py` with h5py alone; both readings agree.
    /// (`gradients_tiny.h5` stays as it was: the hostile-file tests patch its bytes.)
    @Test func h5pyReadsTheCombinersWeights() throws {
        let path = Self.fixtures + "/gradients_nash.h5"
        if ProcessInfo.processInfo.environment["LETHE_WRITE_FIXTURES"] != nil {
            _ = try writeTinyGradientLog(to: path, steps: 3, combiner: "nash_mtl")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/gradients_nash.h5py.json"))
        let python = (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        let file = try HDF5File.open(at: path)
        defer { file.close() }
        let weights = (python["mean_model_weight"] as? [String: Double]) ?? [:]
        for loss in ["forget", "retain"] {
            let values = try file.readTensor("/model_weight/\(loss)").doubles
            #expect(abs((weights[loss] ?? .nan) - values.reduce(0, +) / Double(values.count)) < 1e-9, "\(loss)")
        }
        let clipped = try file.readTensor("/clipped").floats
        #expect(python["clipped_steps"] as? Int == clipped.filter { $0 == 1 }.count && clipped.count == 3)
        let norms = try file.readTensor("/direction_norm").doubles
        #expect(abs(((python["mean_direction_norm"] as? Double) ?? .nan) - norms.reduce(0, +) / 3) < 1e-9)
    }

    /// The committed log was written by Lethe (LETHE_WRITE_FIXTURES=1 rewrites it) and read
    /// by `scripts/reference/read_gradient_log.py` with h5py alone; both readings agree.
    @Test func h5pyReadsTheCommittedLogAsLetheDoes() throws {
        let path = Self.fixtures + "/gradients_tiny.h5"
        if ProcessInfo.processInfo.environment["LETHE_WRITE_FIXTURES"] != nil { _ = try writeTinyGradientLog(to: path) }
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/gradients_tiny.h5py.json"))
        let python = (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        let inspection = try GradientInspection(path: path)
        #expect((python["steps"] as? [Double]) == inspection.steps)
        let meanCosine = (python["mean_cosine"] as? [String: Double]) ?? [:]
        let ratio = (python["norm_ratio"] as? [String: Double]) ?? [:]
        #expect(meanCosine.count == inspection.rows.count)
        for row in inspection.rows {
            #expect(abs((meanCosine[row.name] ?? .nan) - row.meanCosine) < 1e-6, "\(row.name)")
            #expect(abs((ratio[row.name] ?? .nan) - row.normRatio) < 1e-6, "\(row.name)")
        }

    }
}
