/// Typed reads of GGUF metadata: each throws `GGUFError.missingKey` or `.wrongType` naming
/// the file and the key; the `…IfPresent` forms return `nil` for a missing key (and still
/// throw for a wrong type).
extension GGUFFile {
    /// The key's value, `nil` when missing.
    public func value(_ key: String) -> GGUFValue? { metadata[key] }

    private func typed<T>(_ key: String, _ expected: String, _ extract: (GGUFValue) -> T?) throws -> T? {
        guard let value = metadata[key] else { return nil }
        guard let typed = extract(value) else {
            throw GGUFError.wrongType(path: path, key: key, expected: expected, found: "\(value.typeDescription) \(value)")
        }
        return typed
    }

    private func required<T>(_ key: String, _ expected: String, _ extract: (GGUFValue) -> T?) throws -> T {
        guard let value = try typed(key, expected, extract) else { throw GGUFError.missingKey(path: path, key: key) }
        return value
    }

    public func string(_ key: String) throws -> String { try required(key, "a string", \.string) }
    public func stringIfPresent(_ key: String) throws -> String? { try typed(key, "a string", \.string) }

    /// An integer of any stored width that fits `Int`.
    public func integer(_ key: String) throws -> Int { try required(key, "an integer", \.integer) }
    public func integerIfPresent(_ key: String) throws -> Int? { try typed(key, "an integer", \.integer) }

    /// A float32 or float64 (or an integer) as a `Double`.
    public func number(_ key: String) throws -> Double { try required(key, "a number", \.number) }
    public func numberIfPresent(_ key: String) throws -> Double? { try typed(key, "a number", \.number) }

    public func bool(_ key: String) throws -> Bool { try required(key, "a bool", \.bool) }
    public func boolIfPresent(_ key: String) throws -> Bool? { try typed(key, "a bool", \.bool) }

    /// An array of strings.
    public func strings(_ key: String) throws -> [String] { try required(key, "an array of strings", Self.strings) }
    public func stringsIfPresent(_ key: String) throws -> [String]? { try typed(key, "an array of strings", Self.strings) }

    /// An array of integers (any width that fits `Int`).
    public func integers(_ key: String) throws -> [Int] { try required(key, "an array of integers", Self.integers) }
    public func integersIfPresent(_ key: String) throws -> [Int]? { try typed(key, "an array of integers", Self.integers) }

    /// An array of numbers (floats or integers) as `Double`s.
    public func numbers(_ key: String) throws -> [Double] { try required(key, "an array of numbers", Self.numbers) }
    public func numbersIfPresent(_ key: String) throws -> [Double]? { try typed(key, "an array of numbers", Self.numbers) }

    private static func strings(_ value: GGUFValue) -> [String]? {
        guard case let .array(type, values) = value, type == .string || values.isEmpty else { return nil }
        return values.compactMap(\.string)
    }

    private static func integers(_ value: GGUFValue) -> [Int]? {
        guard let values = value.array else { return nil }
        let integers = values.compactMap(\.integer)
        return integers.count == values.count ? integers : nil
    }

    private static func numbers(_ value: GGUFValue) -> [Double]? {
        guard let values = value.array else { return nil }
        let numbers = values.compactMap(\.number)
        return numbers.count == values.count ? numbers : nil
    }
}
