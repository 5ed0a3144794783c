import Foundation
import LetheRecipes
import LetheTestSupport
import Testing

/// Hostile recipes (issue 8): mutations of the shipped recipes, deep nesting, alias bombs,
/// invalid UTF-8 and wrong types must each end in a recipe or a `RecipeError`.
@Suite("Fuzz: recipes")
struct RecipeFuzzTests {
    static let iterations = Fuzz.iterations(default: 300)
    static let quickstart = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../recipes/quickstart.yaml").standardized.path

    /// Loads `text` as a recipe file and expands its grid; returns the error, if any.
    private func load(_ text: String) -> Error? {
        let path = Fuzz.temporaryPath("recipe.yaml")
        defer { Fuzz.removeTemporary(path) }
        do {
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            _ = try RecipeLoader.expand(try RecipeLoader.load(path: path))
            return nil
        } catch {
            return error
        }
    }

    @Test func mutatedRecipesNeverCrash() throws {
        let path = Fuzz.temporaryPath("recipe.yaml")
        defer { Fuzz.removeTemporary(path) }
        let valid = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.quickstart)))
        let tally = try Fuzz.run("recipe", valid: valid, seed: 31, iterations: Self.iterations, path: path) { path in
            do {
                _ = try RecipeLoader.expand(try RecipeLoader.load(path: path))
            } catch let error as RecipeError {
                throw error
            }
        }
        #expect(tally.inputs == Self.iterations && tally.values > 0 && tally.errors > 0)
    }

    @Test func deepNestingIsAnError() {
        for depth in [100, 10_000] {
            #expect(load("name: x\nstages: " + String(repeating: "[", count: depth)) is RecipeError)
            #expect(load("name: x\nstages: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)) is RecipeError)
            #expect(load("name: x\nseed: " + String(repeating: "{a: ", count: depth) + String(repeating: "}", count: depth)) is RecipeError)
            let indented = (0..<min(depth, 1_000)).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n")
            #expect(load("name: x\ndata:\n" + indented) is RecipeError)
        }
    }

    /// "Billion laughs": nine levels of ten aliases each would expand to 10^9 leaves.
    @Test func aliasBombsAreAnError() {
        var lines = ["a0: &a0 [lol]"]
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(refs)]")
        }
        let bomb = lines.joined(separator: "\n")
        #expect(load(bomb + "\nname: x\n") is RecipeError)
        #expect(load("name: x\nseed: 1\ngrid: {seed: *a9}\n" + bomb.replacingOccurrences(of: "a0:", with: "x0:")) is RecipeError)
        // Inside accepted keys: plugin options and grid values.
        let inOptions = bomb.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        #expect(load("name: x\ndata:\n  generate:\n\(inOptions)\n") is RecipeError)
    }

    @Test func invalidUTF8AndWrongTypesAreErrors() throws {
        let path = Fuzz.temporaryPath("recipe.yaml")
        defer { Fuzz.removeTemporary(path) }
        try Data([0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x20, 0xC3, 0x28, 0x0A]).write(to: URL(fileURLWithPath: path))
        #expect(throws: RecipeError.self) { try RecipeLoader.load(path: path) }
        let valid = try String(contentsOfFile: Self.quickstart, encoding: .utf8)
        // Stage options (steps: -1e308, learning_rate: .nan) are the stage plugins' to check: RunPlanTests.
        for (from, to) in [("seed: 1", "seed: [1]"), ("seed: 1", "seed: 99999999999999999999999"), ("name: quickstart", "name: {a: b}"),
                           ("stages:", "stages: 3\nx:"), ("vocab_size: 4096", "vocab_size: 1e300")] {
            #expect(load(valid.replacingOccurrences(of: from, with: to)) is RecipeError, "\(to)")
        }
    }
}

extension RecipeFuzzTests {
    /// Was a hang: eight axes of ten values make 10^8 runs, each a recipe.
    @Test func hugeGridsAreAnError() throws {
        let valid = try String(contentsOfFile: Self.quickstart, encoding: .utf8)
        let axes = (0..<8).map { "stages.pretrain.x\($0): [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]" }.joined(separator: ", ")
        #expect(load(valid + "grid: {\(axes)}\n") is RecipeError)
    }

    /// Was a hang: an override value that is itself an alias bomb.
    @Test func aliasBombOverrideIsAnError() throws {
        var value = "{a0: &a0 [lol]"
        for level in 1...9 { value += ", a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]" }
        value += "}"
        #expect(throws: RecipeError.self) { try RecipeLoader.load(path: Self.quickstart, overrides: ["seed=" + value]) }
    }
}
