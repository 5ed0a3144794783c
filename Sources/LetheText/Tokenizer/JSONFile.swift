import Foundation

/// A JSON object read from a file, with typed accessors whose errors name the file and the
/// dotted key (`model.vocab`, `added_tokens[2].id`).
struct JSONFile {
    let path: String
    /// The key of this object inside the file, with a trailing dot (`"model."`), or `""`.
    let prefix: String
    let values: [String: Any]

    /// Parses the file, which must hold one JSON object.
    init(path: String) throws {
        try self.init(path: path, data: try readData(path))
    }

    /// Parses `data`, the contents of the file at `path`.
    init(path: String, data: Data) throws {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw TokenizerError.malformedFile(path: path, reason: "not valid JSON (\(error.localizedDescription))")
        }
        guard let object = parsed as? [String: Any] else {
            throw TokenizerError.malformedFile(path: path, reason: "expected a JSON object at the top level")
        }
        self.init(path: path, prefix: "", values: object)
    }

    init(path: String, prefix: String, values: [String: Any]) {
        self.path = path
        self.prefix = prefix
        self.values = values
    }

    /// The error for `key` of this object.
    func invalid(_ key: String, _ reason: String) -> TokenizerError {
        .invalidKey(path: path, key: prefix + key, reason: reason)
    }

    /// `value`, found at `key` (a full key), as an object.
    func nested(_ value: Any, key: String) throws -> JSONFile {
        guard let object = value as? [String: Any] else {
            throw TokenizerError.invalidKey(path: path, key: key, reason: "expected an object")
        }
        return JSONFile(path: path, prefix: key + ".", values: object)
    }

    func object(_ key: String) throws -> JSONFile {
        guard let value = values[key], !(value is NSNull) else { throw invalid(key, "missing") }
        return try nested(value, key: prefix + key)
    }

    func string(_ key: String) throws -> String {
        guard let value = try optionalString(key) else { throw invalid(key, "missing") }
        return value
    }

    func int(_ key: String) throws -> Int {
        guard let value = values[key], !(value is NSNull) else { throw invalid(key, "missing") }
        guard let number = value as? Int else { throw invalid(key, "expected an integer, found \(value)") }
        return number
    }

    /// The string at `key`; `nil` when absent or `null`.
    func optionalString(_ key: String) throws -> String? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let string = value as? String else { throw invalid(key, "expected a string, found \(value)") }
        return string
    }

    /// The boolean at `key`; `nil` when absent or `null`.
    func optionalBool(_ key: String) throws -> Bool? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let flag = value as? Bool else { throw invalid(key, "expected true or false, found \(value)") }
        return flag
    }

    /// The object at `key` (or this whole object when `key` is nil) as token text to id.
    func vocabulary(_ key: String?) throws -> [String: Int] {
        let object: [String: Any]
        let name = key.map { prefix + $0 } ?? "vocabulary"
        if let key {
            guard let value = values[key] as? [String: Any] else { throw invalid(key, "expected an object of token ids") }
            object = value
        } else {
            object = values
        }
        var vocabulary: [String: Int] = [:]
        vocabulary.reserveCapacity(object.count)
        for (token, value) in object {
            guard let id = value as? Int, id >= 0 else {
                throw TokenizerError.invalidKey(
                    path: path, key: "\(name)[\(quoted(token))]", reason: "expected a non-negative integer id, found \(value)")
            }
            vocabulary[token] = id
        }
        return vocabulary
    }
}
