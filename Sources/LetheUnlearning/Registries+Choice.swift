import LetheOptions

extension ObjectiveRegistry {
    /// Builds the objective a recipe names (`objective: {name: grad_diff, gamma: 1}`).
    /// - Throws: `OptionError` at the choice's line for an unknown name (listing the
    ///   available ones) or a bad option; with `diagnostics`, option mistakes are recorded there.
    public func make(_ choice: PluginChoice, diagnostics: Diagnostics? = nil) throws -> any TrainingObjective {
        guard let type = types.first(where: { $0.name == choice.name }) else {
            throw OptionError(origin: choice.origin, reason: "unknown objective '\(choice.name)'; available: \(names.joined(separator: ", "))")
        }
        let owner = "objective \(choice.name)"
        do {
            return try type.init(options: try choice.pluginOptions(owner: owner, diagnostics: diagnostics))
        } catch let error as OptionError {
            throw error
        } catch {
            throw OptionError(origin: choice.origin, owner: owner, reason: "\(error)")
        }
    }
}

extension CombinerRegistry {
    /// Builds the combiner a recipe names (`combiner: pcgrad` or `{name: sum, weight_forget: 2}`).
    /// - Throws: as `ObjectiveRegistry.make(_:diagnostics:)`.
    public func make(_ choice: PluginChoice, diagnostics: Diagnostics? = nil) throws -> any GradientCombiner {
        guard let type = types.first(where: { $0.name == choice.name }) else {
            throw OptionError(origin: choice.origin, reason: "unknown combiner '\(choice.name)'; available: \(names.joined(separator: ", "))")
        }
        let owner = "combiner \(choice.name)"
        do {
            return try type.init(options: try choice.pluginOptions(owner: owner, diagnostics: diagnostics))
        } catch let error as OptionError {
            throw error
        } catch {
            throw OptionError(origin: choice.origin, owner: owner, reason: "\(error)")
        }
    }
}
