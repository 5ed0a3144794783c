import Foundation

/// Reads data sets exported from Hugging Face datasets (or written by `lethe data generate`):
/// JSON Lines (`.jsonl`, one object per line), CSV with a header row (`.csv`), or plain text
/// (`.txt`, one example per non-empty line, or the whole file as one document).
/// A bad record is an error naming the file and line; nothing is skipped silently.
public enum DatasetLoader {
    public enum TextUnit: String, Codable, Sendable { case line, document }

    public static func load(path: String, fields: DatasetFields = DatasetFields(), textUnit: TextUnit = .line) throws -> [TextExample] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError.cannotRead(path: path, reason: FileManager.default.fileExists(atPath: path) ? "unreadable" : "no such file")
        }
        // Invalid UTF-8 is replaced (U+FFFD) rather than refused: the tokenizer sees what a
        // lenient reader would.
        let text = String(decoding: data, as: UTF8.self)
        switch (path as NSString).pathExtension.lowercased() {
        case "jsonl", "json": return try jsonLines(text, path: path, fields: fields)
        case "csv": return try csv(text, path: path, fields: fields)
        case "txt", "text", "raw":
            if textUnit == .document { return [TextExample(text: text, source: path, line: 1)] }
            return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
                let content = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
                return content.trimmingCharacters(in: .whitespaces).isEmpty ? nil : TextExample(text: content, source: path, line: index + 1)
            }
        default:
            throw DatasetError.cannotRead(path: path, reason: "unknown extension; use .jsonl, .csv or .txt")
        }
    }

    static func jsonLines(_ text: String, path: String, fields: DatasetFields) throws -> [TextExample] {
        var examples: [TextExample] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.allSatisfy({ $0.isWhitespace }) else { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw DatasetError.badRecord(path: path, line: index + 1, reason: "not a JSON object")
            }
            examples.append(try example(object, path: path, line: index + 1, fields: fields))
        }
        return examples
    }

    static func csv(_ text: String, path: String, fields: DatasetFields) throws -> [TextExample] {
        let rows = try CSVParser.rows(text, path: path)
        guard let header = rows.first?.fields else { return [] }
        return try rows.dropFirst().map { row in
            guard row.fields.count == header.count else {
                throw DatasetError.badRecord(
                    path: path, line: row.line, reason: "\(row.fields.count) fields, the header has \(header.count)")
            }
            return try example(Dictionary(zip(header, row.fields), uniquingKeysWith: { a, _ in a }), path: path, line: row.line, fields: fields)
        }
    }

    /// Builds an example from one record's fields.
    static func example(_ record: [String: Any], path: String, line: Int, fields: DatasetFields) throws -> TextExample {
        func string(_ key: String) throws -> String? {
            guard let value = record[key], !(value is NSNull) else { return nil }
            if let s = value as? String { return s }
            if let n = value as? NSNumber { return n.stringValue }
            throw DatasetError.badRecord(path: path, line: line, reason: "field \(key) is not text")
        }
        func number(_ key: String, _ value: Any) throws -> Double {
            if let n = value as? NSNumber { return n.doubleValue }
            if let s = value as? String, let d = Double(s.trimmingCharacters(in: .whitespaces)) { return d }
            throw DatasetError.badRecord(path: path, line: line, reason: "field \(key) is not a number")
        }
        var example = TextExample(
            id: try string(fields.id), prompt: try string(fields.prompt), completion: try string(fields.completion),
            text: try string(fields.text), source: path, line: line)
        guard example.prompt != nil || example.completion != nil || example.text != nil else {
            throw DatasetError.badRecord(
                path: path, line: line,
                reason: "needs field \(fields.text), or \(fields.prompt) and \(fields.completion) (fields present: \(record.keys.sorted()))")
        }
        if let value = record[fields.label], !(value is NSNull) {
            // A class id (an integer), or a probability in [0, 1] thresholded at 0.5.
            func label(_ v: Double) throws -> Int {
                if v.isFinite, v == v.rounded(), abs(v) <= 1_000_000 { return Int(v) }
                guard v.isFinite, (0...1).contains(v) else {
                    throw DatasetError.badRecord(
                        path: path, line: line, reason: "field \(fields.label) = \(v) is neither a class id nor a probability")
                }
                return v >= 0.5 ? 1 : 0
            }
            if let n = value as? NSNumber {
                example.label = try label(n.doubleValue)
            } else if let flag = value as? Bool {
                example.label = flag ? 1 : 0
            } else if let s = value as? String, ["true", "false"].contains(s.lowercased()) {
                example.label = s.lowercased() == "true" ? 1 : 0
            } else {
                example.label = try label(try number(fields.label, value))
            }
        }
        if let object = record[fields.scores] as? [String: Any] {
            for (key, value) in object { example.scores[key] = try number("\(fields.scores).\(key)", value) }
        }
        for key in fields.scoreFields {
            guard let value = record[key] else {
                throw DatasetError.badRecord(path: path, line: line, reason: "missing score field \(key)")
            }
            example.scores[key] = try number(key, value)
        }
        return example
    }
}
