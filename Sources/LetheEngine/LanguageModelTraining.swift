import LetheLayers
import LetheRecipes
import LetheTensor
import LetheText

/// The plain training loop of the pretrain and fine-tune stages: next-token cross-entropy
/// (on completion tokens only, for prompt/completion examples), AdamW with the recipe's
/// schedule, global-norm clipping, dropout in training mode.
enum LanguageModelTraining {
    /// Trains on batches from `batch(step)` for `training.steps` steps; reports every step.
    static func train(
        _ model: GPT2Model, _ training: Recipe.Training, seed: UInt64, batch: (Int) throws -> LabelledBatch,
        report: (Int, Double) throws -> Void
    ) throws {
        let optimizer = AdamW(parameters: model.parameters, configuration: .init(beta1: 0.9, beta2: 0.95, weightDecay: training.weightDecay))
        let schedule = RecipeRunner.schedule(training)
        model.dropout = RandomGenerator(seed: seed)
        defer { model.dropout = nil }
        for step in 0..<training.steps {
            let b = try batch(step)
            let loss = try model.languageModelLoss(b.tokens, labels: b.labels)
            let value = try loss.item()
            guard value.isFinite else { throw EngineError.invalid("step \(step + 1): the training loss is \(value); no update was applied") }
            let gradients = try model.parameters.gradients(of: loss)
            if let name = gradients.firstNonFinite() {
                throw EngineError.invalid("step \(step + 1): the gradient is not finite (first in \(name)); no update was applied")
            }
            if let clip = training.clipNorm { gradients.clipNorm(to: clip) }
            try optimizer.update(gradients: gradients, learningRate: training.learningRate * schedule.multiplier(step: step))
            try report(step + 1, value)
        }
    }

    /// Random windows of `length` tokens from a token stream, as a batch with every token counted.
    static func windows(_ stream: [Int], length: Int, batchSize: Int, rng: inout RandomGenerator) throws -> LabelledBatch {
        let starts = max(1, stream.count - length)
        var ids: [Int] = []
        for _ in 0..<batchSize {
            let start = Int(rng.next() % UInt64(starts))
            ids += stream[start..<min(stream.count, start + length)]
            ids += [Int](repeating: 0, count: max(0, length - min(length, stream.count - start)))
        }
        let tokens = try TokenBatch(ids: ids, batchSize: batchSize, length: length)
        return LabelledBatch(tokens: tokens, labels: ids, classLabels: [Int?](repeating: nil, count: batchSize))
    }
}
