import Foundation
import LetheCorpus
import LetheLayers
import LetheTensor
import LetheText
import LetheUnlearning

/// `lethe bench pretrain`: does a small GPT-2 learn the embedded corpus on this machine?
/// Generates the default corpus in memory, trains a byte-level BPE tokenizer on its
/// pretraining text, trains a small GPT-2 on random 128-token windows for a time budget through
/// `Trainer` with `next_token` (AdamW, cosine schedule) and reports training tokens/s and the held-out token-level perplexity (disjoint
/// 128-token windows, every token scored once, the first of each window conditioned on
/// nothing) before and after, and of a unigram model for reference.
public struct PretrainBenchmark {
    public var seconds = 180.0
    public var vocabularySize = 4096
    public var sequence = 128
    public var batch = 16
    public var seed: UInt64 = 1
    public var configuration = GPT2Configuration(
        vocabularySize: 4096, contextLength: 128, embeddingSize: 256, layerCount: 4, headCount: 4,
        residualDropout: 0, embeddingDropout: 0, attentionDropout: 0)

    public init() {}

    public func run(log: (String) -> Void) throws -> [String: Any] {
        let clock = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        var t0 = clock()
        let corpus = DefaultCorpus.generate(try DefaultCorpus.Configuration(seed: seed))
        var bpe = BPETrainer(vocabularySize: vocabularySize)
        for document in corpus.pretraining { bpe.add(document.text) }
        let tokenizer = try bpe.train()
        log(String(format: "corpus + tokenizer (%d tokens): %.1f s", tokenizer.vocabularySize, clock() - t0))
        t0 = clock()
        let end = tokenizer.endOfTextID ?? 0
        func stream(_ documents: [DefaultCorpus.Document]) -> [Int] {
            documents.flatMap { tokenizer.encode($0.text) + [end] }
        }
        let train = stream(corpus.pretraining)
        let heldout = stream(corpus.heldout)
        log(String(format: "encoded %d training and %d held-out tokens in %.1f s", train.count, heldout.count, clock() - t0))

        var c = configuration
        c.vocabularySize = tokenizer.vocabularySize
        c.contextLength = sequence
        var rng = RandomGenerator(seed: seed)
        let model = try GPT2Model(configuration: c, rng: &rng)
        let before = try perplexity(model, heldout)
        let unigram = unigramPerplexity(train, heldout, vocabulary: c.vocabularySize)
        log(String(format: "held-out perplexity before training %.1f (unigram model %.1f)", before, unigram))

        // The one `Trainer` loop of the pretrain stage: next_token on random windows, AdamW
        // (betas 0.9/0.95, weight decay 0.1 on matrices), clipping at 1, cosine schedule.
        let estimatedSteps = 10_000  // the cosine schedule's horizon; the time budget ends training
        let trainer = try Trainer(
            model: model, objective: NextToken(),
            configuration: TrainerConfiguration(
                steps: estimatedSteps, learningRate: 1e-3, schedule: .cosine(warmupSteps: 50, totalSteps: estimatedSteps),
                adamW: .init(beta1: 0.9, beta2: 0.95, weightDecay: 0.1), clipNorm: 1, seed: seed))
        let windows = try TokenWindows(stream: train, length: sequence, batchSize: batch, seed: seed)
        let start = clock()
        var lastLoss = Double.nan
        try trainer.train(data: windows) { record in
            lastLoss = record.losses[TrainingBatch.train] ?? .nan
            if record.step % 50 == 0 { log(String(format: "step %d  loss %.3f  %.0f s", record.step, lastLoss, clock() - start)) }
            return clock() - start < seconds
        }
        let step = trainer.step
        model.dropout = nil
        let elapsed = clock() - start
        let after = try perplexity(model, heldout)
        let tokensPerSecond = Double(step * batch * sequence) / elapsed
        log(String(format: "%d steps in %.0f s (%.0f tokens/s); held-out perplexity %.1f -> %.1f (unigram %.1f)",
                   step, elapsed, tokensPerSecond, before, after, unigram))
        return [
            "bench": "pretrain", "seconds": elapsed, "steps": step, "train_tokens_per_s": tokensPerSecond,
            "parameters": model.parameters.scalarCount, "vocabulary": c.vocabularySize, "train_tokens": train.count,
            "heldout_tokens": heldout.count, "heldout_perplexity_before": before, "heldout_perplexity_after": after,
            "unigram_perplexity": unigram, "final_train_loss": lastLoss, "threads": Parallel.threadCount,
        ]
    }

    /// exp(mean NLL) over disjoint windows of `sequence` tokens (every token after a window's
    /// first is scored once).
    private func perplexity(_ model: any CausalLanguageModel, _ tokens: [Int]) throws -> Double {
        var total = 0.0
        var count = 0
        var offset = 0
        while offset + 2 <= tokens.count {
            let window = Array(tokens[offset..<min(tokens.count, offset + sequence)])
            let batch = try TokenBatch(sequence: window)
            let nll = try withoutGradients { try model.languageModelLoss(batch, labels: window, reduction: .sum).item() }
            total += nll
            count += window.count - 1
            offset += sequence
        }
        return Foundation.exp(total / Double(max(1, count)))
    }

    private func unigramPerplexity(_ train: [Int], _ heldout: [Int], vocabulary: Int) -> Double {
        var counts = [Double](repeating: 1, count: vocabulary)  // add-one smoothing
        for t in train where t < vocabulary { counts[t] += 1 }
        let total = counts.reduce(0, +)
        let nll = heldout.reduce(0.0) { $0 - Foundation.log(counts[min($1, vocabulary - 1)] / total) }
        return Foundation.exp(nll / Double(max(1, heldout.count)))
    }
}
