import Foundation
import LetheLayers
import LetheTensor
import LetheUnlearning

/// `lethe bench gpt2`: tokens/s of a GPT-2 training step (forward + backward + AdamW) and
/// of forward-only evaluation, with peak memory, beside `../shared/reference/gpt2_step.py`
/// (PyTorch and JAX) run on the same machine in the same invocation. The training step is
/// `Trainer.runStep` with the `next_token` objective, the loop every training stage uses. Same
/// model, data shape (B × T input tokens) and optimiser (AdamW lr 3e-4, betas 0.9/0.95, eps
/// 1e-8, weight decay 0.1 on every parameter) as the reference script; the loss is the mean
/// next-token cross-entropy over the B × (T − 1) positions whose next token is in the window
/// (the reference scores all B × T against a (T + 1)-th token: one row of the V-wide
/// cross-entropy fewer per sequence here, the same matrix products).
public struct GPT2Benchmark {
    public static let configurations: [String: GPT2Configuration] = [
        "small": GPT2Configuration(residualDropout: 0, embeddingDropout: 0, attentionDropout: 0),
        "tiny": GPT2Configuration(
            vocabularySize: 8192, contextLength: 256, embeddingSize: 256, layerCount: 4, headCount: 4,
            residualDropout: 0, embeddingDropout: 0, attentionDropout: 0),
    ]

    public var configName = "small"
    public var batch = 4
    public var sequence = 128
    public var warmup = 2
    public var steps = 5
    /// Python with torch (and jax) for the peers; nil skips them.
    public var python: String?
    public var referenceDirectory = "../shared/reference"

    public init() {}

    public func run(log: (String) -> Void) throws -> [String: Any] {
        guard let configuration = Self.configurations[configName] else {
            throw LayerError.invalidInput(reason: "unknown config \(configName); choose from \(Self.configurations.keys.sorted())")
        }
        var rng = RandomGenerator(seed: 0)
        let model = try GPT2Model(configuration: configuration, rng: &rng)
        let (B, T) = (batch, sequence)
        // Training runs through the one `Trainer` loop every stage uses: next_token on random
        // windows of a random token stream, no clipping, AdamW decaying every tensor.
        let stream = (0..<max(4 * B * T, 2)).map { _ in Int(rng.next() % UInt64(configuration.vocabularySize)) }
        let data = try TokenWindows(stream: stream, length: T, batchSize: B, seed: 0)
        let trainer = try Trainer(
            model: model, objective: NextToken(),
            configuration: TrainerConfiguration(
                steps: warmup + steps, learningRate: 3e-4, adamW: .init(beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1),
                clipNorm: nil, weightDecayScope: .all))
        guard let tokens = try data.batch(0).train?.tokens else { throw LayerError.invalidInput(reason: "no benchmark batch") }
        let labels = tokens.ids
        log("Lethe GPT-2 \(configName): \(model.parameters.scalarCount) parameters, B=\(B) T=\(T), \(Parallel.threadCount) threads")

        var losses: [Double] = []
        var phases: [[Double]] = [[], [], [], []]  // forward, backward, checks, AdamW
        let trainTimes = try stepSeconds(warmup: warmup, steps: steps) {
            let record = try trainer.runStep(data: data)
            losses.append(record.losses[TrainingBatch.train] ?? .nan)
            let t = record.timings
            for (phase, seconds) in [t.forward, t.backward, t.combine, t.update].enumerated() { phases[phase].append(seconds) }
        }
        let forwardTimes = try stepSeconds(warmup: warmup, steps: steps) {
            _ = try withoutGradients { try NextToken.loss(logits: model.logits(tokens), labels: labels).item() }
        }
        let train = Double(B * T) / median(trainTimes)
        let forward = Double(B * T) / median(forwardTimes)
        let peak = peakResidentMegabytes()
        log(String(format: "lethe   train %8.1f tokens/s   fwd %8.1f tokens/s   peak RSS %.0f MB   loss %.4f -> %.4f",
                   train, forward, peak, losses.first ?? 0, losses.last ?? 0))

        let split = phases.map { median(Array($0.suffix(steps))) }
        log(String(format: "        train step split: forward %.3f s, backward %.3f s, checks %.3f s, AdamW %.3f s", split[0], split[1], split[2], split[3]))
        var summary: [String: Any] = [
            "train_split_s": ["forward": split[0], "backward": split[1], "checks": split[2], "adamw": split[3]],
            "bench": "gpt2", "config": configName, "batch": B, "seq": T, "threads": Parallel.threadCount,
            "train_tokens_per_s": train, "fwd_tokens_per_s": forward, "peak_rss_mb": peak,
        ]
        for framework in ["torch", "jax"] {
            guard let python, let peer = runPeer(python: python, framework: framework) else {
                log("\(framework): unavailable")
                continue
            }
            let peerTrain = (peer["train"] as? [String: Any])?["tokens_per_s"] as? Double
            let peerForward = (peer["fwd"] as? [String: Any])?["tokens_per_s"] as? Double
            let name = framework == "torch" ? "pytorch" : "jax"
            if let peerTrain { summary["ratio_train_vs_\(name)"] = train / peerTrain; summary["\(name)_train_tokens_per_s"] = peerTrain }
            if let peerForward { summary["ratio_fwd_vs_\(name)"] = forward / peerForward; summary["\(name)_fwd_tokens_per_s"] = peerForward }
            log(String(format: "%-7@ train %8.1f tokens/s   fwd %8.1f tokens/s   ratio train %.2f  fwd %.2f",
                       framework as NSString, peerTrain ?? 0, peerForward ?? 0, train / (peerTrain ?? .nan), forward / (peerForward ?? .nan)))
        }
        return summary
    }

    private func runPeer(python: String, framework: String) -> [String: Any]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            python, referenceDirectory + "/gpt2_step.py", "--framework", framework, "--config", configName,
            "--batch", "\(batch)", "--seq", "\(sequence)", "--warmup", "\(warmup)", "--steps", "\(steps)",
            "--threads", "\(Parallel.threadCount)",
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
