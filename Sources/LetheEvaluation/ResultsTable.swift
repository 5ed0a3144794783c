import Foundation

/// A results table: named rows (models, methods) × named columns (metrics), each cell a
/// value with an optional interval, rendered as Markdown, CSV or JSON. Layouts for the seed
/// studies are in `ResultsTable+Layouts.swift`.
public struct ResultsTable: Codable, Equatable, Sendable {
    /// One cell: a value, optionally with its interval (e.g. a 95% bootstrap CI).
    public struct Cell: Codable, Equatable, Sendable {
        public var value: Double
        public var interval: Interval?

        /// - Parameters: see the properties.
        public init(_ value: Double, interval: Interval? = nil) { (self.value, self.interval) = (value, interval) }
    }

    /// One row: a label and one optional cell per column (nil = not measured).
    public struct Row: Codable, Equatable, Sendable {
        public var label: String
        public var cells: [Cell?]

        /// - Parameters: see the properties.
        public init(label: String, cells: [Cell?]) { (self.label, self.cells) = (label, cells) }
    }

    /// Shown above the Markdown table and stored in the JSON.
    public var title: String
    /// Header of the label column, e.g. "Method".
    public var rowHeader: String
    /// Metric names.
    public var columns: [String]
    /// Rows in order.
    public private(set) var rows: [Row] = []
    /// Decimal places of each column in Markdown (default 3).
    public var digits: [Int]
    /// A note under the table: conventions, scorer, data (e.g. "word PPL: rolling-disjoint (lm-eval)").
    public var note: String?

    /// - Parameters: see the properties; `digits` defaults to 3 for every column.
    public init(title: String, rowHeader: String = "Model", columns: [String], digits: [Int]? = nil, note: String? = nil) {
        (self.title, self.rowHeader, self.columns, self.note) = (title, rowHeader, columns, note)
        self.digits = digits ?? [Int](repeating: 3, count: columns.count)
    }

    /// Appends a row.
    /// - Throws: `EvaluationError.invalidArgument` when the cell count differs from the columns.
    public mutating func append(_ label: String, _ cells: [Cell?]) throws {
        guard cells.count == columns.count else {
            throw EvaluationError.invalidArgument(
                name: "row \(label)", reason: "\(cells.count) cells for \(columns.count) columns \(columns)")
        }
        rows.append(Row(label: label, cells: cells))
    }

    /// GitHub Markdown: `**title**`, a header, right-aligned numbers; an interval is shown as
    /// `value [lower, upper]`; a missing cell as `–`.
    public func markdown() -> String {
        var lines = ["**\(title)**", ""]
        lines.append("| " + ([rowHeader] + columns).joined(separator: " | ") + " |")
        lines.append("|---|" + columns.map { _ in "---:|" }.joined())
        for row in rows {
            let cells = row.cells.enumerated().map { i, cell -> String in
                guard let cell else { return "–" }
                let d = i < digits.count ? digits[i] : 3
                let value = Self.format(cell.value, d)
                guard let interval = cell.interval else { return value }
                return "\(value) [\(Self.format(interval.lower, d)), \(Self.format(interval.upper, d))]"
            }
            lines.append("| " + ([row.label] + cells).joined(separator: " | ") + " |")
        }
        if let note { lines += ["", note] }
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 CSV at full precision: a header row, then one row per table row; each
    /// column that has an interval anywhere gets `<column>_lower` and `<column>_upper`
    /// columns; a missing value is empty.
    public func csv() -> String {
        let withIntervals = columns.indices.map { c in rows.contains { $0.cells[c]?.interval != nil } }
        var header = [rowHeader]
        for (c, name) in columns.enumerated() {
            header.append(name)
            if withIntervals[c] { header += ["\(name)_lower", "\(name)_upper"] }
        }
        var lines = [header.map(Self.quoted).joined(separator: ",")]
        for row in rows {
            var fields = [Self.quoted(row.label)]
            for (c, cell) in row.cells.enumerated() {
                fields.append(cell.map { "\($0.value)" } ?? "")
                if withIntervals[c] {
                    fields += [cell?.interval.map { "\($0.lower)" } ?? "", cell?.interval.map { "\($0.upper)" } ?? ""]
                }
            }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table as pretty-printed JSON with sorted keys (this type's `Codable` form;
    /// non-finite numbers as the strings "inf", "-inf", "nan").
    /// - Throws: the encoder's errors.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    static func format(_ x: Double, _ digits: Int) -> String {
        x.isFinite ? String(format: "%.\(digits)f", x) : "\(x)"
    }

    static func quoted(_ field: String) -> String {
        field.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}
