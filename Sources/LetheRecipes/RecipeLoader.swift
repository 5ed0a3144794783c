import Foundation
import Yams

/// Loads recipes: parse, apply `--set` overrides, decode strictly, expand grids.
public enum RecipeLoader {
    /// The most runs a grid may expand to.
    public static let maximumGridRuns = 10_000

    /// Loads `path` with `overrides` (`"stages.unlearn.steps=200"`, `"seed=3"`).
    public static func load(path: String, overrides: [String] = []) throws -> Recipe {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RecipeError.cannotRead(file: path, reason: FileManager.default.fileExists(atPath: path) ? "not UTF-8 text" : "no such file")
        }
        let folder = (path as NSString).deletingLastPathComponent
        return try parse(text, file: path, folder: folder.isEmpty ? "." : folder, overrides: overrides)
    }

    public static func parse(_ text: String, file: String = "recipe", folder: String = ".", overrides: [String] = []) throws -> Recipe {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw RecipeError.invalid(file: file, path: "", line: 1, reason: "empty recipe") }
            root = node
        } catch let error as RecipeError {
            throw error
        } catch {
            throw RecipeError.invalid(file: file, path: "", line: 0, reason: "not valid YAML (\(error))")
        }
        try RecipeLimits.check(root, file: file)
        var node = root
        for assignment in overrides {
            // The value is YAML too: bound it before `apply` walks it.
            if let equals = assignment.firstIndex(of: "="), let value = try? Yams.compose(yaml: String(assignment[assignment.index(after: equals)...])) {
                try RecipeLimits.check(value, file: file)
            }
            node = try RecipeOverrides.apply(assignment, to: node, file: file)
        }
        if !overrides.isEmpty { try RecipeLimits.check(node, file: file) }
        return try RecipeDecoder(file: file, folder: folder).recipe(RecipeNode(node: node, file: file, path: ""), yaml: try Yams.serialize(node: node))
    }

    /// The runs a recipe's grid describes: the cartesian product of its axes, each a recipe
    /// with those overrides applied and its name suffixed (`quickstart-seed=2-...`). A recipe
    /// without a grid expands to itself.
    /// A grid value as part of a run's name (a folder name, and plain YAML): letters, digits,
    /// `.`, `_`, and `-` between two of them kept; every other run of characters one `_`
    /// (`{rank: 8, targets: [q_proj]}` → `rank_8_targets_q_proj`, `1.0e-4` unchanged).
    static func nameSafe(_ value: String) -> String {
        let characters = Array(value)
        func word(_ c: Character?) -> Bool { c.map { $0.isLetter || $0.isNumber || $0 == "." } ?? false }
        var name = ""
        for (i, c) in characters.enumerated() {
            let keep = word(c) || (c == "-" && word(i > 0 ? characters[i - 1] : nil) && word(i + 1 < characters.count ? characters[i + 1] : nil))
            if keep {
                name.append(c)
            } else if name.last != "_" {
                name.append("_")
            }
        }
        let trimmed = name.trimmingCharacters(in: CharacterSet(charactersIn: "_"))
        return trimmed.isEmpty ? "value" : trimmed
    }

    public static func expand(_ recipe: Recipe, file: String = "recipe") throws -> [Recipe] {
        var runs = 1
        for axis in recipe.gridAxes {
            let (product, overflow) = runs.multipliedReportingOverflow(by: axis.values.count)
            guard !overflow, product <= maximumGridRuns else {
                throw RecipeError.invalid(file: file, path: "grid", line: 0, reason: "expands to more than \(maximumGridRuns) runs")
            }
            runs = product
        }
        var combinations: [[(String, String)]] = [[]]
        for axis in recipe.gridAxes {
            combinations = combinations.flatMap { prefix in axis.values.map { prefix + [(axis.path, $0)] } }
        }
        if recipe.gridAxes.isEmpty { return [recipe] }
        return try combinations.map { choice in
            var overrides = choice.map { "\($0.0)=\($0.1)" }
            overrides.append("grid={}")
            overrides.append("name=\(recipe.name)-" + choice.map { "\($0.0.split(separator: ".").last ?? "")=\(Self.nameSafe($0.1))" }.joined(separator: "-"))
            var run = try parse(recipe.yaml, file: file, folder: recipe.folder, overrides: overrides)
            run.gridChoice = choice.map { (path: $0.0, value: $0.1) }
            return run
        }
    }
}
