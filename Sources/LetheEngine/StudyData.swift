import Foundation
import LetheCorpus
import LetheRecipes
import LetheText

/// The data sets of a study, from the embedded generator (`data.generate`) or from files
/// (`data.files`, JSONL/CSV/TXT as `DatasetLoader` reads them):
///
///     pretrain              text                 pretraining documents
///     heldout               text                 perplexity documents
///     finetune              prompt, completion   the base model's fine-tuning set
///     forget                prompt, completion   what unlearning removes (members)
///     retain                prompt, completion   what unlearning keeps
///     nonmember             prompt, completion   same distribution as forget, never trained on
///     eval_prompts          prompt (or text)     toxicity prompts
///     classification_train  text, toxic (0/1)    the toxicity scorer's training set
///
/// Only the sets the recipe's stages use are required; a missing one is an error naming the
/// stage and the key.
struct StudyData {
    struct Pair: Equatable {
        var prompt: String
        var completion: String
    }

    var pretraining: [String] = []
    var heldout: [String] = []
    var finetuning: [Pair] = []
    var forget: [Pair] = []
    var retain: [Pair] = []
    var nonmembers: [Pair] = []
    var evalPrompts: [String] = []
    var classificationTrain: [(text: String, toxic: Bool)] = []

    /// The fine-tuning set without the forget set's pairs (what the oracle is trained on).
    var finetuningWithoutForget: [Pair] {
        let forgotten = Set(forget.map { $0.prompt + "\u{0}" + $0.completion })
        return finetuning.filter { !forgotten.contains($0.prompt + "\u{0}" + $0.completion) }
    }

    init(_ corpus: DefaultCorpus) {
        pretraining = corpus.pretraining.map(\.text)
        heldout = corpus.heldout.map(\.text)
        finetuning = corpus.finetuning.map { Pair(prompt: $0.prompt, completion: $0.completion) }
        forget = corpus.forget.map { Pair(prompt: $0.prompt, completion: $0.completion) }
        retain = corpus.retain.map { Pair(prompt: $0.prompt, completion: $0.completion) }
        nonmembers = corpus.nonmembers.map { Pair(prompt: $0.prompt, completion: $0.completion) }
        evalPrompts = corpus.evalPrompts.map(\.prompt)
        classificationTrain = corpus.classificationTrain.map { ($0.text, $0.toxic) }
    }

    /// Reads `files` (key → path, as in the recipe).
    init(files: [String: String]) throws {
        func load(_ key: String) throws -> [TextExample] {
            guard let path = files[key] else { return [] }
            return try DatasetLoader.load(path: path)
        }
        func texts(_ key: String) throws -> [String] {
            try load(key).map { example in
                guard let text = example.text ?? example.prompt else {
                    throw EngineError.invalid("\(example.source):\(example.line): data.files.\(key) needs a text field")
                }
                return text
            }
        }
        func pairs(_ key: String) throws -> [Pair] {
            try load(key).map { example in
                guard let prompt = example.prompt, let completion = example.completion else {
                    throw EngineError.invalid("\(example.source):\(example.line): data.files.\(key) needs prompt and completion fields")
                }
                return Pair(prompt: prompt, completion: completion)
            }
        }
        pretraining = try texts("pretrain")
        heldout = try texts("heldout")
        finetuning = try pairs("finetune")
        forget = try pairs("forget")
        retain = try pairs("retain")
        nonmembers = try pairs("nonmember")
        evalPrompts = try texts("eval_prompts")
        classificationTrain = try load("classification_train").map { example in
            guard let text = example.text, let label = example.label else {
                throw EngineError.invalid("\(example.source):\(example.line): data.files.classification_train needs text and toxic fields")
            }
            return (text, label != 0)
        }
    }

    /// Checks that every set the stages read is present.
    func check(for stages: [Recipe.Stage]) throws {
        func need(_ set: Bool, _ key: String, _ stage: String) throws {
            if !set { throw EngineError.invalid("stage \(stage) needs data.files.\(key) (empty or missing)") }
        }
        for stage in stages {
            switch stage {
            case .pretrain: try need(!pretraining.isEmpty, "pretrain", "pretrain")
            case .finetune: try need(!finetuning.isEmpty, "finetune", "finetune")
            case .retrain: try need(!finetuningWithoutForget.isEmpty, "finetune", "retrain")
            case .unlearn:
                try need(!forget.isEmpty, "forget", "unlearn")
                try need(!retain.isEmpty, "retain", "unlearn")
            case let .evaluate(perplexity, attacks, toxicity):
                if perplexity { try need(!heldout.isEmpty, "heldout", "evaluate") }
                if !attacks.isEmpty {
                    try need(!forget.isEmpty, "forget", "evaluate")
                    try need(!nonmembers.isEmpty, "nonmember", "evaluate")
                }
                if toxicity != nil {
                    try need(!evalPrompts.isEmpty, "eval_prompts", "evaluate")
                    try need(classificationTrain.count >= 2, "classification_train", "evaluate")
                }
            }
        }
    }
}
