import LetheTensor

/// What `Trainer` (the one training loop) and checkpoints need of a model, whatever its kind:
/// decoders (`CausalLanguageModel`: GPT-2, the Llama family) and encoders (`EncoderModel`:
/// BERT, RoBERTa) conform.
///
/// - `parameters`, `linears` (from `AdaptableModel`): the flat parameter buffer and the linear
///   maps LoRA adapts, by Hugging Face prefix;
/// - `family`, `configurationJSON()`: recorded by checkpoints and compared on resume;
/// - `dropout`: training mode when set (masks drawn from it in forward order);
/// - `classificationLogits(_:)`: sequence-classification logits [B, labels] of a
///   right-padded batch (decoders read the last real token, encoders their pooler or
///   `<s>` head), the input of the classification objectives.
public protocol TrainableModel: AdaptableModel {
    /// The family's registry name (`gpt2`, `llama`, `bert`, `roberta`).
    var family: String { get }
    /// Training mode when set: dropout masks are drawn from it in forward order.
    var dropout: RandomGenerator? { get set }
    /// The family's Hugging Face `config.json` as sorted JSON text.
    func configurationJSON() throws -> String
    /// Sequence-classification logits [B, labels] of a right-padded batch.
    func classificationLogits(_ batch: TokenBatch) throws -> Tensor
    /// Outputs of the sequence-classification head (`num_labels`), or nil without that head.
    var classificationLabelCount: Int? { get }
    /// The id batches are right-padded with (`pad_token_id`; RoBERTa's positions skip it).
    var paddingTokenID: Int? { get }
}

extension TrainableModel {
    /// This model as a causal language model, for objectives that read next-token logits.
    /// - Throws: `LayerError.invalidInput` naming `owner` when the model is an encoder.
    public func languageModel(for owner: String) throws -> any CausalLanguageModel {
        guard let model = self as? any CausalLanguageModel else {
            throw LayerError.invalidInput(reason: "\(owner) needs a causal language model; this is a \(family) model")
        }
        return model
    }
}
