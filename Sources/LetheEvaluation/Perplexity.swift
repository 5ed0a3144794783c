import Foundation
import LetheLayers
import LetheText

/// Corpus-level perplexity, with the convention that produced it.
///
///     token PPL     = exp(Σ NLL / Σ scored tokens)
///     word PPL      = exp(Σ NLL / Σ words)        (lm-eval `word_perplexity`)
///     byte PPL      = exp(Σ NLL / Σ bytes)        (lm-eval `byte_perplexity`)
///     bits per byte = Σ NLL / (Σ bytes · ln 2)    (lm-eval `bits_per_byte`)
///
/// NLL in nats summed over every scored token of every document (documents are aggregated
/// by summing, lm-eval's `weighted_perplexity`). Words and bytes are counted on the
/// original text (`Perplexity.wordCount`, UTF-8 bytes), as lm-eval counts them before
/// detokenisation. lm-eval reports no token perplexity; the GPT-2 paper's WikiText numbers
/// are token-level.
public struct PerplexityResult: Codable, Equatable, Sendable {
    /// Which windowing produced the numbers (`PerplexityConvention.description`).
    public var convention: String
    /// The model context L used for the windows.
    public var contextLength: Int
    /// Number of documents.
    public var documents: Int
    /// Σ NLL in nats.
    public var totalNLL: Double
    /// Number of scored tokens.
    public var tokens: Int
    /// Number of words (lm-eval's whitespace split).
    public var words: Int
    /// Number of UTF-8 bytes.
    public var bytes: Int

    /// exp(Σ NLL / tokens).
    public var tokenPerplexity: Double { exp(totalNLL / Double(tokens)) }
    /// exp(Σ NLL / words).
    public var wordPerplexity: Double { exp(totalNLL / Double(words)) }
    /// exp(Σ NLL / bytes).
    public var bytePerplexity: Double { exp(totalNLL / Double(bytes)) }
    /// Σ NLL / (bytes · ln 2) = log₂(byte perplexity).
    public var bitsPerByte: Double { totalNLL / (Double(bytes) * log(2)) }
}

/// Perplexity of a causal language model on documents.
public enum Perplexity {
    /// lm-eval's word count, `len(re.split(r"\s+", text))`: the number of whitespace runs
    /// plus one, so leading or trailing whitespace adds an empty "word" and "" counts 1.
    /// Whitespace is Unicode's White_Space property (Python's `\s` on `str`, up to the few
    /// separators the two definitions disagree on).
    public static func wordCount(_ text: String) -> Int {
        var runs = 0
        var inRun = false
        for scalar in text.unicodeScalars {
            let space = scalar.properties.isWhitespace
            if space && !inRun { runs += 1 }
            inRun = space
        }
        return runs + 1
    }

    /// Evaluates documents given as text.
    /// - Parameters:
    ///   - model: the model (dropout is switched off while scoring).
    ///   - documents: one string per document (Hugging Face's recipe joins a whole split
    ///     with "\n\n" into one document; lm-eval scores each page on its own).
    ///   - encoder: the tokenizer.
    ///   - convention: windowing, default lm-eval's.
    ///   - contextLength: L, default the model's `contextLength`.
    ///   - prefixTokenID: the token before the first one (`rollingDisjoint`), default the
    ///     model's end-of-text id, as lm-eval uses for GPT-2.
    ///   - batchSize: windows per forward pass.
    /// - Throws: `EvaluationError` for bad arguments, the tokenizer's and model's errors.
    public static func evaluate(
        model: any CausalLanguageModel, documents: [String], encoder: TokenEncoder,
        convention: PerplexityConvention = .rollingDisjoint, contextLength: Int? = nil, prefixTokenID: Int? = nil,
        batchSize: Int = 8
    ) throws -> PerplexityResult {
        try evaluate(
            model: model, documents: documents.map { (try encoder.encode($0), $0) }, convention: convention,
            contextLength: contextLength, prefixTokenID: prefixTokenID, batchSize: batchSize)
    }

    /// Evaluates tokenised documents, each with its original text (for words and bytes).
    /// - Throws: `EvaluationError` for a context beyond the model's or a bad stride.
    public static func evaluate(
        model: any CausalLanguageModel, documents: [(ids: [Int], text: String)],
        convention: PerplexityConvention = .rollingDisjoint, contextLength: Int? = nil, prefixTokenID: Int? = nil,
        batchSize: Int = 8
    ) throws -> PerplexityResult {
        try evaluateDocuments(
            model: model, documents: documents, convention: convention, contextLength: contextLength,
            prefixTokenID: prefixTokenID, batchSize: batchSize
        ).total
    }

    /// As `evaluate`, with each document's own result beside the total (the rows of
    /// `perplexity_documents.jsonl`). Windows of all documents share batches; the total is
    /// summed window by window in document order, so it equals `evaluate`'s.
    /// - Throws: `EvaluationError` for a context beyond the model's or a bad stride.
    public static func evaluateDocuments(
        model: any CausalLanguageModel, documents: [(ids: [Int], text: String)],
        convention: PerplexityConvention = .rollingDisjoint, contextLength: Int? = nil, prefixTokenID: Int? = nil,
        batchSize: Int = 8
    ) throws -> (total: PerplexityResult, documents: [PerplexityResult]) {
        let L = contextLength ?? model.dimensions.contextLength
        guard L >= 1, L <= model.dimensions.contextLength else {
            throw EvaluationError.invalidArgument(
                name: "context length", reason: "\(L) must lie in 1…\(model.dimensions.contextLength)")
        }
        let prefix = prefixTokenID ?? model.dimensions.endOfTextID
        var windows: [ScoredSequence] = []
        var owner: [Int] = []
        var result = PerplexityResult(
            convention: convention.description, contextLength: L, documents: documents.count, totalNLL: 0, tokens: 0,
            words: 0, bytes: 0)
        var perDocument: [PerplexityResult] = []
        for (index, document) in documents.enumerated() {
            let sequence = convention == .rollingDisjoint ? [prefix] + document.ids : document.ids
            for w in try convention.windows(tokenCount: document.ids.count, contextLength: L) {
                let scored = [Bool](repeating: false, count: w.targetStart - w.inputStart)
                    + [Bool](repeating: true, count: w.targetEnd - w.targetStart)
                windows.append(try ScoredSequence(ids: Array(sequence[w.inputStart..<w.targetEnd]), scored: scored, text: ""))
                owner.append(index)
            }
            let (words, bytes) = (wordCount(document.text), document.text.utf8.count)
            result.words += words
            result.bytes += bytes
            perDocument.append(
                PerplexityResult(
                    convention: result.convention, contextLength: L, documents: 1, totalNLL: 0, tokens: 0, words: words, bytes: bytes))
        }
        for (statistics, index) in zip(try model.tokenStatistics(windows, batchSize: batchSize), owner) {
            result.totalNLL -= statistics.logProbabilities.reduce(0, +)
            result.tokens += statistics.logProbabilities.count
            perDocument[index].totalNLL -= statistics.logProbabilities.reduce(0, +)
            perDocument[index].tokens += statistics.logProbabilities.count
        }
        return (result, perDocument)
    }
}
