import Foundation
import LetheStorage

/// Conflict statistics of a gradient log (`lethe inspect gradients RUN`): per parameter
/// tensor, the share of steps whose forget/retain cosine is negative, the mean cosine and the
/// ratio of mean gradient norms (first loss over second), plus the whole model.
public struct GradientInspection {
    public struct Row: Equatable {
        public let name: String
        public let negativeShare: Double
        public let meanCosine: Double
        public let normRatio: Double
    }

    public let lossNames: [String]
    public let steps: [Double]
    public let modelCosine: [Double]
    public let rows: [Row]
    /// The model row followed by one row per tensor.
    public var table: [Row] { [modelRow] + rows }
    public let modelRow: Row

    /// Reads `gradients.h5`, or the `gradients.h5` inside a run folder.
    public init(path: String) throws {
        var isDirectory: ObjCBool = false
        let file = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? path + "/gradients.h5" : path
        let h5 = try HDF5File.open(at: file)
        defer { h5.close() }
        guard (try? h5.stringAttribute("format")) == "lethe.gradients" else {
            throw UnlearningError.invalidInput("\(file): not a Lethe gradient log")
        }
        let names = try JSONDecoder().decode([String].self, from: Data(h5.stringAttribute("parameter_names").utf8))
        lossNames = try JSONDecoder().decode([String].self, from: Data(h5.stringAttribute("loss_names").utf8))
        guard lossNames.count >= 2 else {
            throw UnlearningError.invalidInput("\(file): conflict statistics need two losses, the log has \(lossNames)")
        }
        steps = try h5.readTensor("/step").doubles
        modelCosine = try h5.readTensor("/model_cosine").doubles
        let n = steps.count
        let P = names.count
        let cosine = try h5.readTensor("/cosine").doubles
        let first = try h5.readTensor("/norm/\(lossNames[0])").doubles
        let second = try h5.readTensor("/norm/\(lossNames[1])").doubles
        func row(_ name: String, _ cosines: [Double], _ a: [Double], _ b: [Double]) -> Row {
            let finite = cosines.filter { $0.isFinite }
            let meanA = a.filter { $0.isFinite }.reduce(0, +) / Double(max(1, a.count))
            let meanB = b.filter { $0.isFinite }.reduce(0, +) / Double(max(1, b.count))
            return Row(
                name: name, negativeShare: Double(finite.filter { $0 < 0 }.count) / Double(max(1, finite.count)),
                meanCosine: finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count),
                normRatio: meanB > 0 ? meanA / meanB : .nan)
        }
        rows = (0..<P).map { p in
            row(names[p], (0..<n).map { cosine[$0 * P + p] }, (0..<n).map { first[$0 * P + p] }, (0..<n).map { second[$0 * P + p] })
        }
        modelRow = row(
            "(whole model)", modelCosine, try h5.readTensor("/model_norm/\(lossNames[0])").doubles,
            try h5.readTensor("/model_norm/\(lossNames[1])").doubles)
    }

    /// The table as Markdown.
    public func markdown() -> String {
        var lines = ["| tensor | steps with cos < 0 | mean cos | norm ratio \(lossNames[0])/\(lossNames[1]) |", "| --- | ---: | ---: | ---: |"]
        for r in table {
            lines.append(String(format: "| %@ | %.1f%% | %.4f | %.4f |", r.name as NSString, 100 * r.negativeShare, r.meanCosine, r.normRatio))
        }
        return lines.joined(separator: "\n")
    }

    /// An SVG line plot of the whole-model cosine over steps (−1 to 1, zero line marked).
    public func svg(width: Double = 640, height: Double = 320) -> String {
        let (left, right, top, bottom) = (56.0, 16.0, 24.0, 40.0)
        let (w, h) = (width - left - right, height - top - bottom)
        let (first, last) = (steps.first ?? 0, max(steps.last ?? 1, (steps.first ?? 0) + 1))
        func x(_ s: Double) -> Double { left + (s - first) / (last - first) * w }
        func y(_ c: Double) -> Double { top + (1 - (c + 1) / 2) * h }
        let points = zip(steps, modelCosine).filter { $0.1.isFinite }
            .map { String(format: "%.1f,%.1f", x($0.0), y($0.1)) }.joined(separator: " ")
        var svg = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            String(format: "<text x=\"%.0f\" y=\"16\">cosine(%@, %@) of the whole-model gradients per step</text>", left, lossNames[0], lossNames[1]),
            String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>", left, y(0), left + w, y(0)),
            String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"black\"/>", left, top, w, h),
        ]
        for tick in [-1.0, -0.5, 0, 0.5, 1] {
            svg.append(String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>", left - 6, y(tick) + 4, tick))
        }
        svg.append(String(format: "<text x=\"%.1f\" y=\"%.1f\">step %.0f</text>", left, height - 12, first))
        svg.append(String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">step %.0f</text>", left + w, height - 12, last))
        svg.append("<polyline fill=\"none\" stroke=\"#c0392b\" stroke-width=\"1.5\" points=\"\(points)\"/>")
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }
}
