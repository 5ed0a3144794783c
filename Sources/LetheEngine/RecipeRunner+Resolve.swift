import Foundation
import LetheCorpus
import LetheEvaluation
import LetheLayers
import LetheRecipes
import LetheStorage
import LetheTensor
import LetheText
import LetheUnlearning

/// How a recipe's names and option maps become Lethe values.
extension RecipeRunner {
    /// The recipe's data: generated (the corpus seed defaults to the recipe's) or read from files.
    func loadData(_ recipe: Recipe) throws -> StudyData {
        switch recipe.data {
        case let .files(files): return try StudyData(files: files)
        case let .generate(options):
            var object = Self.json(options)
            if object["seed"] == nil { object["seed"] = recipe.seed }
            do {
                let configuration = try JSONDecoder().decode(DefaultCorpus.Configuration.self, from: JSONSerialization.data(withJSONObject: object))
                return StudyData(DefaultCorpus.generate(configuration))
            } catch {
                throw EngineError.invalid("\(recipe.name): data.generate: \(error)")
            }
        }
    }

    /// The recipe's starting model: a Hugging Face folder, a Lethe checkpoint, or a new GPT-2
    /// from `config.json` keys (vocabulary and end-of-text from the tokenizer by default).
    static func makeModel(_ recipe: Recipe, vocabulary: Int, endOfText: Int?) throws -> GPT2Model {
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

    static func pluginOptions(_ options: [String: LetheRecipes.OptionValue]) -> [String: PluginOptions.Value] {
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

    static func attack(_ name: String) throws -> any MembershipAttackMethod {
        do {
            return try MembershipAttacks.builtIn.make(name)
        } catch {
            throw EngineError.invalid("evaluate.mia: \(error)")
        }
    }

    private static func json(_ options: [String: LetheRecipes.OptionValue]) -> [String: Any] {
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
