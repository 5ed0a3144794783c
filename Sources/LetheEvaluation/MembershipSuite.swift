import LetheLayers
import LetheText

/// `membership`: membership inference of the model on members (the forget set) against
/// non-members (`MembershipInference`; convention: members positive, higher score =
/// member, ROC-AUC = Mann-Whitney with ties ½, see `MembershipScores`), and PrivLeak
/// (MUSE) against the retrained oracle when the context holds its AUCs.
///
/// Options (defaults):
/// - `members` (`forget`), `non_members` (`nonmember`): the two sets; records are
///   prompt/completion pairs (only the completion scored) or plain texts.
/// - `attacks` (`[loss, zlib, min_k]`): a list of attack choices from the attack registry,
///   e.g. `[loss, zlib, {min_k: {k: 0.2}}, min_k_plus_plus, {reference: {model: PATH}}]`
///   (see `MembershipAttacks.builtIn`; `min_k_plus_plus` costs a pass over the vocabulary per
///   token, `reference` loads its model through the context).
/// - `resamples` (1000): stratified bootstrap replicates of each ROC-AUC's 95% interval
///   (`Bootstrap.stratifiedInterval`), seeded by the context's seed; 0 = no interval.
/// - `max_length` (the model's context length): tokens kept per example.
/// - `truncation` (`drop_prompt_start`): `drop_prompt_start` keeps the completion whole,
///   `keep_start` keeps the first tokens, `error` refuses a long example.
/// - `batch_size` (8): sequences per forward pass.
///
/// Rows: `mia_scores.jsonl` (`MembershipReport.scoreRows`; the ROC plot reads it).
public struct MembershipSuite: EvaluationSuite {
    public static let name = "membership"
    public static let summary = "membership inference, members (forget) vs non-members: ROC-AUC with a bootstrap CI, TPR@FPR, PrivLeak"

    public var members: String
    public var nonMembers: String
    public var attacks: [any MembershipAttackMethod]
    public var resamples: Int
    public var maxLength: Int?
    public var truncation: Truncation
    public var batchSize: Int
    private let origins: (members: OptionOrigin, nonMembers: OptionOrigin)

    /// The attacks when none are given.
    public static let defaultAttacks = ["loss", "zlib", "min_k"]

    public init(options: PluginOptions) throws { try self.init(options: options, attacks: MembershipAttacks.builtIn) }

    /// Builds the suite with attacks looked up in `registry` (a package's own attacks).
    public init(options: PluginOptions, attacks registry: Registry<any MembershipAttackMethod.Type>) throws {
        try options.accept(["members", "non_members", "attacks", "resamples", "max_length", "truncation", "batch_size"])
        members = try options.text("members", default: "forget")
        nonMembers = try options.text("non_members", default: "nonmember")
        resamples = try options.int("resamples", default: 1000, in: 0...OptionLimits.repetitions)
        if resamples == 1 { try options.problem(options.fail("resamples", "must be 0 (no interval) or at least 2")) }
        maxLength = try options.optionalInt("max_length", in: 2...OptionLimits.tokens)
        let truncations: [String: Truncation] = ["drop_prompt_start": .dropPromptStart, "keep_start": .keepStart, "error": .error]
        truncation = truncations[try options.text("truncation", default: "drop_prompt_start", allowed: truncations.keys.sorted())] ?? .dropPromptStart
        batchSize = try options.int("batch_size", default: 8, in: 1...OptionLimits.batchSize)
        origins = (options["members"]?.origin ?? options.node.origin, options["non_members"]?.origin ?? options.node.origin)
        attacks = try Self.attacks(options, registry)
    }

    /// The attack choices under `attacks` (a name alone is a list of one), built and checked:
    /// a reference attack needs its model; two attacks may not share a label.
    private static func attacks(_ options: PluginOptions, _ registry: Registry<any MembershipAttackMethod.Type>) throws
        -> [any MembershipAttackMethod]
    {
        let given = options["attacks"]
        let nodes = given.map { $0.items ?? [$0] } ?? defaultAttacks.map { OptionNode(.text($0), origin: options.node.origin) }
        if nodes.isEmpty { try options.problem(options.fail("attacks", "needs at least one attack")) }
        var built: [any MembershipAttackMethod] = []
        for node in nodes {
            do {
                let attack = try registry.make(try PluginChoice(node), diagnostics: options.diagnostics)
                if attack.needsReference, attack.referenceModel == nil {
                    throw OptionError(
                        origin: node.origin, owner: options.owner, reason: "the \(attack.label) attack needs its model: {reference: {model: PATH}}")
                }
                if built.contains(where: { $0.label == attack.label }) {
                    throw OptionError(origin: node.origin, owner: options.owner, reason: "attack \(attack.label) is listed twice")
                }
                built.append(attack)
            } catch let error as OptionError {
                try options.problem(OptionError(origin: error.origin, owner: error.owner.isEmpty ? options.owner : error.owner, reason: error.reason))
            }
        }
        return built
    }

    public var requirements: [DataRequirement] {
        [
            DataRequirement(members, role: "members", accepted: DataRequirement.pairOrText, origin: origins.members),
            DataRequirement(nonMembers, role: "non-members", accepted: DataRequirement.pairOrText, origin: origins.nonMembers),
        ]
    }

    /// The labels of the attacks, in order (the keys of the report and of PrivLeak).
    public var attackLabels: [String] { attacks.map(\.label) }

    public func evaluate(_ context: EvaluationContext) throws -> SuiteResult {
        let encoding = EncodingOptions(maxLength: maxLength ?? context.model.dimensions.contextLength, truncation: truncation)
        func sequences(_ set: String) throws -> [ScoredSequence] {
            try context.dataset(set).map { try ScoredSequence($0, encoder: context.tokenizer, options: encoding) }
        }
        var references: [String: any CausalLanguageModel] = [:]
        for path in attacks.compactMap(\.referenceModel) where references[path] == nil {
            context.log("  membership: loading the reference model \(path)")
            references[path] = try context.loadModel(path)
        }
        var report = try MembershipInference.evaluate(
            model: context.model, references: references, members: sequences(members), nonMembers: sequences(nonMembers),
            attacks: attacks, batchSize: batchSize, resamples: resamples, seed: context.seed)
        if let retrained = context.retrainedAUC { report.privLeak = report.privLeak(against: retrained) }
        context.log("  membership: " + report.attacks.map { "\($0.attack) AUC \($0.rocAUC)" }.joined(separator: ", "))
        return SuiteResult(summary: .membership(report), rows: [ExampleRows(file: "mia_scores.jsonl", rows: report.scoreRows)])
    }
}
