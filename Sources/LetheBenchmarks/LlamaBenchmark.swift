import Foundation
import LetheLayers
import LetheTensor
import LetheUnlearning

/// `lethe bench llama`: tokens/s of a Llama-architecture training step (forward + backward +
/// AdamW) and of forward-only evaluation, with peak memory, beside
/// `../shared/reference/llama_step.py` (PyTorch + transformers `LlamaForCausalLM`, sdpa
/// attention) run on the same machine in the same invocation. Same shapes as the reference:
/// `smollm2-135m` (30 layers, d 576, 9/3 heads, MLP 1536, vocab 49152, tied, θ 1e5) and `tiny`.
/// The training step is `Trainer.runStep` with `next_token` (AdamW lr 3e-4, betas 0.9/0.95,
/// weight decay 0.1 on every tensor, no clipping), as `GPT2Benchmark` does.
public struct LlamaBenchmark {
    public static let configurations: [String: LlamaConfiguration] = [
        "smollm2-135m": LlamaConfiguration(
            vocabularySize: 49152, embeddingSize: 576, mlpSize: 1536, layerCount: 30, headCount: 9, keyValueHeadCount: 3,
            contextLength: 8192, rmsNormEpsilon: 1e-5, rope: RotaryConfiguration(theta: 100000), tiedEmbeddings: true),
        "tiny": LlamaConfiguration(
            vocabularySize: 8192, embeddingSize: 256, mlpSize: 688, layerCount: 4, headCount: 8, keyValueHeadCount: 2,
            contextLength: 1024, rmsNormEpsilon: 1e-5, rope: RotaryConfiguration(theta: 10000), tiedEmbeddings: true),
    ]

    public var configName = "tiny"
    public var batch = 4
    public var sequence = 128
    public var warmup = 2
    public var steps = 5
    /// Python with torch and transformers for the peer; nil skips it.
    public var python: String?
    public var referenceDirectory = "../shared/reference"

    public init() {}

    public func run(log: (String) -> Void) throws -> [String: Any] {
        guard let configuration = Self.configurations[configName] else {
            throw LayerError.invalidInput(reason: "unknown config \(configName); choose from \(Self.configurations.keys.sorted())")
        }
        var rng = RandomGenerator(seed: 0)
        let model = try LlamaModel(configuration: configuration, rng: &rng)
        let (B, T) = (batch, sequence)
        let stream = (0..<max(4 * B * T, 2)).map { _ in Int(rng.next() % UInt64(configuration.vocabularySize)) }
        let data = try TokenWindows(stream: stream, length: T, batchSize: B, seed: 0)
        let trainer = try Trainer(
            model: model, objective: NextToken(),
            configuration: TrainerConfiguration(
                steps: warmup + steps, learningRate: 3e-4, adamW: .init(beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1),
                clipNorm: nil, weightDecayScope: .all))
        guard let tokens = try data.batch(0).train?.tokens else { throw LayerError.invalidInput(reason: "no benchmark batch") }
        log("Lethe Llama \(configName): \(model.parameters.scalarCount) parameters, B=\(B) T=\(T), \(Parallel.threadCount) threads")

        var losses: [Double] = []
        let trainTimes = try stepSeconds(warmup: warmup, steps: steps) {
            losses.append(try trainer.runStep(data: data).losses[TrainingBatch.train] ?? .nan)
        }
        let forwardTimes = try stepSeconds(warmup: warmup, steps: steps) {
            _ = try withoutGradients { try NextToken.loss(logits: model.logits(tokens), labels: tokens.ids).item() }
        }
        let train = Double(B * T) / median(trainTimes)
        let forward = Double(B * T) / median(forwardTimes)
        let peak = peakResidentMegabytes()
        log(String(format: "lethe   train %8.1f tokens/s   fwd %8.1f tokens/s   peak RSS %.0f MB   loss %.4f -> %.4f",
                   train, forward, peak, losses.first ?? 0, losses.last ?? 0))
        var summary: [String: Any] = [
            "bench": "llama", "config": configName, "batch": B, "seq": T, "threads": Parallel.threadCount,
            "parameters": model.parameters.scalarCount, "train_tokens_per_s": train, "fwd_tokens_per_s": forward, "peak_rss_mb": peak,
        ]
        guard let python, let peer = runPeer(python: python) else {
            log("torch: unavailable")
            return summary
        }
        let peerTrain = peer["train_tokens_per_s"] as? Double
        let peerForward = peer["fwd_tokens_per_s"] as? Double
        if let peerTrain { summary["ratio_train_vs_pytorch"] = train / peerTrain; summary["pytorch_train_tokens_per_s"] = peerTrain }
        if let peerForward { summary["ratio_fwd_vs_pytorch"] = forward / peerForward; summary["pytorch_fwd_tokens_per_s"] = peerForward }
        if let peerPeak = peer["peak_rss_mb"] as? Double { summary["pytorch_peak_rss_mb"] = peerPeak }
        log(String(format: "torch   train %8.1f tokens/s   fwd %8.1f tokens/s   ratio train %.2f  fwd %.2f",
                   peerTrain ?? 0, peerForward ?? 0, train / (peerTrain ?? .nan), forward / (peerForward ?? .nan)))
        return summary
    }

    /// Runs llama_step.py and reads its last `JSON {...}` line.
    private func runPeer(python: String) -> [String: Any]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            python, referenceDirectory + "/llama_step.py", "--config", configName, "--batch", "\(batch)", "--seq", "\(sequence)",
            "--warmup", "\(warmup)", "--steps", "\(steps)", "--threads", "\(Parallel.threadCount)",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let line = output.split(separator: "\n").last(where: { $0.hasPrefix("JSON ") }),
            let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(5).utf8)) as? [String: Any]
        else { return nil }
        return object
    }
}
