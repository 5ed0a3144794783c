// swift-tools-version:6.0
//
// Lethe: machine unlearning for language models, on CPU.
// One target per architectural layer (see DESIGN.md); imports point downward only, lowest
// first (scripts/check-sources.sh checks it; .ci/run builds with SwiftPM's import check):
//
//   CBLAS, CDNNL, CHDF5 system libraries (Debian: libopenblas-dev, libdnnl-dev, libhdf5-dev)
//   LetheOptions        option trees, strict plugin options, registries, diagnostics (imports nothing)
//   LetheTensor         storage, shapes, kernels, reverse-mode autograd, seeded RNG, threads, TokenBatch
//   LetheLayers         Linear, Embedding, LayerNorm, attention, MLP, GPT-2, LoRA, optimisers
//   LetheText           byte-level BPE tokenizer, datasets
//   LetheCorpus         the embedded default corpus, generated from a seed
//   LetheStorage        HDF5 files, safetensors, Hugging Face GPT-2 and PEFT LoRA folders
//   LetheUnlearning     objective and gradient-combiner plugins, trainer, checkpoints, gradient logs
//   LetheEvaluation     perplexity, membership inference, toxicity, classification metrics, tables
//                       (LetheUnlearning and LetheEvaluation are siblings: neither imports the other)
//   LetheRecipes        typed, strict YAML recipes, overrides, grids (imports no Lethe module)
//   LetheEngine         runs a recipe: joins its names to the registries and chains the stages
//   LetheReports        plots, notebooks, the reader of run and study folders (never imports LetheEngine)
//   LetheBenchmarks     benchmarks of the layers, with the reference peers
//                       (LetheEngine, LetheReports and LetheBenchmarks are siblings)
//   LetheCommands       the command line as a library: argument parsing and printing only
//   lethe               the executable: main.swift calls LetheCommands' root command
import PackageDescription

let package = Package(
    name: "Lethe",
    products: [
        .library(name: "LetheOptions", targets: ["LetheOptions"]),
        .library(name: "LetheTensor", targets: ["LetheTensor"]),
        .library(name: "LetheLayers", targets: ["LetheLayers"]),
        .library(name: "LetheText", targets: ["LetheText"]),
        .library(name: "LetheCorpus", targets: ["LetheCorpus"]),
        .library(name: "LetheStorage", targets: ["LetheStorage"]),
        .library(name: "LetheUnlearning", targets: ["LetheUnlearning"]),
        .library(name: "LetheEvaluation", targets: ["LetheEvaluation"]),
        .library(name: "LetheRecipes", targets: ["LetheRecipes"]),
        .library(name: "LetheEngine", targets: ["LetheEngine"]),
        .library(name: "LetheReports", targets: ["LetheReports"]),
        .library(name: "LetheCommands", targets: ["LetheCommands"]),
        .executable(name: "lethe", targets: ["lethe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // MARK: C libraries
        .systemLibrary(name: "CBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CHDF5", providers: [.apt(["libhdf5-dev"])]),

        // MARK: Library layers
        .target(name: "LetheOptions", exclude: ["README.md"]),
        .target(name: "LetheTensor", dependencies: ["CBLAS", "CDNNL"], exclude: ["README.md"]),
        .target(name: "LetheLayers", dependencies: ["LetheTensor"], exclude: ["README.md"]),
        .target(name: "LetheText", dependencies: ["LetheTensor"], exclude: ["README.md"]),
        .target(name: "LetheCorpus", dependencies: ["LetheTensor"], exclude: ["README.md"]),
        .target(
            name: "LetheStorage", dependencies: ["CHDF5", "LetheTensor", "LetheLayers", "LetheText"],
            exclude: ["README.md"]),
        .target(
            name: "LetheUnlearning", dependencies: ["LetheOptions", "LetheTensor", "LetheLayers", "LetheText", "LetheStorage"],
            exclude: ["README.md"]),
        .target(
            name: "LetheEvaluation", dependencies: ["LetheOptions", "LetheTensor", "LetheLayers", "LetheText", "LetheStorage"],
            exclude: ["README.md"]),
        .target(name: "LetheRecipes", dependencies: ["LetheOptions", .product(name: "Yams", package: "Yams")], exclude: ["README.md"]),
        .target(
            name: "LetheEngine",
            dependencies: [
                "LetheOptions", "LetheTensor", "LetheLayers", "LetheText", "LetheCorpus", "LetheStorage", "LetheUnlearning", "LetheEvaluation",
                "LetheRecipes",
            ],
            exclude: ["README.md"]),
        .target(name: "LetheReports", dependencies: ["LetheEvaluation", "LetheRecipes"], exclude: ["README.md"]),
        .target(
            name: "LetheBenchmarks",
            dependencies: ["LetheTensor", "LetheLayers", "LetheText", "LetheCorpus", "LetheStorage", "LetheUnlearning"],
            exclude: ["README.md"]),

        // MARK: Command line
        .target(
            name: "LetheCommands",
            dependencies: [
                "LetheTensor", "LetheLayers", "LetheText", "LetheCorpus", "LetheStorage", "LetheUnlearning", "LetheEvaluation",
                "LetheRecipes", "LetheEngine", "LetheReports", "LetheBenchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["README.md"]),
        .executableTarget(name: "lethe", dependencies: ["LetheCommands"], exclude: ["README.md"]),

        // MARK: Tests
        .target(
            name: "LetheTestSupport", dependencies: ["LetheTensor"], path: "Tests/LetheTestSupport",
            exclude: ["README.md"]),
        .testTarget(name: "LetheTensorTests", dependencies: ["LetheTensor", "LetheTestSupport"]),
        .testTarget(
            name: "LetheStorageTests", dependencies: ["LetheStorage", "CHDF5", "LetheTensor", "LetheTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "LetheLayersTests",
            dependencies: ["LetheLayers", "LetheStorage", "LetheTensor", "LetheText", "LetheTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "LetheUnlearningTests",
            dependencies: ["LetheUnlearning", "LetheLayers", "LetheText", "LetheTensor", "LetheStorage", "LetheTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "LetheEvaluationTests",
            dependencies: ["LetheEvaluation", "LetheLayers", "LetheText", "LetheTensor", "LetheStorage", "LetheRecipes"],
            exclude: ["Fixtures"]),
        .testTarget(name: "LetheRecipesTests", dependencies: ["LetheRecipes", "LetheOptions", "LetheTestSupport"]),
        .testTarget(name: "LetheOptionsTests", dependencies: ["LetheOptions"]),
        .testTarget(
            name: "LetheCommandsTests",
            dependencies: ["LetheCommands", "LetheCorpus", "LetheEngine", "LetheEvaluation", "LetheRecipes"]),
        .testTarget(
            name: "LetheEngineTests",
            // `lethe` so the crash test can run it as a child process.
            dependencies: [
                "LetheEngine", "LetheRecipes", "LetheEvaluation", "LetheStorage", "LetheUnlearning", "LetheCorpus", "LetheReports",
                "LetheTensor", "LetheLayers", "LetheText", "lethe",
            ]),
        .testTarget(
            name: "LetheTextTests", dependencies: ["LetheText", "LetheTensor", "LetheTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "LetheCorpusTests", dependencies: ["LetheCorpus", "LetheText"]),
        .testTarget(
            name: "LetheReportsTests",
            // `LetheEngine` so the tests write run folders with the engine's own `RunState`.
            dependencies: ["LetheReports", "LetheEvaluation", "LetheRecipes", "LetheEngine"]),
    ],
    swiftLanguageModes: [.v5]
)
