import Foundation
import Yams

/// Loads recipes: parse, apply `--set` overrides, decode strictly, expand grids.
public enum RecipeLoader {
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
        var node = root
        for assignment in overrides { node = try RecipeOverrides.apply(assignment, to: node, file: file) }
        return try RecipeDecoder(file: file, folder: folder).recipe(RecipeNode(node: node, file: file, path: ""), yaml: try Yams.serialize(node: node))
    }

    /// The runs a recipe's grid describes: the cartesian product of its axes, each a recipe
    /// with those overrides applied and its name suffixed (`quickstart-seed=2-...`). A recipe
    /// without a grid expands to itself.
    public static func expand(_ recipe: Recipe, file: String = "recipe") throws -> [Recipe] {
        var combinations: [[(String, String)]] = [[]]
        for axis in recipe.gridAxes {
            combinations = combinations.flatMap { prefix in axis.values.map { prefix + [(axis.path, $0)] } }
        }
        if recipe.gridAxes.isEmpty { return [recipe] }
        return try combinations.map { choice in
            var overrides = choice.map { "\($0.0)=\($0.1)" }
            overrides.append("grid={}")
            overrides.append("name=\(recipe.name)-" + choice.map { "\($0.0.split(separator: ".").last ?? "")=\($0.1)" }.joined(separator: "-"))
            var run = try parse(recipe.yaml, file: file, folder: recipe.folder, overrides: overrides)
            run.gridChoice = choice.map { (path: $0.0, value: $0.1) }
            return run
        }
    }
}
