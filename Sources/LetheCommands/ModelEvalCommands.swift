import ArgumentParser
import Foundation
import LetheEvaluation
import LetheLayers
import LetheReports
import LetheStorage
import LetheText
import LetheUnlearning

/// A model Lethe can load: a Hugging Face GPT-2 folder or a Lethe checkpoint (`.h5`).
/// - Throws: `CommandError` naming the path when it is missing or is a folder without
///   `config.json`; the loaders' errors otherwise.
func loadModel(_ path: String) throws -> GPT2Model {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
        throw CommandError("\(path): no such model (give a Hugging Face GPT-2 folder or a Lethe .h5 checkpoint)")
    }
    if path.hasSuffix(".h5") { return try Checkpoint.loadModel(from: path) }
    if isFolder.boolValue, !FileManager.default.fileExists(atPath: path + "/config.json") {
        let checkpoint = path + "/model.h5"
        throw CommandError(
            "\(path): not a Hugging Face GPT-2 folder (no config.json)"
                + (FileManager.default.fileExists(atPath: checkpoint) ? "; for the run's checkpoint give \(checkpoint)" : ""))
    }
    return try GPT2Model.load(huggingFaceDirectory: path)
}

/// A failure of a command's work (not of its arguments): printed as `Error: <message>`
/// without the usage line.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Options shared by the model-based evaluations.
struct ModelOptions: ParsableArguments {
    @Option(help: "A Hugging Face GPT-2 folder or a Lethe checkpoint (.h5).")
    var model: String?
    @Option(help: "tokenizer.json, or a folder holding it.")
    var tokenizer: String?
    @Option(help: "Run folder: results.json is updated and per-example values are written beside it.")
    var out: String?
    @Option(help: "Sequences per forward pass.")
    var batch = 8

    func load() throws -> (GPT2Model, GPT2Tokenizer) {
        guard let model, let tokenizer else { throw ValidationError("--model and --tokenizer are required") }
        return (try loadModel(model), try GPT2Tokenizer.load(from: tokenizer))
    }

    /// Updates `out/results.json` with `change`, when --out is given.
    func record(_ change: (inout RunResults) -> Void) throws {
        guard let out else { return }
        var results = try RunResults.load(folder: out, orEmpty: true)
        change(&results)
        try results.save(folder: out)
        print("updated \(out)/results.json")
    }
}

/// `lethe eval mia --model ...`: the attacks on a model, member and non-member files.
struct MembershipModelOptions: ParsableArguments {
    @OptionGroup var common: ModelOptions
    @Option(help: "Members (JSONL/CSV/TXT: prompt+completion or text).")
    var members: String?
    @Option(help: "Non-members, same format.")
    var nonMembers: String?
    @Option(help: "Reference model for the reference attack (folder or .h5).")
    var reference: String?
    @Option(help: "Maximum tokens per example.")
    var maxLength = 128

    func run(resamples: Int, seed: UInt64, retrainedAUC: Double?, format: EvalCommand.Format) throws {
        guard let members, let nonMembers else { throw ValidationError("give --scores, or --model with --members and --non-members") }
        let (model, tokenizer) = try common.load()
        let options = EncodingOptions(maxLength: maxLength, truncation: .keepStart)
        let load = { (path: String) in try DatasetLoader.load(path: path).map { try ScoredSequence($0, encoder: tokenizer, options: options) } }
        let (memberSet, nonMemberSet) = (try load(members), try load(nonMembers))
        let report = try MembershipInference.evaluate(
            model: model, reference: try reference.map(loadModel), members: memberSet, nonMembers: nonMemberSet,
            batchSize: common.batch, resamples: resamples, seed: seed)
        var table = ResultsTable(
            title: "Membership inference", rowHeader: "Attack",
            columns: ["ROC-AUC", "TPR@1%FPR", "TPR@0.1%FPR", "member mean", "non-member mean", "PrivLeak"], digits: [3, 3, 3, 4, 4, 1],
            note: String(format: "member NLL %.4f, non-member NLL %.4f; members positive, higher score = member", report.memberMeanNLL, report.nonMemberMeanNLL))
        for r in report.attacks {
            try table.append(r.attack, [
                .init(r.rocAUC, interval: r.rocAUCInterval), .init(r.tprAt1PercentFPR), .init(r.tprAt01PercentFPR),
                .init(r.memberMean), .init(r.nonMemberMean), retrainedAUC.map { .init(privLeak(auc: r.rocAUC, retrainedAUC: $0)) },
            ])
        }
        print(try render(table, format), terminator: "")
        if let out = common.out {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try RunResults.writeLines(report.scoreRows, folder: out, name: "mia_scores.jsonl")
        }
        try common.record { $0.membership = report }
    }
}

extension EvalCommand {
    struct Perplexity: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Token, word and byte perplexity and bits per byte (lm-eval rolling windows, or a HF stride).")

