import Foundation
import LetheStorage
import LetheTensor
import LetheUnlearning

/// A whole study at toy size, for the engine's tests (seconds in a debug build).
enum TinyRecipe {
    static let data = """
        data:
          generate: {people: 30, pretrain_documents: 40, heldout_documents: 4, forget_items: 8, nonmember_items: 8,
                     retain_items: 8, finetune_documents: 10, eval_prompts: 3, classification_items: 40, qa_questions: 5}
        tokenizer: {train: {vocab_size: 320}}
        model: {config: {n_layer: 1, n_embd: 16, n_head: 2, n_positions: 64, resid_pdrop: 0.0, embd_pdrop: 0.0, attn_pdrop: 0.0}}
        """

    /// pretrain, finetune, [retrain], evaluate, unlearn, evaluate.
    static func yaml(output: String, retrain: Bool = true, unlearn: String = "{name: grad_diff}", extra: String = "") -> String {
        """
        name: tiny
        seed: 3
        output: \(output)
        \(data)
        stages:
          - pretrain: {steps: 4, batch_size: 4, learning_rate: 1.0e-3}
          - finetune: {steps: 3, batch_size: 4, learning_rate: 1.0e-3}
        \(retrain ? "  - retrain: {steps: 3, batch_size: 4, learning_rate: 1.0e-3}" : "")
          - evaluate: {perplexity: {}, membership: {attacks: [loss, zlib]}, toxicity: {protocol: greedy, new_tokens: 8}}
          - unlearn: {objective: \(unlearn), combiner: pcgrad, steps: 6, batch_size: 4, learning_rate: 1.0e-3, gradient_log_every: 1\(extra)}
          - evaluate: {perplexity: {}, membership: {attacks: [loss]}, toxicity: {protocol: greedy, new_tokens: 8}}

        """
    }

    static func temporaryFolder(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
    }

    /// The flat parameter buffer of a checkpoint's model.
    static func weights(_ path: String) throws -> [Float] {
        let model = try ModelFile.load(path)
        return model.parameters.flat.floats
    }
}
