/// A plugin named with its options, in any of the recipe's three spellings:
///
///     combiner: pcgrad                              # a name alone
///     objective: {name: grad_diff, gamma: 1.0}      # a map with `name`
///     attacks: [loss, {min_k: {k: 0.2}}]            # a one-key map: name → options
public struct PluginChoice: Sendable, Equatable {
    public var name: String
    public var options: OptionNode
    /// Where the choice was written.
    public var origin: OptionOrigin

    public init(name: String, options: OptionNode = .emptyMap(), origin: OptionOrigin = OptionOrigin()) {
        (self.name, self.options, self.origin) = (name, options, origin)
    }

    /// Reads a choice from `node`.
    /// - Throws: `OptionError` naming the node when it is none of the three spellings.
    public init(_ node: OptionNode) throws {
        origin = node.origin
        switch node.value {
        case let .text(s) where !s.isEmpty:
            (name, options) = (s, .emptyMap(origin: node.origin))
        case let .map(entries):
            if let named = entries.first(where: { $0.key == "name" }) {
                guard case let .text(s) = named.node.value, !s.isEmpty else {
                    throw OptionError(origin: named.node.origin, reason: "name must be text")
                }
                name = s
                options = OptionNode(.map(entries.filter { $0.key != "name" }), origin: node.origin)
            } else if entries.count == 1, let only = entries.first {
                name = only.key
                options = only.node
            } else {
                throw OptionError(origin: node.origin, reason: "expected a name, {name: ..., options}, or {name: {options}}")
            }
        default:
            throw OptionError(origin: node.origin, reason: "expected a name, {name: ..., options}, or {name: {options}}, got \(node)")
        }
    }

    /// The options as `PluginOptions` for a plugin called `owner`.
    public func pluginOptions(owner: String, diagnostics: Diagnostics? = nil) throws -> PluginOptions {
        try PluginOptions(node: options, owner: owner, diagnostics: diagnostics)
    }
}

/// A literal table of plugin types of one kind, looked up by name (an unknown name lists
/// the available ones). Every registry of Lethe (objectives, combiners, stages, evaluation
/// suites, membership attacks) is one of these.
public struct Registry<Plugin>: @unchecked Sendable {
    /// The kind, for messages (`objective`).
    public let kind: String
    public let entries: [(name: String, plugin: Plugin)]

    public init(kind: String, _ entries: [(name: String, plugin: Plugin)]) {
        self.kind = kind
        self.entries = entries
    }

    /// Registered names, sorted.
    public var names: [String] { entries.map(\.name).sorted() }

    /// The registry with `plugin` added under `name` (replacing one of the same name).
    public func adding(_ name: String, _ plugin: Plugin) -> Registry {
        Registry(kind: kind, entries.filter { $0.name != name } + [(name, plugin)])
    }

    /// The plugin named `name`.
    /// - Throws: `OptionError` at `origin` listing the available names.
    public func lookup(_ name: String, origin: OptionOrigin = OptionOrigin()) throws -> Plugin {
        guard let plugin = entries.first(where: { $0.name == name })?.plugin else {
            throw OptionError(origin: origin, reason: "unknown \(kind) '\(name)'; available: \(names.joined(separator: ", "))")
        }
        return plugin
    }
}

extension Registry {
    /// Looks `choice` up and builds it with `body`; any error that is not already an
    /// `OptionError` is reported at the choice, owned by `<kind> <name>`. With
    /// `diagnostics`, option mistakes are recorded there and the plugin is still built.
    public func build<T>(_ choice: PluginChoice, diagnostics: Diagnostics?, _ body: (Plugin, PluginOptions) throws -> T) throws -> T {
        let plugin = try lookup(choice.name, origin: choice.origin)
        let owner = "\(kind) \(choice.name)"
        do {
            return try body(plugin, try choice.pluginOptions(owner: owner, diagnostics: diagnostics))
        } catch let error as OptionError {
            throw error
        } catch let error as OptionErrors {
            throw error
        } catch {
            throw OptionError(origin: choice.origin, owner: owner, reason: "\(error)")
        }
    }
}
