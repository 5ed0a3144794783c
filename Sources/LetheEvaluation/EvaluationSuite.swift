/// An evaluation suite, as a plugin: a type with a registry name, built strictly from its
/// options (a recipe's `evaluate` stage, or `lethe eval SUITE --option key=value`), that
/// declares the data sets it reads and turns an `EvaluationContext` into a `SuiteResult`.
/// The same suite value serves `lethe run` and `lethe eval` through `Evaluation.run`.
///
/// A suite reads its options with `options.accept([...])` first, so a typo lists the
/// accepted keys; every default lives in the suite and is documented once, in its doc
/// comment. A package adds a suite with `EvaluationSuites.builtIn.adding("name", MySuite.self)`;
/// a suite that is not built in returns `.generic(metrics)` and shows in
/// `RunTables.metrics`.
public protocol EvaluationSuite {
    /// The registry name (`membership`).
    static var name: String { get }
    /// One line on what it measures.
    static var summary: String { get }
    /// Whether the suite uses the language model under evaluation (default true);
    /// `classification` scores a classifier only, so `lethe eval classification` needs no
    /// `--model`.
    static var usesLanguageModel: Bool { get }
    /// Whether the suite scores with the toxicity classifier the run trains (`scorer: run`):
    /// a run then needs its `classification_train` set. Default false.
    var usesRunClassifier: Bool { get }
    /// Builds the suite from its options.
    /// - Throws: `OptionError` naming the key (and listing the accepted ones for an unknown
    ///   key).
    init(options: PluginOptions) throws
    /// The data sets it reads and the fields their records need.
    var requirements: [DataRequirement] { get }
    /// Runs the evaluation.
    /// - Throws: the suite's, model's and data's errors.
    func evaluate(_ context: EvaluationContext) throws -> SuiteResult
}

extension EvaluationSuite {
    public static var usesLanguageModel: Bool { true }
    public var usesRunClassifier: Bool { false }
}

/// The registry of evaluation suites.
public enum EvaluationSuites {
    /// `perplexity`, `membership`, `toxicity`, `classification`, `quantization`, `qa`, `probe`, `logit_lens`.
    public static let builtIn = Registry<any EvaluationSuite.Type>(
        kind: "evaluation suite",
        [
            (PerplexitySuite.name, PerplexitySuite.self), (MembershipSuite.name, MembershipSuite.self),
            (ToxicitySuite.name, ToxicitySuite.self), (ClassificationSuite.name, ClassificationSuite.self),
            (QuantizationSuite.name, QuantizationSuite.self), (QuestionAnswerSuite.name, QuestionAnswerSuite.self),
            (ResidualProbeSuite.name, ResidualProbeSuite.self), (LogitLensSuite.name, LogitLensSuite.self),
        ])
}

extension Registry where Plugin == any EvaluationSuite.Type {
    /// Builds the suite a choice names (`perplexity`, `{membership: {resamples: 200}}`,
    /// `{name: toxicity, protocol: sampled}`), with the name it runs under.
    /// - Throws: `OptionError` at the choice for an unknown name (listing the available
    ///   ones) or a bad option; with `diagnostics`, option mistakes are recorded there.
    public func make(_ choice: PluginChoice, diagnostics: Diagnostics? = nil) throws -> (name: String, suite: any EvaluationSuite) {
        (choice.name, try build(choice, diagnostics: diagnostics) { type, options in try type.init(options: options) })
    }
}
