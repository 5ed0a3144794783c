import LetheLayers
import LetheText

extension CausalLanguageModel {
    /// Throws unless every id `tokenizer` can produce has a row in this model's embedding
    /// table: a larger vocabulary would index past it (a perplexity of 1e21, or an
    /// `indexSelect` error far from the cause). A smaller one is fine (ids stay in range).
    /// - Throws: `EvaluationError.invalidArgument` naming both sources and sizes.
    public func requireFits(tokenizer: any TextTokenizer, tokenizerSource: String, modelSource: String) throws {
        let (tokens, rows) = (tokenizer.vocabularySize, dimensions.vocabularySize)
        guard tokens <= rows else {
            throw EvaluationError.invalidArgument(
                name: "tokenizer",
                reason: "\(tokenizerSource) has \(tokens) tokens but the model \(modelSource) has \(rows) embedding rows (vocab_size); "
                    + "use the tokenizer the model was trained with")
        }
    }
}
