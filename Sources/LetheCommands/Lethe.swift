import ArgumentParser
import Foundation
import LetheTensor
import LetheBenchmarks
import LetheEngine
import LetheUnlearning

/// The `lethe` command: argument parsing and printing only; the work lives in the library.
///
/// A package that depends on Lethe can make its own executable from these commands: run
/// `Lethe.main()`, or list `Lethe.self` (or `Lethe.configuration.subcommands`, or single
/// commands such as `RunCommand.self`) among its own command's subcommands.
public struct Lethe: ParsableCommand {
    /// The plugins every command resolves names against (`run`, `resume`, `recipe check`,
    /// `list`, `eval`). A program built on these commands sets its own before parsing:
    /// `Lethe.main(plugins: Plugins.builtIn.adding(stage: MyStage.self))`.
    nonisolated(unsafe) public static var plugins = Plugins.builtIn

    /// Runs the command line with `plugins` (default: Lethe's built-in ones). `root` is the
    /// root command parsed: `Lethe` itself, or a program's own root whose subcommands are
    /// `Lethe.configuration.subcommands` plus its own.
    public static func main(plugins: Plugins, root: any ParsableCommand.Type = Lethe.self) {
        Self.plugins = plugins
        runRoot(root)
    }

    /// Line-buffered output, so progress shows when stdout is a file or a pipe.
    public static func main() { runRoot(Self.self) }

    private static func runRoot(_ root: any ParsableCommand.Type) {
        setlinebuf(stdout)
        do {
            var command = try root.parseAsRoot()
            try command.run()
        } catch {
            root.exit(withError: error)
        }
    }

    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "lethe",
        abstract: "Machine unlearning for language models, on CPU.",
        subcommands: [
            RunCommand.self, ResumeCommand.self, RecipeCommand.self, ListCommand.self, DataCommand.self, TokenizerCommand.self, EvalCommand.self,
            TableCommand.self, GenerateCommand.self, PlotCommand.self, NotebookCommand.self, Inspect.self, Bench.self,
        ])
}

public struct Inspect: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Look inside run outputs.", subcommands: [Gradients.self])

    struct Gradients: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per-tensor forget/retain conflict statistics of a gradient log, and an SVG of cosine over steps.")

        @Argument(help: "A run folder (holding gradients.h5) or a gradients.h5 file.")
        var path: String
        @Option(help: "Where to write the SVG plot (default: gradient_cosine.svg beside the log).")
        var svg: String?

        func run() throws {
            let inspection = try GradientInspection(path: path)
            print(inspection.markdown())
            let folder = path.hasSuffix(".h5") ? (path as NSString).deletingLastPathComponent : path
            let target = svg ?? (folder.isEmpty ? "." : folder) + "/gradient_cosine.svg"
            do {
                try AtomicFile.write(inspection.svg(), to: target)
            } catch {
                throw ValidationError("\(target): cannot write the plot (\(error.localizedDescription))")
            }
            print("wrote \(target)")
        }
    }
}

