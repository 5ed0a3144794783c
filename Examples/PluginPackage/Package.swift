// swift-tools-version:6.0
//
// An outside package that extends Lethe without editing it: four plugins (an objective, a
// gradient combiner, a stage and an evaluation suite) in the library `ExamplePlugins`, and
// `lethe-plugins`, Lethe's command line with those plugins registered (plus one command of
// its own, `compare-weights`). See README.md; check.sh runs it, kills it and resumes it.
import PackageDescription

let package = Package(
    name: "PluginPackage",
    products: [
        .library(name: "ExamplePlugins", targets: ["ExamplePlugins"]),
        .executable(name: "lethe-plugins", targets: ["lethe-plugins"]),
    ],
    dependencies: [
        .package(name: "Lethe", path: "../.."),
        // For `compare-weights`, the one command this package adds (Lethe uses the same).
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(
            name: "ExamplePlugins",
            dependencies: [
                .product(name: "LetheEngine", package: "Lethe"),
                .product(name: "LetheOptions", package: "Lethe"),
                .product(name: "LetheUnlearning", package: "Lethe"),
                .product(name: "LetheEvaluation", package: "Lethe"),
                .product(name: "LetheLayers", package: "Lethe"),
                .product(name: "LetheTensor", package: "Lethe"),
            ]),
        .executableTarget(
            name: "lethe-plugins",
            dependencies: [
                "ExamplePlugins",
                .product(name: "LetheCommands", package: "Lethe"),
                .product(name: "LetheStorage", package: "Lethe"),
                .product(name: "LetheTensor", package: "Lethe"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
    ],
    swiftLanguageModes: [.v5]
)
