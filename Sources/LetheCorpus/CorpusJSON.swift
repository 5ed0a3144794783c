extension DefaultCorpus {
    /// A minimal JSON writer with a fixed key order and fixed-decimal numbers, so the same
    /// corpus always gives the same bytes (Foundation's encoders promise neither).
    indirect enum JSON {
        case string(String)
        case int(Int)
        case unsigned(UInt64)
        /// A number written with exactly `decimals` digits after the point.
        case fixed(Double, decimals: Int)
        case bool(Bool)
        case array([JSON])
        case object([(String, JSON)])

        /// One line, no spaces: the JSONL form.
        var compact: String {
            var out = ""
            write(into: &out, indent: nil, depth: 0)
            return out
        }

        /// Two-space indentation, one member per line, with a final newline.
        var pretty: String {
            var out = ""
            write(into: &out, indent: 2, depth: 0)
            return out + "\n"
        }

        private func write(into out: inout String, indent: Int?, depth: Int) {
            switch self {
            case .string(let s): JSON.quote(s, into: &out)
            case .int(let n): out += String(n)
            case .unsigned(let n): out += String(n)
            case .fixed(let x, let decimals): out += JSON.format(x, decimals: decimals)
            case .bool(let b): out += b ? "true" : "false"
            case .array(let items):
                writeMembers(items.map { (nil, $0) }, open: "[", close: "]", into: &out, indent: indent, depth: depth)
            case .object(let members):
                writeMembers(members.map { ($0.0, $0.1) }, open: "{", close: "}", into: &out, indent: indent, depth: depth)
            }
        }

        private func writeMembers(
            _ members: [(String?, JSON)], open: String, close: String, into out: inout String, indent: Int?, depth: Int
        ) {
            out += open
            guard !members.isEmpty else { return out += close }
            let newline = indent.map { "\n" + String(repeating: " ", count: $0 * (depth + 1)) } ?? ""
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                out += newline
                if let key {
                    JSON.quote(key, into: &out)
                    out += indent == nil ? ":" : ": "
                }
                value.write(into: &out, indent: indent, depth: depth + 1)
            }
            out += indent.map { "\n" + String(repeating: " ", count: $0 * depth) } ?? ""
            out += close
        }

        /// `s` as a JSON string: quotes, backslashes and control characters escaped; runs of
        /// other characters are copied whole.
        static func quote(_ s: String, into out: inout String) {
            out += "\""
            let bytes = s.utf8
            var run = bytes.startIndex
            for i in bytes.indices {
                let b = bytes[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                out += s[run..<i]
                switch b {
                case 0x22: out += "\\\""
                case 0x5C: out += "\\\\"
                case 0x0A: out += "\\n"
                case 0x0D: out += "\\r"
                case 0x09: out += "\\t"
                default:
                    let hex = String(b, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
                run = bytes.index(after: i)
            }
            out += s[run...]
            out += "\""
        }

        /// `x` rounded half away from zero to `decimals` digits: `format(0.5, 4) == "0.5000"`.
        static func format(_ x: Double, decimals: Int) -> String {
            guard x.isFinite else { return "0" }
            var scale = 1.0
            for _ in 0..<decimals { scale *= 10 }
            let n = Int((Swift.abs(x) * scale).rounded())
            let unit = Int(scale)
            let sign = x < 0 && n > 0 ? "-" : ""
            guard decimals > 0 else { return sign + String(n) }
            let fraction = String(n % unit)
            return sign + String(n / unit) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
    }
}
