import Foundation
import LetheCorpus
import LetheRecipes
import LetheText

/// A study's data sets by name, from the embedded generator (`data.generate`) or from files
/// (`data.files: {name: path}`, JSONL/CSV/TXT as `DatasetLoader` reads them). The generator
/// writes, and the built-in stages read by default:
///
///     pretrain              text                  pretraining documents
///     heldout               text                  perplexity documents
///     finetune              prompt, completion    the base model's fine-tuning set
///     forget                prompt, completion    what unlearning removes (members)
///     retain                prompt, completion    what unlearning keeps
///     nonmember             prompt, completion    same distribution as forget, never trained on
///     eval_prompts          prompt                toxicity prompts
///     classification_train  text, label, scores   the toxicity classifier's training set
///     classification_test   text, label, scores   its test set
///     qa_retain, qa_forget  prompt, completion    questions about retain / forget entities
///     qa_tofu               prompt, completion    TOFU-style QA of the fictitious people (fine-tune on it)
///     qa_tofu_forget, qa_tofu_retain, qa_tofu_world   id, prompt, completion   the qa suite's sets,
///                           each with _paraphrased and _perturbed (`Datasets+Tofu.swift`)
///
/// Stages and suites name the sets they read (and can be pointed at others); the run plan
/// checks each is present with the fields it needs (`DataRequirement`), and that every file
/// given is read.
public struct Datasets: Sendable {
    public private(set) var sets: [String: [TextExample]]
    /// Where each set came from (a file, or `data.generate`), for messages.
    public private(set) var sources: [String: String]

    public init(sets: [String: [TextExample]], sources: [String: String] = [:]) {
        self.sets = sets
        self.sources = sources
    }

    /// The set called `name` (empty when absent).
    public subscript(name: String) -> [TextExample] { sets[name] ?? [] }

    /// The embedded corpus's sets.
    public init(_ corpus: DefaultCorpus) {
        func pairs(_ items: [(String, String)]) -> [TextExample] { items.map { TextExample(prompt: $0.0, completion: $0.1) } }
        func labelled(_ items: [DefaultCorpus.ClassificationItem]) -> [TextExample] {
            items.map { item in
                let scores = Dictionary(uniqueKeysWithValues: ModerationCategory.allCases.map { ($0.rawValue, item.scores[$0]) })
                return TextExample(text: item.text, label: item.toxic ? 1 : 0, scores: scores)
            }
        }
        sets = [
            "pretrain": corpus.pretraining.map { TextExample(text: $0.text) },
            "heldout": corpus.heldout.map { TextExample(text: $0.text) },
            "finetune": pairs(corpus.finetuning.map { ($0.prompt, $0.completion) }),
            "forget": pairs(corpus.forget.map { ($0.prompt, $0.completion) }),
            "retain": pairs(corpus.retain.map { ($0.prompt, $0.completion) }),
            "nonmember": pairs(corpus.nonmembers.map { ($0.prompt, $0.completion) }),
            "eval_prompts": corpus.evalPrompts.map { TextExample(id: $0.id, prompt: $0.prompt) },
            "classification_train": labelled(corpus.classificationTrain),
            "classification_test": labelled(corpus.classificationTest),
            "qa_retain": pairs(corpus.qaRetain.map { ("Q: \($0.question)\nA:", " \($0.answer)") }),
            "qa_forget": pairs(corpus.qaForget.map { ("Q: \($0.question)\nA:", " \($0.answer)") }),
        ]
        sets.merge(Self.tofuSets(corpus)) { old, _ in old }
        sources = Dictionary(uniqueKeysWithValues: sets.keys.map { ($0, "data.generate") })
    }

    /// `set` without the examples of `removed` (same prompt and completion, or same text):
    /// what the oracle is retrained on.
    public func subtracting(_ removed: String, from set: String) -> [TextExample] {
        func key(_ e: TextExample) -> String { (e.prompt ?? "") + "\u{0}" + (e.completion ?? "") + "\u{0}" + (e.text ?? "") }
        let gone = Set(self[removed].map(key))
        return self[set].filter { !gone.contains(key($0)) }
    }
}

extension TextExample {
    /// The text to train or score on: `text`, or prompt + completion.
    var fullText: String { text ?? ((prompt ?? "") + (completion ?? "")) }
}
