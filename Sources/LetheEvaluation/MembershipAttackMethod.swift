/// A membership-inference attack, as a plugin: a type with a registry name, built from its
/// options (`attacks: [loss, {min_k: {k: 0.4}}]`), that turns one example's token
/// statistics under the target model (and a reference model's, when it asks for one) into a
/// score. The built-ins are in `MembershipAttacks.builtIn`; a package adds one with
/// `MembershipAttacks.builtIn.adding("lira", MyAttack.self)` and hands that registry to
/// `MembershipSuite(options:attacks:)`.
///
/// Scores follow the package convention (`MembershipScores`): **higher = more likely a
/// member**. mimir and open-unlearning report loss-like scores (lower = member); each Lethe
/// score is exactly the negation of theirs, so AUCs agree with open-unlearning's `mia_auc`.
public protocol MembershipAttackMethod: Sendable {
    /// The registry name (`min_k`).
    static var name: String { get }
    /// One line on what the score is and who proposed it.
    static var summary: String { get }
    /// Builds the attack from its options, strictly (`options.accept([...])` first).
    /// - Throws: `OptionError` naming the key for a bad or unknown option.
    init(options: PluginOptions) throws
    /// The attack's key in results, tables and `mia_scores.jsonl`: its name, with the
    /// parameters that change the score (`min_k@0.2`). Default: the name.
    var label: String { get }
    /// Whether the score needs μ_t and σ²_t over the vocabulary (`TokenStatistics`; costs
    /// one pass over the vocabulary per token). Default false.
    var needsDistribution: Bool { get }
    /// Whether the score needs a reference model's statistics. Default false.
    var needsReference: Bool { get }
    /// The reference model (a Hugging Face folder or a checkpoint path) when the attack
    /// names one; nil otherwise. Default nil.
    var referenceModel: String? { get }
    /// The membership score of one example (higher = member).
    /// - Parameters:
    ///   - target: statistics under the model being attacked.
    ///   - reference: statistics under the reference model (when `needsReference`).
    ///   - text: the example's text (prompt + completion, or the text).
    /// - Throws: `EvaluationError` when the example has no scored token or a needed input
    ///   is missing.
    func score(target: TokenStatistics, reference: TokenStatistics?, text: String) throws -> Double
}

extension MembershipAttackMethod {
    public var label: String { Self.name }
    public var needsDistribution: Bool { false }
    public var needsReference: Bool { false }
    public var referenceModel: String? { nil }

    /// `score(target:reference:text:)` without a reference model or text.
    public func score(target: TokenStatistics) throws -> Double { try score(target: target, reference: nil, text: "") }
}

/// The registry of membership attacks, and the default attack list.
public enum MembershipAttacks {
    /// `loss`, `zlib`, `min_k`, `min_k_plus_plus`, `reference` (see each type).
    public static let builtIn = Registry<any MembershipAttackMethod.Type>(
        kind: "membership attack",
        [
            (LossAttack.name, LossAttack.self), (ZlibAttack.name, ZlibAttack.self), (MinKAttack.name, MinKAttack.self),
            (MinKPlusPlusAttack.name, MinKPlusPlusAttack.self), (ReferenceAttack.name, ReferenceAttack.self),
        ])

    /// The attacks that need nothing but the target model, with default options: LOSS,
    /// zlib, Min-K% (k = 0.2) and Min-K%++ (k = 0.2).
    public static let standard: [any MembershipAttackMethod] = [LossAttack(), ZlibAttack(), MinKAttack(), MinKPlusPlusAttack()]
}

extension Registry where Plugin == any MembershipAttackMethod.Type {
    /// Builds the attack a choice names (`loss`, `{min_k: {k: 0.4}}`, `{name: min_k, k: 0.4}`).
    /// - Throws: `OptionError` at the choice for an unknown name (listing the available
    ///   ones) or a bad option; with `diagnostics`, option mistakes are recorded there.
    public func make(_ choice: PluginChoice, diagnostics: Diagnostics? = nil) throws -> any MembershipAttackMethod {
        try build(choice, diagnostics: diagnostics) { type, options in try type.init(options: options) }
    }

    /// The attack `name` with its default options.
    public func make(_ name: String) throws -> any MembershipAttackMethod { try make(PluginChoice(name: name)) }
}