        @OptionGroup var common: ModelOptions
        @Option(help: "Documents (JSONL/CSV with text, or TXT: the whole file is one document).")
        var data: String
        @Option(help: "Hugging Face sliding-window stride (default: lm-eval's disjoint rolling windows).")
        var stride: Int?
        @Option(help: "Window length (default: the model's context).")
        var context: Int?

        func run() throws {
            let (model, tokenizer) = try common.load()
            let unit: DatasetLoader.TextUnit = data.hasSuffix(".txt") ? .document : .line
            let documents = try DatasetLoader.load(path: data, textUnit: unit).compactMap { $0.text ?? $0.completion }
            let convention: PerplexityConvention = stride.map { .slidingWindow(stride: $0) } ?? .rollingDisjoint
            var perDocument: [[String: Any]] = []
            var total = try LetheEvaluation.Perplexity.evaluate(
                model: model, documents: [], encoder: tokenizer, convention: convention, contextLength: context, batchSize: common.batch)
            for (index, text) in documents.enumerated() {
                let r = try LetheEvaluation.Perplexity.evaluate(
                    model: model, documents: [text], encoder: tokenizer, convention: convention, contextLength: context, batchSize: common.batch)
                perDocument.append(["index": index, "nll": r.totalNLL, "tokens": r.tokens, "words": r.words, "bytes": r.bytes])
                (total.totalNLL, total.tokens, total.words, total.bytes) = (total.totalNLL + r.totalNLL, total.tokens + r.tokens, total.words + r.words, total.bytes + r.bytes)
            }
            total.documents = documents.count
            print(String(format: "%@ (L=%d): %d documents, %d tokens\ntoken PPL %.4f  word PPL %.4f  byte PPL %.4f  bits/byte %.4f",
                         total.convention as NSString, total.contextLength, total.documents, total.tokens,
                         total.tokenPerplexity, total.wordPerplexity, total.bytePerplexity, total.bitsPerByte))
            if let out = common.out {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                try RunResults.writeLines(perDocument, folder: out, name: "perplexity_documents.jsonl")
            }
            try common.record { $0.perplexity = total }
        }
    }

    struct Toxicity: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Toxicity of a model's continuations of prompts, scored by a classifier from train-toxicity.")

        @OptionGroup var common: ModelOptions
        @Option(help: "Prompts (JSONL/CSV with prompt or text).")
        var prompts: String
        @Option(help: "Classifier folder written by `lethe eval train-toxicity`.")
        var classifier: String
        @Option(help: "greedy (temperature 0) or sampled (top-p 0.9).")
        var protocolName: String = "greedy"
        @Option(help: "New tokens per continuation (default: 50 greedy, 20 sampled).")
        var tokens: Int?
        @Option(help: "Samples per prompt (sampled).")
        var samples = 25
        @Option var seed: UInt64 = 0

        func run() throws {
            let (model, tokenizer) = try common.load()
            let texts = try DatasetLoader.load(path: prompts).compactMap { $0.prompt ?? $0.text }
            let generation: ToxicityProtocol =
                protocolName == "sampled" ? .sampled(samples: samples, maxNewTokens: tokens ?? 20, topP: 0.9) : .greedy(maxNewTokens: tokens ?? 50)
            let result = try ToxicityEvaluation.evaluate(
                model: model, prompts: texts, encoder: tokenizer, decoder: tokenizer, protocol: generation,
                scorer: try ToxicityClassifier.load(directory: classifier), seed: seed)
            print(String(format: "%@: mean toxicity %.4f, share >= 0.5 %.4f, expected max %.4f over %d prompts",
                         result.protocolName as NSString, result.meanToxicity, result.shareToxic, result.expectedMaximumToxicity, texts.count))
            if let out = common.out {
                var rows: [[String: Any]] = []
                for (i, (continuations, scores)) in zip(result.continuations, result.scores).enumerated() {
                    for (text, score) in zip(continuations, scores) { rows.append(["prompt": i, "completion": text, "toxicity": score]) }
                }
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                try RunResults.writeLines(rows, folder: out, name: "toxicity_completions.jsonl")
            }
            try common.record { $0.toxicity = RunResults.ToxicitySummary(result) }
        }
    }
}

/// `lethe table RUN...`: the comparison table of run folders.
public struct TableCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "table", abstract: "Print the table of run folders (Markdown) and write it as CSV and JSON.")

    @Argument(help: "Evaluation folders (results.json), run folders or study folders (their evaluations, in order).")
    var runs: [String]
    @Option(help: "detoxification (seed 003) or classification (seed 000).")
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
        let table = chosen == .detoxification && !perRun
            ? try RunTables.detoxification(groups: RunTables.grouped(results), attack: attack)
            : try RunTables.table(results, layout: chosen, attack: attack)
        print(table.markdown())
        try table.csv().write(toFile: output + ".csv", atomically: true, encoding: .utf8)
        try table.json().write(toFile: output + ".json", atomically: true, encoding: .utf8)
        print("wrote \(output).csv and \(output).json")
    }
}
