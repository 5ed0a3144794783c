/// Token text to id, compared byte for byte. Swift `String` keys compare up to canonical
/// equivalence, so a `[String: Int]` (and Foundation's JSON parser) would merge tokens such as
/// `"é"` (U+00E9) and `"e\u{301}"`, or `"Å"` (U+00C5) and `"Å"` (U+212B), which SentencePiece
/// vocabularies may hold as different tokens.
struct ExactVocabulary: Sendable {
    private var ids: [[UInt8]: Int] = [:]
    /// The entries in the order given (a repeated token keeps its last id).
    private(set) var entries: [(token: String, id: Int)] = []

    init<Entries: Sequence>(_ entries: Entries) where Entries.Element == (String, Int) {
        for (token, id) in entries {
            ids[Array(token.utf8)] = id
            self.entries.append((token, id))
        }
    }

    var count: Int { ids.count }

    subscript(token: String) -> Int? { ids[Array(token.utf8)] }
}

/// Reads the entries of one object inside a JSON document, keys kept byte for byte (see
/// `ExactVocabulary`): a small scanner over the UTF-8 bytes that skips everything else.
/// Returns `nil` when the object is not there or the document is malformed (the caller has
/// already parsed the file with Foundation, which reports malformed JSON).
enum ExactJSONObject {
    /// The `(key, integer)` entries of the object at `path` (`["model", "vocab"]`), in file order.
    static func integerEntries(_ bytes: [UInt8], at path: [String]) -> [(String, Int)]? {
        var scanner = Scanner(bytes: bytes)
        return scanner.entries(at: path[...])
    }

    private struct Scanner {
        let bytes: [UInt8]
        var i = 0

        mutating func entries(at path: ArraySlice<String>) -> [(String, Int)]? {
            skipSpace()
            guard peek() == 0x7B else { return nil }  // {
            i += 1
            var result: [(String, Int)] = []
            while true {
                skipSpace()
                if peek() == 0x7D { i += 1; return path.isEmpty ? result : nil }  // }
                guard let key = string() else { return nil }
                skipSpace()
                guard peek() == 0x3A else { return nil }  // :
                i += 1
                skipSpace()
                if let name = path.first {
                    if key == name { return entries(at: path.dropFirst()) }
                    guard skipValue() else { return nil }
                } else {
                    guard let number = integer() else { return nil }
                    result.append((key, number))
                }
                skipSpace()
                if peek() == 0x2C { i += 1 }  // ,
            }
        }

        func peek() -> UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func skipSpace() {
            while let b = peek(), b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { i += 1 }
        }

        /// A JSON string at `i`, escapes decoded (an unpaired surrogate as U+FFFD).
        mutating func string() -> String? {
            guard peek() == 0x22 else { return nil }
            i += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                raw.removeAll()
            }
            while let b = peek() {
                i += 1
                if b == 0x22 {
                    flush()
                    return String(scalars)
                }
                guard b == 0x5C else { raw.append(b); continue }
                guard let e = peek() else { return nil }
                i += 1
                switch e {
                case 0x6E: raw.append(0x0A)
                case 0x74: raw.append(0x09)
                case 0x72: raw.append(0x0D)
                case 0x62: raw.append(0x08)
                case 0x66: raw.append(0x0C)
                case 0x75:
                    guard var value = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(value), peek() == 0x5C, i + 1 < bytes.count, bytes[i + 1] == 0x75 {
                        let save = i
                        i += 2
                        if let low = hex4(), (0xDC00..<0xE000).contains(low) {
                            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = save
                        }
                    }
                    flush()
                    scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
                default: raw.append(e)  // \" \\ \/
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard i + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else {
                return nil
            }
            i += 4
            return value
        }

        mutating func integer() -> Int? {
            let start = i
            if peek() == 0x2D { i += 1 }
            while let b = peek(), b >= 0x30 && b <= 0x39 { i += 1 }
            return Int(String(decoding: bytes[start..<i], as: UTF8.self))
        }

        /// Skips one value of any kind; false when malformed.
        mutating func skipValue() -> Bool {
            skipSpace()
            guard let b = peek() else { return false }
            switch b {
            case 0x22:
                return string() != nil
            case 0x7B, 0x5B:  // { [
                var depth = 0
                while let c = peek() {
                    if c == 0x22 {
                        guard string() != nil else { return false }
                        continue
                    }
                    i += 1
                    if c == 0x7B || c == 0x5B { depth += 1 }
                    if c == 0x7D || c == 0x5D {
                        depth -= 1
                        if depth == 0 { return true }
                    }
                }
                return false
            default:  // number, true, false, null
                while let c = peek(), c != 0x2C && c != 0x7D && c != 0x5D && c != 0x20 && c != 0x0A && c != 0x0D && c != 0x09 { i += 1 }
                return true
            }
        }
    }
}
