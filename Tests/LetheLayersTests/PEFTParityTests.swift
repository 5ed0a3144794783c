import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import Testing

/// The PEFT fixture written by `scripts/reference/make_peft_fixture.py`: a LoRA made by the
/// `peft` package on the tiny GPT-2 fixture, and the logits of the adapted and merged models.
struct PEFTFixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/peft_tiny").path
    static let adapter = directory + "/adapter"

    let expected: SafetensorsFile
    let batch: TokenBatch

    init() throws {
        expected = try SafetensorsFile.read(path: Self.directory + "/expected.safetensors")
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.directory + "/expected.json"))
        let json = (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        let b = (json["batch"] as? [String: Any]) ?? [:]
        batch = try TokenBatch(
            ids: (b["ids"] as? [Int]) ?? [], batchSize: (b["batch_size"] as? Int) ?? 0,
            length: (b["length"] as? Int) ?? 0, attentionMask: b["attention_mask"] as? [Int])
    }

    func tensor(_ name: String) throws -> Tensor {
        guard let t = expected.tensors[name] else { throw LayerError.invalidInput(reason: "PEFT fixture lacks \(name)") }
        return t
    }

    /// The base model with the fixture's PEFT adapter loaded.
    func adaptedModel() throws -> (GPT2Model, LoRAAdapters) {
        let model = try GPT2Fixture().model()
        let adapters = try model.loadLoRA(directory: Self.adapter)
        return (model, adapters)
    }
}

private func temporaryDirectory(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
}

private func jsonObject(_ path: String) throws -> [String: Any] {
    (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]) ?? [:]
}

private func writeJSON(_ object: [String: Any], _ path: String) throws {
    try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
}

@Suite("PEFT interop: a LoRA made by peft loads with the same outputs, and saves back alike")
struct PEFTParityTests {
    @Test func peftAdapterGivesPEFTsLogits() throws {
        let fixture = try PEFTFixture()
        let (model, adapters) = try fixture.adaptedModel()
        #expect(adapters.prefixes == ["h.0.attn.c_attn", "h.0.attn.c_proj", "h.0.mlp.c_fc", "h.1.attn.c_attn", "h.1.attn.c_proj", "h.1.mlp.c_fc"])
        #expect(adapters.configuration == LoRAConfiguration(rank: 4, alpha: 8, dropout: 0.1, targets: ["attn.c_proj", "c_attn", "mlp.c_fc"]))
        let logits = try withoutGradients { try model.logits(fixture.batch) }
        let expected = try fixture.tensor("logits")
        #expect(relativeError(logits, expected) < 2e-5)
        // The adapter matters: the base model is far from PEFT's adapted logits.
        let base = try withoutGradients { try GPT2Fixture().model().logits(fixture.batch) }
        #expect(relativeError(base, expected) > 0.05)
        // Dropout is in training mode only, as in PEFT's eval().
        model.dropout = RandomGenerator(seed: 3)
        #expect(relativeError(try withoutGradients { try model.logits(fixture.batch) }, expected) > 1e-3)
    }

    @Test func fusedModelGivesMergeAndUnloadsLogits() throws {
        let fixture = try PEFTFixture()
        let (model, _) = try fixture.adaptedModel()
        try model.fuseLoRA()
        #expect(model.linears.values.allSatisfy { $0 is Conv1D })
        let logits = try withoutGradients { try model.logits(fixture.batch) }
        #expect(relativeError(logits, try fixture.tensor("merged_logits")) < 2e-5)
    }

