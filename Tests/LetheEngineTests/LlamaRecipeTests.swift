import Foundation
import LetheEngine
import LetheOptions
import LetheRecipes
import LetheStorage
import Testing

@Suite("Recipes build a new Llama-family model from model.config (family: llama)")
struct LlamaRecipeTests {
    private static let model =
        "model: {config: {family: llama, num_hidden_layers: 1, hidden_size: 16, intermediate_size: 24, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 64, tie_word_embeddings: true}}"

    private func problems(_ yaml: String) -> [String] {
        do {
            _ = try RecipeRunner(recipe: try RecipeLoader.parse(yaml, file: "r.yaml", folder: ".")) { _ in }.check()
            return []
        } catch let error as OptionErrors {
            return error.problems.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    private func recipe(_ model: String) -> String {
        let gpt2 = TinyRecipe.data.components(separatedBy: "\n").first { $0.contains("model: {config:") } ?? ""
        return "name: x\n" + TinyRecipe.data.replacingOccurrences(of: gpt2, with: model) + "\nstages: [{pretrain: {steps: 1}}]\n"
    }

    @Test func theFamilyKeyChoosesTheKeysAccepted() {
        #expect(problems(recipe(Self.model)) == [])
        let typo = problems(recipe(Self.model.replacingOccurrences(of: "hidden_size", with: "hidden_sise")))
        #expect(typo.count == 1 && typo[0].contains("hidden_sise") && typo[0].contains("hidden_size"), "\(typo)")
        let gpt2Key = problems(recipe(Self.model.replacingOccurrences(of: "num_hidden_layers", with: "n_layer")))
        #expect(gpt2Key.count == 1 && gpt2Key[0].contains("n_layer"), "\(gpt2Key)")
        let family = problems(recipe(Self.model.replacingOccurrences(of: "family: llama", with: "family: lama")))
        #expect(family.count == 1 && family[0].contains("lama") && family[0].contains("gpt2, llama"), "\(family)")
        let heads = problems(recipe(Self.model.replacingOccurrences(of: "num_key_value_heads: 2", with: "num_key_value_heads: 3")))
        #expect(heads.count == 1 && heads[0].contains("num_key_value_heads"), "\(heads)")
    }

    @Test func aTinyLlamaStudyRunsEveryStage() throws {
        let output = TinyRecipe.temporaryFolder("llama-study")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let gpt2 = TinyRecipe.data.components(separatedBy: "\n").first { $0.contains("model: {config:") } ?? ""
        let yaml = TinyRecipe.yaml(output: output, retrain: false).replacingOccurrences(of: gpt2, with: Self.model)
        let table = try RecipeRunner(recipe: RecipeLoader.parse(yaml, file: "tiny.yaml")) { _ in }.run()
        #expect(table.rows.map(\.label) == ["base (fine-tuned)", "grad_diff+pcgrad"], "\(table.markdown())")
        let model = try ModelFile.load(output + "/model.h5")
        #expect(model.family == "llama" && model.dimensions.keyValueHeadCount == 2)
    }
}
