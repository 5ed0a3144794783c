import ArgumentParser
import Foundation
import LetheTensor
import LetheEvaluation
import LetheRecipes
import LetheLayers
import LetheReports
import LetheStorage
import LetheText
import LetheUnlearning

/// A model Lethe can load: a Hugging Face GPT-2 folder or a Lethe checkpoint (`.h5`).
func loadModel(_ path: String) throws -> any CausalLanguageModel { try ModelFile.load(path) }

/// The tokenizer of `--model` when no `--tokenizer` is given: a GGUF model's own vocabulary,
/// else `tokenizer.json` in the model's folder (the folder holding it, for a checkpoint file).
/// - Throws: `ValidationError` asking for `--tokenizer` when there is none.
func tokenizerPath(ofModel model: String) throws -> String {
    if model.hasSuffix(".gguf") { return model }
    var isFolder: ObjCBool = false
    let folder = FileManager.default.fileExists(atPath: model, isDirectory: &isFolder) && isFolder.boolValue
        ? model : URL(fileURLWithPath: model).deletingLastPathComponent().path
    let path = folder + "/tokenizer.json"
    guard FileManager.default.fileExists(atPath: path) else {
        throw ValidationError("--tokenizer is required (\(folder) holds no tokenizer.json)")
    }
    return path
}

/// A failure of a command's work (not of its arguments): printed as `Error: <message>`
/// without the usage line.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `lethe eval SUITE`: the model, tokenizer, data sets and suite options of one evaluation
/// suite, run through `Evaluation.run` (the path `lethe run` takes) into `--out`.
struct SuiteArguments: ParsableArguments {
    @Option(help: "A Hugging Face GPT-2 folder or a Lethe checkpoint (.h5).")
    var model: String?
    @Option(help: "tokenizer.json, or a folder holding it (default: the model folder's tokenizer.json).")
    var tokenizer: String?
    @Option(help: "A data set the suite reads, NAME=FILE (JSONL/CSV/TXT); repeat for each set. Names are the suite's (see its options).")
    var data: [String] = []
    @Option(name: .customLong("option"), help: "A suite option, KEY=VALUE; VALUE is YAML flow or JSON (3, text, true, [a, b], {k: v}); repeatable.")
    var options: [String] = []
    @Option(help: "Evaluation folder: results.json gains this suite's entry; per-example rows are written beside it.")
    var out: String?
    @Option(help: "Row label (default: the folder's existing label, else its name).")
    var label: String?
    @Option(help: "Seed of bootstrap resamples and sampled generations.")
    var seed: UInt64 = 0
    @Option(help: "Toxicity classifier folder (from train-toxicity) that `scorer: run` means.")
    var classifier: String?

    /// Builds the suite `name` from the registry and runs it; prints its table.
    func run(suite name: String, retrainedAUC: (([String]) -> [String: Double]?)? = nil) throws {
        guard let out else { throw ValidationError("--out is required (the evaluation folder results.json is written to)") }
        let built: (name: String, suite: any EvaluationSuite)
        do {
            built = try EvalCommand.suites.make(PluginChoice(name: name, options: try OptionAssignments.parse(options)))
        } catch let error as OptionError {
            throw ValidationError("\(error)")
        }
        let sets = try loadData(for: built.suite)
        let (model, tokens) = try loadModelAndTokenizer(usesLanguageModel: type(of: built.suite).usesLanguageModel)
        let classifier = self.classifier
        var loaded: [String: ToxicityClassifier] = [:]
        let context = EvaluationContext(
            model: model, tokenizer: tokens,
            dataset: { set in
                guard let examples = sets[set] else { throw CommandError("the suite reads data set '\(set)': give --data \(set)=FILE") }
                return examples
            },
            seed: seed, loadModel: loadModel,
            toxicityScorer: { path in
                guard let folder = path ?? classifier else {
                    throw CommandError("scorer: run needs --classifier DIR here (or --option scorer.path=DIR)")
                }
                if let scorer = loaded[folder] { return scorer }
                let scorer = try ToxicityClassifier.load(directory: folder)
                loaded[folder] = scorer
                return scorer
            },
            retrainedAUC: retrainedAUC?((built.suite as? MembershipSuite)?.attackLabels ?? []), log: { print($0) })
        let label = try self.label ?? RunResults.load(folder: out, orEmpty: true).label
        let results: RunResults
        do {
            results = try Evaluation.run(suites: [built], context: context, label: label, folder: out, merge: true)
        } catch let error as OptionErrors {
            throw CommandError("\(error)")
        }
        if let summary = results.suites[built.name] { print(try summary.table(title: built.name).markdown(), terminator: "") }
        print("updated \(out)/results.json")
    }

