/// RFC 4180 CSV: comma-separated fields, double-quoted fields may hold commas, quotes (as
/// `""`) and line breaks; CRLF or LF line ends. Returns rows with the line each starts on.
enum CSVParser {
    static func rows(_ text: String, path: String) throws -> [(line: Int, fields: [String])] {
        var rows: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var rowLine = 1
        var scalars = Array(text.unicodeScalars)[...]
        var fieldStarted = false
        while let c = scalars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if scalars.first == "\"" {
                        field.unicodeScalars.append("\"")
                        scalars.removeFirst()
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where !fieldStarted:
                inQuotes = true
                fieldStarted = true
            case ",":
                fields.append(field)
                field = ""
                fieldStarted = false
            case "\r" where scalars.first == "\n":
                continue
            case "\n":
                fields.append(field)
                if !(fields.count == 1 && fields[0].isEmpty) { rows.append((rowLine, fields)) }
                (fields, field, fieldStarted) = ([], "", false)
                line += 1
                rowLine = line
            default:
                field.unicodeScalars.append(c)
                fieldStarted = true
            }
        }
        if inQuotes { throw DatasetError.badRecord(path: path, line: rowLine, reason: "unterminated quoted field") }
        if fieldStarted || !fields.isEmpty {
            fields.append(field)
            rows.append((rowLine, fields))
        }
        return rows
    }
}
