import Foundation
import LetheEngine
import LetheRecipes
import LetheStorage
import Testing

@Suite("LoRA in recipes: adapters on any training stage, merged or kept apart")
struct LoRAStageTests {
    @Test func unmergedAdaptersAreKeptApartInTheCheckpointAndFusedWhenLoaded() throws {
        let output = TinyRecipe.temporaryFolder("lora")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let yaml = """
            name: lora
            seed: 4
            output: \(output)
            \(TinyRecipe.data)
            stages:
              - pretrain: {steps: 3, batch_size: 4, learning_rate: 1.0e-3}
              - finetune: {steps: 4, batch_size: 4, learning_rate: 1.0e-2, lora: {rank: 2, alpha: 4, targets: [attn.c_attn], merge: false}}

            """
        _ = try RecipeRunner(recipe: RecipeLoader.parse(yaml)) { _ in }.run()
        let path = output + "/stage-2-finetune.h5"
        let file = try HDF5File.open(at: path)
        defer { file.close() }
        #expect(file.exists("/adapters/h.0.attn.c_attn.lora_A.weight") && file.exists("/adapters/h.0.attn.c_attn.lora_B.weight"))
        #expect(try file.stringAttribute("lora_json").contains("h.0.attn.c_attn"))
        // /model/ holds the base weights; the loaded model has the adapters folded into c_attn only.
        let base = try file.readTensor("/model/h.0.attn.c_attn.weight").floats
        let loaded = try ModelFile.load(path)
        #expect(try loaded.tensor("h.0.attn.c_attn.weight").floats != base)
        #expect(try loaded.tensor("h.0.mlp.c_fc.weight").floats == file.readTensor("/model/h.0.mlp.c_fc.weight").floats)
    }
}