public struct Bench: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Benchmarks, printed beside the reference peers run on the same machine.",
        subcommands: [Ops.self, GPT2.self, Llama.self, Tokenizer.self, Unlearning.self, Pretrain.self])

    struct Ops: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "GFLOP/s of matrix products at GPT-2-small shapes; GB/s of layer norm, GELU, softmax.")

        @Option(help: "Folder of the reference peer scripts (gemm_numpy.py).")
        var referenceDir = "../shared/reference"

        @Option(help: "Folder of Lethe's own reference scripts.")
        var scriptsDir = "scripts/reference"

        @Flag(help: "Skip the Python peers.")
        var noPeers = false

        @Option(help: "Seconds of timing per measurement.")
        var budget = 0.6

        func run() throws {
            var benchmark = OpsBenchmark(
                peers: noPeers ? nil : PeerScripts(referenceDirectory: referenceDir, scriptsDirectory: scriptsDir))
            benchmark.budget = budget
            let summary = try benchmark.run { print($0) }
            try printJSON(summary)
        }
    }

    struct Tokenizer: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encode MB/s of the GPT-2 BPE tokenizer beside Hugging Face tokenizers (single thread).")

        @Option(help: "tokenizer.json or folder; default: train one on the benchmark text.")
        var tokenizer: String?
        @Option(help: "Megabytes of generated text to encode.")
        var megabytes = 2.0
        @Option var referenceDir = "../shared/reference"
        @Option var scriptsDir = "scripts/reference"
        @Flag(help: "Skip the Python peer.")
        var noPeers = false

        func run() throws {
            var benchmark = TokenizerBenchmark(
                peers: noPeers ? nil : PeerScripts(referenceDirectory: referenceDir, scriptsDirectory: scriptsDir))
            benchmark.tokenizerPath = tokenizer
            benchmark.textMegabytes = megabytes
            try printJSON(try benchmark.run { print($0) })
        }
    }

    struct Pretrain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a small GPT-2 on the embedded corpus for a time budget; held-out perplexity and tokens/s.")

        @Option(help: "Training time in seconds.")
        var seconds = 180.0
        @Option var seed: UInt64 = 1

        func run() throws {
            var benchmark = PretrainBenchmark()
            benchmark.seconds = seconds
            benchmark.seed = seed
            try printJSON(try benchmark.run { print($0) })
        }
    }

    struct Unlearning: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "GPT-2 unlearning step time; what each combiner and gradient logging add to it.")

        @Option(help: "small (124M) or tiny.")
        var config = "small"
        @Option var batch = 4
        @Option var seq = 128

        func run() throws {
            var benchmark = UnlearningBenchmark()
            benchmark.configName = config
            benchmark.batch = batch
            benchmark.sequence = seq
            try printJSON(try benchmark.run { print($0) })
        }
    }

    struct GPT2: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tokens/s of GPT-2 training steps and forward passes beside PyTorch and JAX.")

        @Option(help: "small (124M) or tiny.")
        var config = "small"
        @Option var batch = 4
        @Option var seq = 128
        @Option var warmup = 2
        @Option var steps = 5
        @Option(help: "Python with torch and jax for the reference peers (empty: skip them).")
        var python = "python3"
        @Option(help: "Folder of gpt2_step.py.")
        var referenceDir = "../shared/reference"

        func run() throws {
            var benchmark = GPT2Benchmark()
            benchmark.configName = config
            benchmark.batch = batch
            benchmark.sequence = seq
            benchmark.warmup = warmup
            benchmark.steps = steps
            benchmark.python = python.isEmpty ? nil : python
            benchmark.referenceDirectory = referenceDir
            try printJSON(try benchmark.run { print($0) })
        }
    }
}

extension Bench {
    struct Llama: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tokens/s of Llama-architecture training steps and forward passes beside PyTorch (transformers).")

        @Option(help: "tiny or smollm2-135m.")
        var config = "tiny"
        @Option var batch = 4
        @Option var seq = 128
        @Option var warmup = 2
        @Option var steps = 5
        @Option(help: "Python with torch and transformers for the reference peer (empty: skip it).")
        var python = "python3"
        @Option(help: "Folder of llama_step.py.")
        var referenceDir = "../shared/reference"

        func run() throws {
            var benchmark = LlamaBenchmark()
            benchmark.configName = config
            benchmark.batch = batch
            benchmark.sequence = seq
            benchmark.warmup = warmup
            benchmark.steps = steps
            benchmark.python = python.isEmpty ? nil : python
            benchmark.referenceDirectory = referenceDir
            try printJSON(try benchmark.run { print($0) })
        }
    }
}

/// Prints a benchmark summary as one JSON line (the last line of every benchmark).
func printJSON(_ summary: [String: Any]) throws {
    let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}
