import Foundation

/// A line plot written as a standalone SVG: one polyline per series, axes with "nice"
/// ticks (1, 2, 5 × 10^k; powers of ten on a log axis), axis labels, a title and a legend
/// to the right of the plot area. Points with a non-finite coordinate (or y ≤ 0 on a log
/// axis) are left out and break the line there; a point standing alone is drawn as a dot.
public struct LinePlot {
    public struct Series {
        public var name: String
        public var points: [(x: Double, y: Double)]
        /// Drawn dashed, e.g. a reference line.
        public var dashed: Bool
        /// Listed in the legend.
        public var inLegend: Bool

        public init(name: String, points: [(x: Double, y: Double)], dashed: Bool = false, inLegend: Bool = true) {
            (self.name, self.points, self.dashed, self.inLegend) = (name, points, dashed, inLegend)
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series] = []
    /// A logarithmic y axis (base 10).
    public var logY = false
    /// Fixed axis ranges (default: the data's range, widened to nice ticks).
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    /// Size of the plot area in pixels (the legend and margins come on top).
    public var width = 560.0
    public var height = 320.0

    /// Colours of the series, in order (Tableau 10), repeated past ten series.
    static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    public init(title: String, xLabel: String, yLabel: String) {
        (self.title, self.xLabel, self.yLabel) = (title, xLabel, yLabel)
    }

    /// The SVG document.
    /// - Throws: `ReportError.invalid` when no series has a point that can be drawn.
    public func svg() throws -> String {
        let drawable = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite && (!logY || $0.y > 0) }
        guard !drawable.isEmpty else {
            throw ReportError.invalid("plot '\(title)': no point to draw" + (logY ? " (a log axis needs values above 0)" : ""))
        }
        let xAxis = Axis(values: drawable.map(\.x), fixed: xRange, log: false)
        let yAxis = Axis(values: drawable.map(\.y), fixed: yRange, log: logY)
        let (left, top, right, bottom) = (64.0, 36.0, 16.0, 48.0)
        let legend = series.filter(\.inLegend)
        let legendWidth = legend.isEmpty ? 0 : 40 + 7 * Double(legend.map(\.name.count).max() ?? 0)
        let (totalWidth, totalHeight) = (left + width + right + legendWidth, top + height + bottom)
        func px(_ x: Double) -> Double { left + xAxis.fraction(x) * width }
        func py(_ y: Double) -> Double { top + (1 - yAxis.fraction(y)) * height }

        var out = [
            String(format: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">",
                   totalWidth, totalHeight, totalWidth, totalHeight),
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            String(format: "<text x=\"%.1f\" y=\"20\" font-size=\"14\">%@</text>", left, escape(title)),
        ]
        for tick in xAxis.ticks {
            let x = px(tick)
            out.append(String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>", x, top, x, top + height))
            out.append(String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@</text>", x, top + height + 16, xAxis.label(tick)))
        }
        for tick in yAxis.ticks {
            let y = py(tick)
            out.append(String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>", left, y, left + width, y))
            out.append(String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%@</text>", left - 6, y + 4, yAxis.label(tick)))
        }
        out.append(String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#333\"/>", left, top, width, height))
        out.append(String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@</text>", left + width / 2, totalHeight - 10, escape(xLabel)))
        out.append(String(format: "<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\">%@</text>", top + height / 2, escape(yLabel + (logY ? " (log)" : ""))))
        out.append(String(format: "<clipPath id=\"area\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/></clipPath>", left, top, width, height))

        var legendIndex = 0
        for (index, s) in series.enumerated() {
            let colour = s.dashed && !s.inLegend ? "#888" : Self.palette[index % Self.palette.count]
            let dash = s.dashed ? " stroke-dasharray=\"5 4\"" : ""
            for segment in segments(s.points) {
                if segment.count == 1, let p = segment.first {
                    out.append(String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%@\"/>", px(p.x), py(p.y), colour))
                    continue
                }
                let points = segment.map { String(format: "%.1f,%.1f", px($0.x), py($0.y)) }.joined(separator: " ")
                out.append("<polyline clip-path=\"url(#area)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.6\"\(dash) points=\"\(points)\"/>")
            }
            guard s.inLegend else { continue }
            let (x, y) = (left + width + 16, top + 8 + 18 * Double(legendIndex))
            out.append(String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%@\" stroke-width=\"2\"%@/>", x, y, x + 20, y, colour, dash))
            out.append(String(format: "<text x=\"%.1f\" y=\"%.1f\">%@</text>", x + 26, y + 4, escape(s.name)))
            legendIndex += 1
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// Runs of consecutive drawable points.
    private func segments(_ points: [(x: Double, y: Double)]) -> [[(x: Double, y: Double)]] {
        var result: [[(x: Double, y: Double)]] = [[]]
        for p in points {
            if p.x.isFinite, p.y.isFinite, !logY || p.y > 0 {
                result[result.count - 1].append(p)
            } else if !(result.last ?? []).isEmpty {
                result.append([])
            }
        }
        return result.filter { !$0.isEmpty }
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// One axis: its range (in log10 units on a log axis), ticks (data values) and tick labels.
struct Axis {
    let log: Bool
    let low: Double
    let high: Double
    let ticks: [Double]

    init(values: [Double], fixed: ClosedRange<Double>?, log: Bool) {
        self.log = log
        let mapped = values.map { log ? Foundation.log10($0) : $0 }
        var lo = fixed.map { log ? Foundation.log10($0.lowerBound) : $0.lowerBound } ?? (mapped.min() ?? 0)
        var hi = fixed.map { log ? Foundation.log10($0.upperBound) : $0.upperBound } ?? (mapped.max() ?? 1)
        if !(hi > lo) { (lo, hi) = (lo - 0.5, hi + 0.5) }
        if log {
            if fixed == nil { (lo, hi) = (lo.rounded(.down), hi.rounded(.up)) }
            let decades = Array(Int(lo.rounded(.down))...Int(hi.rounded(.up))).map(Double.init)
            let candidates = hi - lo <= 2 ? decades.flatMap { [$0, $0 + Foundation.log10(2), $0 + Foundation.log10(5)] } : decades
            ticks = candidates.filter { $0 >= lo - 1e-9 && $0 <= hi + 1e-9 }.map { pow(10, $0) }
        } else {
            let step = Axis.niceStep((hi - lo) / 5)
            if fixed == nil { (lo, hi) = ((lo / step).rounded(.down) * step, (hi / step).rounded(.up) * step) }
            let first = (lo / step).rounded(.up)
            ticks = stride(from: first, through: (hi / step).rounded(.down), by: 1).map { $0 * step }
        }
        (low, high) = (lo, hi)
    }

    /// Where `value` lies between the axis ends, 0 to 1.
    func fraction(_ value: Double) -> Double {
        ((log ? Foundation.log10(value) : value) - low) / (high - low)
    }

    /// A tick's label: the value with as few digits as the tick step needs.
    func label(_ value: Double) -> String {
        if value != 0, abs(value) >= 1e5 || abs(value) < 1e-3 { return String(format: "%.0e", value) }
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(format: "%.0f", rounded) : String(format: "%g", rounded)
    }

    /// The 1, 2 or 5 × 10^k nearest above `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let magnitude = pow(10, (Foundation.log10(rough)).rounded(.down))
        let unit = rough / magnitude
        return magnitude * (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10)
    }
}
