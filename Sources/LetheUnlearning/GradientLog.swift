import Foundation
import LetheStorage
import LetheTensor

/// The per-step gradient log of a run (`gradients.h5`), readable by h5py with no Lethe code.
/// All datasets grow along an unlimited first axis (one row per logged step), chunked and
/// gzip-compressed; P is the number of parameter tensors, in `parameter_names` order:
///
///     /step                      [n]        step number
///     /learning_rate             [n]
///     /loss/<loss>               [n]        loss value
///     /norm/<loss>               [n, P]     gradient norm per tensor
///     /model_norm/<loss>         [n]        whole-model gradient norm
///     /cosine                    [n, P]     cosine between the first two losses (forget,
///                                           retain) per tensor; NaN where a norm is 0
///     /model_cosine              [n]
///     /projected/<loss>          [n]        1 when the combiner projected that gradient
///     /weight/<loss>             [n, P]     the loss's coefficient in the direction per tensor
///                                           (d = Σ c gᵢ); NaN when the combiner has none (GradDrop)
///     /model_weight/<loss>       [n]        its whole-model weight (`CombinerReport.weights`)
///     /direction_norm            [n]        norm of the combined direction, before clipping
///     /clipped                   [n]        1 when the combiner scaled its direction to a bound
///     /full/<loss>/<tensor>      [m, ...]   whole gradient tensors, every `fullEvery` steps
///     /full_step                 [m]        the steps of those rows
///     attributes: format = "lethe.gradients", format_version = 1, parameter_names and
///       loss_names (JSON lists)
///
/// `/weight`, `/model_weight`, `/direction_norm` and `/clipped` came later within format
/// version 1: readers treat them as optional (older logs lack them).
///
/// The file is open only while a step is appended (created, then reopened and closed at each
/// `append`), so a run killed between steps leaves a log h5py opens: HDF5 marks a file open
/// for writing in its superblock, and a file killed open is refused ("already open for
/// write ... h5clear") until that mark is cleared.
///
/// Every statistic comes from the combiner's Gramians, so logging adds no pass over the
/// gradients except for the full tensors. Steps skipped for a NaN or an infinity
/// (`NonFinitePolicy.skip`) have no row, nor, under `TrainerConfiguration.gradientLogEvery`
/// = N, steps whose number is not a multiple of N.
public final class GradientLog {
    public let path: String
    public let parameterNames: [String]
    public let lossNames: [String]
    /// Full tensors are logged every this many steps (nil: never), for `fullParameters`
    /// (nil: all).
    public let fullEvery: Int?
    public let fullParameters: [String]?
    /// The open file during `append`, nil between steps.
    private var file: HDF5File?

    public init(
        path: String, parameterNames: [String], lossNames: [String], fullEvery: Int? = nil, fullParameters: [String]? = nil
    ) throws {
        guard !lossNames.isEmpty else { throw UnlearningError.invalidInput("\(path): a gradient log needs loss names") }
        if let unknown = fullParameters?.first(where: { !parameterNames.contains($0) }) {
            throw UnlearningError.invalidInput("\(path): cannot log full gradients of unknown tensor \(unknown)")
        }
        (self.path, self.parameterNames, self.lossNames) = (path, parameterNames, lossNames)
        (self.fullEvery, self.fullParameters) = (fullEvery, fullParameters)
        let file = try HDF5File.create(at: path)
        defer { file.close() }
        let P = parameterNames.count
        try file.setAttribute("format", "lethe.gradients")
        try file.setAttribute("format_version", Int64(1))
        try file.setAttribute("parameter_names", String(decoding: try JSONEncoder().encode(parameterNames), as: UTF8.self))
        try file.setAttribute("loss_names", String(decoding: try JSONEncoder().encode(lossNames), as: UTF8.self))
        for scalar in ["/step", "/learning_rate", "/model_cosine", "/full_step", "/direction_norm"] {
            try file.createExtendible(scalar, columns: [], dtype: .float64)
        }
        try file.createExtendible("/cosine", columns: [P], dtype: .float32, chunkRows: 16)
        try file.createExtendible("/clipped", columns: [], dtype: .float32)
        for loss in lossNames {
            try file.createExtendible("/loss/\(loss)", columns: [], dtype: .float64)
            try file.createExtendible("/model_norm/\(loss)", columns: [], dtype: .float64)
            try file.createExtendible("/projected/\(loss)", columns: [], dtype: .float32)
            try file.createExtendible("/norm/\(loss)", columns: [P], dtype: .float32, chunkRows: 16)
            try file.createExtendible("/model_weight/\(loss)", columns: [], dtype: .float64)
            try file.createExtendible("/weight/\(loss)", columns: [P], dtype: .float32, chunkRows: 16)
        }
    }

