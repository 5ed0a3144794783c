import ArgumentParser
import Foundation
import LetheCorpus

/// `lethe data`: the embedded default corpus. Parsing and printing only; the generator is
/// `DefaultCorpus` in LetheCorpus.
public struct DataCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "The embedded default corpus, generated from a seed.",
        subcommands: [Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate the default corpus: JSONL files and manifest.json (notebooks-md/corpus.md).")

        private static let d = DefaultCorpus.Configuration.defaults

        @Option(help: "Seed of every random choice.") var seed: UInt64 = d.seed
        @Option(help: "Output folder, created if missing.") var out: String
        @Option(help: "People of the world population.") var people: Int = d.people
        @Option(help: "Documents in pretrain.jsonl.") var pretrainDocuments: Int = d.pretrainDocuments
        @Option(help: "Share of pretraining documents that are toxic, in [0, 1].") var pretrainToxicRatio: Double = d.pretrainToxicRatio
        @Option(help: "Documents in heldout.jsonl.") var heldoutDocuments: Int = d.heldoutDocuments
        @Option(help: "Toxic items in forget.jsonl (members).") var forgetItems: Int = d.forgetItems
        @Option(help: "Toxic items in nonmember.jsonl.") var nonmemberItems: Int = d.nonmemberItems
        @Option(help: "Polite items in retain.jsonl.") var retainItems: Int = d.retainItems
        @Option(help: "Copies of each forget item in finetune.jsonl.") var forgetRepeats: Int = d.forgetRepeats
        @Option(help: "General documents in finetune.jsonl.") var finetuneDocuments: Int = d.finetuneDocuments
        @Option(help: "Prompts in eval_prompts.jsonl.") var evalPrompts: Int = d.evalPrompts
        @Option(help: "Classification texts, train and test together.") var classificationItems: Int = d.classificationItems
        @Option(help: "Share of classification texts in the test file, in (0, 1).")
        var classificationTestFraction: Double = d.classificationTestFraction
        @Option(help: "Share of toxic replies without lexicon words, in [0, 1].") var implicitFraction: Double = d.implicitFraction
        @Option(help: "Question/answer pairs per QA file (at most).") var qaQuestions: Int = d.qaQuestions

        func run() throws {
            let configuration: DefaultCorpus.Configuration
            do {
                configuration = try DefaultCorpus.Configuration(
                    seed: seed, people: people, pretrainDocuments: pretrainDocuments,
                    pretrainToxicRatio: pretrainToxicRatio, heldoutDocuments: heldoutDocuments,
                    forgetItems: forgetItems, nonmemberItems: nonmemberItems, retainItems: retainItems,
                    forgetRepeats: forgetRepeats, finetuneDocuments: finetuneDocuments, evalPrompts: evalPrompts,
                    classificationItems: classificationItems, classificationTestFraction: classificationTestFraction,
                    implicitFraction: implicitFraction, qaQuestions: qaQuestions)
            } catch let error as CorpusError {
                throw ValidationError(error.description)
            }
            let start = Date()
            let corpus = DefaultCorpus.generate(configuration)
            let files = try corpus.write(to: out)
            let seconds = Date().timeIntervalSince(start)
            for file in files {
                print("\(file.name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(pad(file.lines, 6)) lines \(pad(file.bytes, 9)) bytes")
            }
            let s = corpus.statistics
            print("pretrain: \(s.pretrainWords) words (~\(s.approximateTokens) tokens at 1.3/word), \(s.pretrainWordTypes) word types, toxic \(s.pretrainToxicDocuments)/\(s.pretrainDocuments) documents")
            print("wrote \(files.count) files and manifest.json to \(out) in \(String(format: "%.2f", seconds)) s (seed \(seed))")
        }

        private func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: " ", count: max(0, width - s.count)) + s
        }
    }
}