    /// The `--data` sets, each read as the suite's requirement says (a `.txt` file is one
    /// document for perplexity).
    private func loadData(for suite: any EvaluationSuite) throws -> [String: [TextExample]] {
        let wanted = suite.requirements
        var sets: [String: [TextExample]] = [:]
        for assignment in data {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw ValidationError("--data \(assignment): expected NAME=FILE")
            }
            let (name, path) = (String(assignment[..<equals]), String(assignment[assignment.index(after: equals)...]))
            guard let requirement = wanted.first(where: { $0.name == name }) else {
                throw ValidationError("--data \(name): the suite reads no set of that name; it reads \(wanted.map(\.description).joined(separator: "; "))")
            }
            guard sets[name] == nil else { throw ValidationError("--data \(name) is given twice") }
            sets[name] = try DatasetLoader.load(path: path, textUnit: requirement.textUnit)
        }
        return sets
    }

    /// The model and tokenizer; a suite that does not use the language model runs on the
    /// `--classifier`'s own model when no `--model` is given.
    private func loadModelAndTokenizer(usesLanguageModel: Bool) throws -> (any CausalLanguageModel, any TextTokenizer) {
        guard let model else {
            guard !usesLanguageModel, let classifier else { throw ValidationError("--model is required") }
            let loaded = try ToxicityClassifier.load(directory: classifier)
            guard let decoder = loaded.model as? any CausalLanguageModel else {
                throw ValidationError("--model is required: the classifier \(classifier) is an encoder (\(loaded.model.family)), not a language model")
            }
            return (decoder, loaded.tokenizer)
        }
        let path = try tokenizer ?? tokenizerPath(ofModel: model)
        let (network, encoder) = (try loadModel(model), try ModelFile.loadTokenizer(path))
        try network.requireFits(tokenizer: encoder, tokenizerSource: path, modelSource: model)
        return (network, encoder)
    }
}

extension EvalCommand {
    /// The suites `lethe eval` reaches: those of `Lethe.plugins` (a program built on this
    /// command line adds its own there), the same a recipe's evaluate stage resolves.
    static var suites: Registry<any EvaluationSuite.Type> { Lethe.plugins.suites }

    struct Perplexity: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Token, word and byte perplexity and bits per byte of documents (the perplexity suite).",
            discussion: """
                Reads --data heldout=FILE (JSONL/CSV with text; a .txt file is one document). Options: \
                convention=rolling_disjoint|sliding_window, stride=N, context=N, batch_size=N, data=NAME.
                """)
        @OptionGroup var suite: SuiteArguments
        func run() throws { try suite.run(suite: "perplexity") }
    }

    struct Toxicity: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Toxicity of a model's continuations of prompts (the toxicity suite).",
            discussion: """
                Reads --data eval_prompts=FILE (prompt or text); scores with --classifier DIR. Options: \
                protocol=greedy|sampled, new_tokens=N (50 greedy, 20 sampled), samples=N (25), top_p=P (0.9), \
                scorer='{path: DIR}', data=NAME. Prompts keep their last (context - new_tokens) tokens.
                """)
        @OptionGroup var suite: SuiteArguments
        func run() throws { try suite.run(suite: "toxicity") }
    }

    struct Classification: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accuracy, precision, recall and F1 of a toxicity classifier on labelled sets (the classification suite).",
            discussion: """
                Reads --data classification_test=FILE (text and a 0/1 toxic label); scores with --classifier DIR \
                (no --model needed). Options: data='[set_a, set_b]', threshold=P (0.5), scorer='{path: DIR}'.
                """)
        @OptionGroup var suite: SuiteArguments
        func run() throws { try suite.run(suite: "classification") }
    }

    struct Suite: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Any registered evaluation suite by name, plugin suites included.")
        @Argument(help: "The suite's registry name.")
        var name: String
        @OptionGroup var suite: SuiteArguments
        func run() throws { try suite.run(suite: name) }
    }
}

/// `lethe table RUN...`: the comparison table of run folders.
public struct TableCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "table", abstract: "Print the table of run folders (Markdown) and write it as CSV and JSON.")

    @Argument(help: "Evaluation folders (results.json), run folders or study folders (their evaluations, in order).")
    var runs: [String]
    @Option(help: "detoxification (seed 003), classification (seed 000) or metrics (every suite's numbers).")
    var layout: String = "detoxification"
    @Option(help: "The membership attack whose ROC-AUC is shown.")
    var attack = "loss"
    @Option(help: "Prefix of the CSV and JSON files written.")
    var output = "table"
    @Flag(help: "One row per evaluation, instead of one per label averaged over seeds.")
    var perRun = false

    public func run() throws {
        guard let chosen = RunTables.Layout(rawValue: layout) else {
            throw ValidationError("--layout must be one of \(RunTables.Layout.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let results = try StudyResults.load(runs)
        let attack = try RunTables.attackLabel(self.attack, in: results)
        let table = chosen == .detoxification && !perRun
            ? try RunTables.detoxification(groups: RunTables.grouped(results), attack: attack)
            : try RunTables.table(results, layout: chosen, attack: attack)
        print(table.markdown())
        try AtomicFile.write(table.csv(), to: output + ".csv")
        try AtomicFile.write(table.json(), to: output + ".json")
        print("wrote \(output).csv and \(output).json")
    }
}
