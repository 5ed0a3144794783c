import Foundation
import LetheEvaluation
import LetheLayers
import LetheRecipes
import LetheStorage
import LetheTensor
import LetheText
import LetheUnlearning

/// How a recipe's names and option maps become Lethe values.
extension RecipeRunner {
    func loadData() throws -> DefaultCorpus {
        guard case let .generate(options) = recipe.data else {
            throw EngineError.invalid("\(recipe.name): data.files is not supported by lethe run yet; use data.generate")
        }
        var object = json(options)
        if object["seed"] == nil { object["seed"] = recipe.seed }
        do {
            let configuration = try JSONDecoder().decode(DefaultCorpus.Configuration.self, from: JSONSerialization.data(withJSONObject: object))
            return DefaultCorpus.generate(configuration)
        } catch {
            throw EngineError.invalid("\(recipe.name): data.generate: \(error)")
        }
    }

    func loadTokenizer(_ corpus: DefaultCorpus) throws -> GPT2Tokenizer {
        switch recipe.tokenizer {
        case let .file(path): return try GPT2Tokenizer.load(from: path)
        case let .train(size):
            var trainer = BPETrainer(vocabularySize: size)
            for document in corpus.pretraining { trainer.add(document.text) }
            return try trainer.train()
        }
    }

    func loadModel(vocabulary: Int, endOfText: Int?) throws -> GPT2Model {
        switch recipe.model {
        case let .huggingFace(path): return try GPT2Model.load(huggingFaceDirectory: path)
        case let .checkpoint(path): return try Checkpoint.loadModel(from: path)
        case let .config(options):
            var object = json(options)
            if object["vocab_size"] == nil { object["vocab_size"] = vocabulary }
            if object["eos_token_id"] == nil, let endOfText { object["eos_token_id"] = endOfText }
            let configuration: GPT2Configuration
            do {
                configuration = try JSONDecoder().decode(GPT2Configuration.self, from: JSONSerialization.data(withJSONObject: object))
            } catch {
                throw EngineError.invalid("\(recipe.name): model.config: \(error)")
            }
            var rng = RandomGenerator(seed: recipe.seed)
            return try GPT2Model(configuration: configuration, rng: &rng)
        }
    }

    /// The toxicity scorer of a run: a small GPT-2 classifier trained on the corpus's
    /// labelled set with the run's tokenizer.
    func trainClassifier(_ corpus: DefaultCorpus, _ tokenizer: GPT2Tokenizer) throws -> ToxicityClassifier {
        log("  training the toxicity classifier")
        let examples = corpus.classificationTrain.map { TextExample(text: $0.text, label: $0.toxic ? 1 : 0) }
        let configuration = GPT2Configuration(
            vocabularySize: tokenizer.vocabularySize, contextLength: 64, embeddingSize: 64, layerCount: 2, headCount: 2,
            residualDropout: 0, embeddingDropout: 0, attentionDropout: 0)
        let classifier = try ToxicityClassifier.train(
            examples: examples, tokenizer: tokenizer, configuration: configuration,
            training: .init(steps: min(150, max(20, examples.count / 8)), batchSize: 16, learningRate: 1e-3, maxLength: 64, seed: recipe.seed))
        try classifier.save(directory: recipe.output + "/toxicity-classifier")
        return classifier
    }

    func pluginOptions(_ options: [String: OptionValue]) -> [String: PluginOptions.Value] {
        options.mapValues { value in
            switch value {
            case let .number(n): return .number(n)
            case let .text(s): return .text(s)
            case let .list(l): return .list(l)
            case let .flag(b): return .flag(b)
            }
        }
    }

    static func schedule(_ t: Recipe.Training) -> LearningRateSchedule {
        switch t.schedule {
        case "linear": return .linear(warmupSteps: t.warmupSteps, totalSteps: t.steps)
        case "cosine": return .cosine(warmupSteps: t.warmupSteps, totalSteps: t.steps)
        default: return t.warmupSteps > 0 ? .warmupThenConstant(warmupSteps: t.warmupSteps) : .constant
        }
    }

    static func attack(_ name: String) throws -> MembershipAttack {
        switch name {
        case "loss": return .loss
        case "zlib": return .zlib
        case "min_k": return .minK()
        case "min_k_plus_plus", "min_k++": return .minKPlusPlus()
        case "reference": return .reference
        default: throw EngineError.invalid("unknown membership attack \(name); available: loss, zlib, min_k, min_k_plus_plus, reference")
        }
    }

    private func json(_ options: [String: OptionValue]) -> [String: Any] {
        options.mapValues { value -> Any in
            switch value {
            case let .number(n): return n == n.rounded() && abs(n) < 1e15 ? Int(n) as Any : n as Any
            case let .text(s): return s
            case let .list(l): return l
            case let .flag(b): return b
            }
        }
    }
}
