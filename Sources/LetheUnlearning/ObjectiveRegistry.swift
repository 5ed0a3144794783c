/// The objectives recipes can name: one literal table. Research code extends it with
/// `ObjectiveRegistry.builtIn.adding(MyObjective.self)` and passes the result on; no
/// library edit, no global state.
public struct ObjectiveRegistry {
    public let types: [any TrainingObjective.Type]

    public static let builtIn = ObjectiveRegistry(types: [
        GradientAscent.self,
        GradDiff.self,
        NPO.self,
        SimNPO.self,
        DPO.self,
        IdkDPO.self,
        IdkSFT.self,
        RetainNLL.self,
        RetainKL.self,
        RMU.self,
        NextToken.self,
        Classification.self,
        Distillation.self,
    ])

    public init(types: [any TrainingObjective.Type]) { self.types = types }

    /// Registered names, sorted.
    public var names: [String] { types.map { $0.name }.sorted() }

    /// The registry with `type` added (replacing a built-in of the same name).
    public func adding(_ type: any TrainingObjective.Type) -> ObjectiveRegistry {
        ObjectiveRegistry(types: types.filter { $0.name != type.name } + [type])
    }

    /// Builds the objective named `name` from its options.
    /// - Throws: `UnlearningError.unknownName` listing the available names, or the
    ///   objective's own option error.
    public func make(_ name: String, options: [String: PluginOptions.Value] = [:]) throws -> any TrainingObjective {
        guard let type = types.first(where: { $0.name == name }) else {
            throw UnlearningError.unknownName(kind: "objective", name: name, available: names)
        }
        return try type.init(options: PluginOptions(options, owner: "objective \(name)"))
    }
}