    @Test func savingAndLoadingAgainKeepsTensorsAndConfiguration() throws {
        let fixture = try PEFTFixture()
        let (model, adapters) = try fixture.adaptedModel()
        let directory = temporaryDirectory("peft-roundtrip")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try adapters.save(directory: directory)

        let saved = try jsonObject(directory + "/adapter_config.json")
        let original = try jsonObject(PEFTFixture.adapter + "/adapter_config.json")
        #expect(saved["target_modules"] as? [String] == original["target_modules"] as? [String])
        #expect(saved["fan_in_fan_out"] as? Bool == true)
        // Bit for bit the tensors PEFT wrote, under the same keys.
        let ours = try SafetensorsFile.read(path: directory + "/adapter_model.safetensors").tensors
        let theirs = try SafetensorsFile.read(path: PEFTFixture.adapter + "/adapter_model.safetensors").tensors
        #expect(ours.keys.sorted() == theirs.keys.sorted())
        for (key, tensor) in theirs { #expect(ours[key]?.shape == tensor.shape && ours[key]?.floats == tensor.floats, "\(key)") }

        let again = try GPT2Fixture().model()
        let reloaded = try again.loadLoRA(directory: directory)
        #expect(reloaded.configuration == adapters.configuration)
        #expect(reloaded.prefixes == adapters.prefixes)
        #expect(reloaded.parameters.names == adapters.parameters.names)
        #expect(zip(reloaded.parameters.tensors, adapters.parameters.tensors).allSatisfy { $0.floats == $1.floats })
        let a = try withoutGradients { try model.logits(fixture.batch) }
        let b = try withoutGradients { try again.logits(fixture.batch) }
        #expect(a.floats == b.floats)
    }

    /// Lethe's substring targets are written as PEFT reads them: kept when PEFT's suffix rule
    /// gives the same maps, else replaced by the adapted prefixes.
    @Test func targetsAreWrittenSoPEFTAdaptsTheSameMaps() throws {
        func modules(_ targets: [String]) throws -> [String] {
            var rng = RandomGenerator(seed: 2)
            return try GPT2Fixture().model().applyLoRA(LoRAConfiguration(rank: 2, alpha: 4, targets: targets), rng: &rng).peftTargetModules
        }
        #expect(try modules(["c_attn", "mlp.c_fc"]) == ["c_attn", "mlp.c_fc"])
        #expect(try modules(["h.1.attn.c_attn"]) == ["h.1.attn.c_attn"])
        // `attn` is the attention module for PEFT; `c_at` and `_proj` match no module name.
        #expect(try modules(["attn"]) == ["h.0.attn.c_attn", "h.0.attn.c_proj", "h.1.attn.c_attn", "h.1.attn.c_proj"])
        #expect(try modules(["c_at", "mlp.c_fc"]) == ["h.0.attn.c_attn", "h.0.mlp.c_fc", "h.1.attn.c_attn", "h.1.mlp.c_fc"])
        #expect(try modules(["_proj"]) == ["h.0.attn.c_proj", "h.0.mlp.c_proj", "h.1.attn.c_proj", "h.1.mlp.c_proj"])
    }

    /// PEFT's other spellings of target_modules: full names, one regular expression, `all-linear`.
    @Test func peftTargetSpellingsLoad() throws {
        var rng = RandomGenerator(seed: 4)
        let source = try GPT2Fixture().model()
        let all = try source.applyLoRA(LoRAConfiguration(rank: 2, alpha: 4, targets: ["c_"]), rng: &rng)
        let directory = temporaryDirectory("peft-targets")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try all.save(directory: directory)
        var config = try jsonObject(directory + "/adapter_config.json")
        let cases: [(Any, [String])] = [
            ("all-linear", all.prefixes),
            (#"transformer\.h\.\d+\.(attn|mlp)\.c_\w+"#, all.prefixes),
            (all.prefixes.map { "transformer." + $0 }, all.prefixes),
        ]
        for (targets, expected) in cases {
            config["target_modules"] = targets
            try writeJSON(config, directory + "/adapter_config.json")
            #expect(try GPT2Fixture().model().loadLoRA(directory: directory).prefixes == expected, "\(targets)")
        }
        // A pattern naming fewer maps than the file holds: the extra tensors are reported.
        config["target_modules"] = #".*\.attn\.c_attn"#
        try writeJSON(config, directory + "/adapter_config.json")
        #expect(throws: LayerError.self) { try GPT2Fixture().model().loadLoRA(directory: directory) }
    }

    /// Options that change what PEFT computes are refused rather than ignored.
    @Test func unsupportedPEFTOptionsAreRefused() throws {
        let directory = temporaryDirectory("peft-options")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: PEFTFixture.adapter + "/adapter_model.safetensors", toPath: directory + "/adapter_model.safetensors")
        let original = try jsonObject(PEFTFixture.adapter + "/adapter_config.json")
        let changes: [(String, Any)] = [
            ("use_rslora", true), ("use_dora", true), ("alpha_pattern", ["c_attn": 16]), ("rank_pattern", ["c_attn": 2]),
            ("layers_to_transform", 0), ("bias", "all"), ("peft_type", "LOHA"), ("exclude_modules", ["h.0.mlp.c_fc"]),
        ]
        for (key, value) in changes {
            var config = original
            config[key] = value
            try writeJSON(config, directory + "/adapter_config.json")
            do {
                _ = try GPT2Fixture().model().loadLoRA(directory: directory)
                Issue.record("\(key) should be refused")
            } catch {
                #expect("\(error)".contains(key) && "\(error)".contains("adapter_config.json"), "\(error)")
            }
        }
        try writeJSON(original, directory + "/adapter_config.json")
        #expect(try GPT2Fixture().model().loadLoRA(directory: directory).prefixes.count == 6)
    }
}

@Suite("Export for peft")
struct PEFTExportTests {
    /// Lethe-made adapters (targets `attn` and `mlp.c_proj`, which PEFT reads otherwise) on
    /// the fixture model, saved and loaded again. With LETHE_WRITE_PEFT_EXPORT=DIR set, leaves
    /// DIR/adapter/ and DIR/lethe_logits.safetensors (`logits` of the adapted model, `merged_logits`
    /// of the fused one; metadata `batch`: the batch as JSON) for
    /// scripts/reference/check_peft_export.py to compare with peft.
    @Test func exportedAdaptersRoundTripAndCanBeCheckedWithPEFT() throws {
        let environment = ProcessInfo.processInfo.environment["LETHE_WRITE_PEFT_EXPORT"]
        let target = environment ?? temporaryDirectory("peft-export")
        defer { if environment == nil { try? FileManager.default.removeItem(atPath: target) } }
        let fixture = try PEFTFixture()
        let model = try GPT2Fixture().model()
        var rng = RandomGenerator(seed: 17)
        let adapters = try model.applyLoRA(
            LoRAConfiguration(rank: 3, alpha: 6, dropout: 0.05, targets: ["attn", "mlp.c_proj"]), rng: &rng)
        for t in adapters.parameters.tensors { t.fill { rng.nextNormal() * 0.3 } }
        try adapters.save(directory: target + "/adapter")
        let logits = try withoutGradients { try model.logits(fixture.batch) }

        let again = try GPT2Fixture().model()
        let reloaded = try again.loadLoRA(directory: target + "/adapter")
        #expect(reloaded.prefixes == adapters.prefixes)
        #expect(zip(reloaded.parameters.tensors, adapters.parameters.tensors).allSatisfy { $0.floats == $1.floats })
        #expect(try withoutGradients { try again.logits(fixture.batch) }.floats == logits.floats)

        try model.fuseLoRA()
        let merged = try withoutGradients { try model.logits(fixture.batch) }
        #expect(relativeError(merged, logits) < 1e-5)
        let batch: [String: Any] = [
            "ids": fixture.batch.ids, "attention_mask": fixture.batch.attentionMask ?? [],
            "batch_size": fixture.batch.batchSize, "length": fixture.batch.length,
        ]
        let batchJSON = String(decoding: try JSONSerialization.data(withJSONObject: batch, options: [.sortedKeys]), as: UTF8.self)
        try SafetensorsFile.write(
            [("logits", logits), ("merged_logits", merged)], metadata: ["format": "pt", "batch": batchJSON],
            to: target + "/lethe_logits.safetensors")
    }
}
