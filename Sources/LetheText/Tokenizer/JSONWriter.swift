/// JSON text written by hand, so that files keep the order Hugging Face writes (vocabulary by
/// id, merges by rank), which `JSONSerialization` cannot.
enum JSONWriter {
    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped,
    /// everything else (non-ASCII included) as UTF-8.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16, uppercase: false)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `{"key": value, ...}` on one line, values already JSON.
    static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { string($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
    }

    static func bool(_ flag: Bool) -> String { flag ? "true" : "false" }

    static func optional(_ text: String?) -> String { text.map(string) ?? "null" }
}
