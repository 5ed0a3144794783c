import LetheText

/// `perplexity`: token, word and byte perplexity and bits per byte of held-out documents
/// (`Perplexity`, formulas and conventions there).
///
/// Options (defaults):
/// - `data` (`heldout`): the documents, records with `text`; a `.txt` file is one document.
/// - `convention` (`rolling_disjoint`): lm-evaluation-harness's disjoint rolling windows,
///   every token scored after an end-of-text prefix; or `sliding_window`, Hugging Face's
///   strided windows ("Perplexity of fixed-length models").
/// - `stride` (the context): the sliding window's stride, 1…context; only with
///   `sliding_window`.
/// - `context` (the model's context length): the window length L.
/// - `batch_size` (8): windows per forward pass.
///
/// Rows: `perplexity_documents.jsonl`, one `{"index", "nll", "tokens", "words", "bytes"}`
/// per document.
public struct PerplexitySuite: EvaluationSuite {
    public static let name = "perplexity"
    public static let summary = "token, word and byte perplexity of held-out documents (lm-eval rolling windows or an HF stride)"

    public var data: String
    /// `rolling_disjoint` or `sliding_window`.
    public var convention: String
    /// The sliding window's stride (nil = the context).
    public var stride: Int?
    public var context: Int?
    public var batchSize: Int
    private let origin: OptionOrigin

    public init(options: PluginOptions) throws {
        try options.accept(["data", "convention", "stride", "context", "batch_size"])
        data = try options.text("data", default: "heldout")
        convention = try options.text("convention", default: "rolling_disjoint", allowed: ["rolling_disjoint", "sliding_window"])
        stride = try options.optionalInt("stride", in: 1...OptionLimits.tokens)
        if convention == "rolling_disjoint", stride != nil {
            try options.problem(options.fail("stride", "applies to convention sliding_window only"))
        }
        context = try options.optionalInt("context", in: 1...OptionLimits.tokens)
        batchSize = try options.int("batch_size", default: 8, in: 1...OptionLimits.batchSize)
        origin = options["data"]?.origin ?? options.node.origin
    }

    public var requirements: [DataRequirement] {
        [DataRequirement(data, role: "documents", accepted: DataRequirement.text, textUnit: .document, origin: origin)]
    }

    public func evaluate(_ context: EvaluationContext) throws -> SuiteResult {
        let L = self.context ?? context.model.dimensions.contextLength
        let windows: PerplexityConvention = convention == "sliding_window" ? .slidingWindow(stride: stride ?? L) : .rollingDisjoint
        let texts = try context.dataset(data).map { $0.text ?? "" }
        let documents = texts.map { (ids: context.tokenizer.encode($0), text: $0) }
        let (total, perDocument) = try Perplexity.evaluateDocuments(
            model: context.model, documents: documents, convention: windows, contextLength: L, batchSize: batchSize)
        let rows: [[String: Any]] = perDocument.enumerated().map { i, r in
            ["index": i, "nll": r.totalNLL, "tokens": r.tokens, "words": r.words, "bytes": r.bytes]
        }
        context.log(
            "  perplexity: \(total.documents) documents, \(total.tokens) tokens, word PPL \(total.wordPerplexity) (\(total.convention))")
        return SuiteResult(summary: .perplexity(total), rows: [ExampleRows(file: "perplexity_documents.jsonl", rows: rows)])
    }
}