    /// Appends one step: statistics from `record`, full tensors from `gradients` when due. The
    /// file is opened for the step and closed (flushed) after it.
    public func append(_ record: StepRecord, gradients: [NamedGradients]) throws {
        let file = try HDF5File.open(at: path, writable: true)
        self.file = file
        defer {
            file.close()
            self.file = nil
        }
        let report = record.report
        let P = parameterNames.count
        guard report.tensorGramians.count == P else {
            throw UnlearningError.invalidInput("\(path): \(report.tensorGramians.count) tensors in the step, \(P) in the log")
        }
        func scalar(_ value: Double) throws -> Tensor { try Tensor([value], shape: [1]) }
        try file.append(try scalar(Double(record.step)), to: "/step")
        try file.append(try scalar(record.learningRate), to: "/learning_rate")
        try file.append(try scalar(report.cosine ?? .nan), to: "/model_cosine")
        try file.append(try scalar(record.directionNorm), to: "/direction_norm")
        try file.append(try Tensor([report.clipped ? 1 : 0] as [Float], shape: [1]), to: "/clipped")
        let modelWeights = report.weights
        let coefficients = report.coefficients.flatMap { $0.count == P && $0.allSatisfy({ $0.count == report.names.count }) ? $0 : nil }
        let index = Dictionary(uniqueKeysWithValues: report.names.enumerated().map { ($1, $0) })
        let cosines = report.tensorGramians.map { g in report.names.count >= 2 ? Float(CombinerReport.cosine(g, 0, 1) ?? .nan) : .nan }
        try file.append(try Tensor(cosines, shape: [1, P]), to: "/cosine")
        for loss in lossNames {
            let i = index[loss]
            try file.append(try scalar(record.losses[loss] ?? .nan), to: "/loss/\(loss)")
            try file.append(try scalar(i.map { report.gramian[$0][$0].squareRoot() } ?? .nan), to: "/model_norm/\(loss)")
            try file.append(try Tensor([report.projected[loss] == true ? 1 : 0] as [Float], shape: [1]), to: "/projected/\(loss)")
            let norms = report.tensorGramians.map { g in i.map { Float(g[$0][$0].squareRoot()) } ?? .nan }
            try file.append(try Tensor(norms, shape: [1, P]), to: "/norm/\(loss)")
            try file.append(try scalar(modelWeights[loss] ?? .nan), to: "/model_weight/\(loss)")
            let weights = (0..<P).map { k in i.flatMap { coefficients?[k][$0] }.map(Float.init) ?? .nan }
            try file.append(try Tensor(weights, shape: [1, P]), to: "/weight/\(loss)")
        }
        if let every = fullEvery, every > 0, record.step % every == 0 { try appendFull(record.step, gradients) }
        try file.flush()  // a failed write is an error here, not lost in close()
    }

    private func appendFull(_ step: Int, _ gradients: [NamedGradients]) throws {
        guard let file else { return }
        try file.append(try Tensor([Double(step)], shape: [1]), to: "/full_step")
        for part in gradients {
            for (name, tensor) in zip(part.gradients.names, part.gradients.tensors) where fullParameters?.contains(name) ?? true {
                let dataset = "/full/\(part.name)/\(name)"
                if !file.exists(dataset) {
                    try file.createExtendible(dataset, columns: tensor.shape.isEmpty ? [] : tensor.shape, dtype: .float32, chunkRows: 1)
                }
                try file.append(try tensor.reshaped([1] + tensor.shape), to: dataset)
            }
        }
    }

    /// Nothing to flush: every `append` closes the file (kept so callers need not know).
    public func flush() throws {}

    /// Nothing to close: the file is open only inside `append`.
    public func close() {}
}
