import Foundation
import LetheLayers
import LetheTensor
import LetheText
import LetheUnlearning

/// `lethe bench unlearning`: on GPT-2 (small by default), the time of one grad_diff step
/// (two forward + backward passes, combine, clip, AdamW), and what each combiner (every one
/// in `CombinerRegistry.builtIn`, plus the per-tensor variants of the Gramian ones) and
/// per-step gradient logging add to it: the combiners and the log are timed on gradient
/// sets of the model's size, beside `sum`, and reported as a share of the `sum` step.
public struct UnlearningBenchmark {
    public var configName = "small"
    public var batch = 4
    public var sequence = 128
    public var repeats = 5

    public init() {}

    public func run(log: (String) -> Void) throws -> [String: Any] {
        guard var configuration = GPT2Benchmark.configurations[configName] else {
            throw LayerError.invalidInput(reason: "unknown config \(configName)")
        }
        configuration.contextLength = max(sequence, 8)
        var rng = RandomGenerator(seed: 0)
        let model = try GPT2Model(configuration: configuration, rng: &rng)
        func examples(_ count: Int) throws -> [EncodedExample] {
            try (0..<count).map { _ in
                let ids = (0..<sequence).map { _ in Int(rng.next() % UInt64(configuration.vocabularySize)) }
                return try TextExample(text: "").encoded(with: FixedEncoder(ids: ids), options: EncodingOptions(maxLength: sequence))
            }
        }
        let data = try UnlearningData(forget: try examples(batch), retain: try examples(batch), batchSize: batch, seed: 0)
        log("Lethe unlearning step, GPT-2 \(configName), grad_diff, B=\(batch) T=\(sequence), \(Parallel.threadCount) threads")

        // One full step with each combiner (after a warm-up step).
        var stepTimes: [String: Double] = [:]
        var parts: [NamedGradients] = []
        for combiner in ["sum", "pcgrad"] {
            let trainer = try Trainer(
                model: model, objective: ObjectiveRegistry.builtIn.make("grad_diff"),
                combiner: CombinerRegistry.builtIn.make(combiner), configuration: TrainerConfiguration(steps: 2, learningRate: 1e-6))
            try trainer.runStep(data: data)
            let start = DispatchTime.now().uptimeNanoseconds
            try trainer.runStep(data: data)
            stepTimes[combiner] = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        // The combiners and the log alone, on gradient sets of this model's size.
        for name in ["forget", "retain"] {
            let set = model.parameters.zerosLike()
            set.flat.fill { rng.nextNormal() * 1e-3 }
            parts.append(NamedGradients(name, set))
        }
        let output = model.parameters.zerosLike()
        var combineTimes: [String: Double] = [:]
        var report: CombinerReport?
        for (label, name, options) in Self.variants {
            let c = try CombinerRegistry.builtIn.make(name, options: options)
            let seconds = try medianSeconds(budget: 0.2, repeats: repeats) { _ = try c.combine(parts, into: output) }
            combineTimes[label] = seconds
            if name == "pcgrad", options.isEmpty { report = try c.combine(parts, into: output) }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bench-gradients-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let gradientLog = try GradientLog(path: path, parameterNames: model.parameters.names, lossNames: ["forget", "retain"])
        var logged = 0
        let logTime = try medianSeconds(budget: 0.2, repeats: repeats) {
            logged += 1
            if let report {
                let record = StepRecord(step: logged, losses: ["forget": 1, "retain": 1], learningRate: 0, directionNorm: 1, report: report)
                try gradientLog.append(record, gradients: parts)
            }
        }
        gradientLog.close()
        let step = stepTimes["sum"] ?? .nan
        let pcgradOverhead = ((combineTimes["pcgrad"] ?? 0) - (combineTimes["sum"] ?? 0)) / step
        let logOverhead = logTime / step
        log(String(format: "step (sum) %.3f s, step (pcgrad) %.3f s", step, stepTimes["pcgrad"] ?? .nan))
        log(String(format: "combine: sum %.4f s, pcgrad %.4f s -> pcgrad adds %.2f%% of a step", combineTimes["sum"] ?? .nan, combineTimes["pcgrad"] ?? .nan, 100 * pcgradOverhead))
        var overheads: [String: Double] = [:]
        for (label, _, _) in Self.variants {
            let seconds = combineTimes[label] ?? .nan
            overheads[label] = (seconds - (combineTimes["sum"] ?? 0)) / step
            let padded = label.padding(toLength: 20, withPad: " ", startingAt: 0)
            log(padded + String(format: "%.4f s per combine, %+.2f%% of a sum step", seconds, 100 * (overheads[label] ?? .nan)))
        }
        log(String(format: "gradient statistics log: %.4f s per step = %.2f%% of a step", logTime, 100 * logOverhead))
        return [
            "bench": "unlearning", "config": configName, "batch": batch, "seq": sequence, "threads": Parallel.threadCount,
            "step_s_sum": step, "step_s_pcgrad": stepTimes["pcgrad"] ?? .nan,
            "combine_s_sum": combineTimes["sum"] ?? .nan, "combine_s_pcgrad": combineTimes["pcgrad"] ?? .nan,
            "pcgrad_overhead_share_of_step": pcgradOverhead, "gradient_log_s": logTime, "gradient_log_share_of_step": logOverhead,
            "combine_s": combineTimes, "combine_overhead_share_of_step": overheads,
        ]
    }
}

extension UnlearningBenchmark {
    /// (label, registry name, options): every built-in combiner with its defaults, and the
    /// per-tensor granularity of those that have one.
    static var variants: [(String, String, [String: PluginOptions.Value])] {
        let perTensor = ["pcgrad", "cagrad", "mgda", "imtl_g", "aligned_mtl", "upgrad", "gradvac"]
        return CombinerRegistry.builtIn.names.map { ($0, $0, [:]) }
            + perTensor.map { ("\($0) (tensor)", $0, ["granularity": .text("tensor")]) }
    }
}

/// Returns fixed ids whatever the text: random token sequences for benchmarks.
private struct FixedEncoder: TokenEncoder {
    let ids: [Int]
    func encode(_ text: String) throws -> [Int] { ids }
}
