/// Round-trip weight quantization (quantize, then dequantize) of one weight matrix, as the
/// quantization attack applies it (Zhang et al., "Catastrophic Failure of LLM Unlearning via
/// Quantization", ICLR 2025): the model keeps float weights, but each equals its quantized
/// value. Each element also gets its bucket (the integer code), so two models' codes can be
/// compared.
///
/// Both schemes take the matrix in `nn.Linear`'s layout, W [out, in] row-major (a Conv1D
/// weight [in, out] is transposed first by the caller).
///
/// - `int8`: round to nearest per output channel (LLM.int8's vector-wise absmax, without
///   outliers): sᵢ = max_j |Wᵢⱼ| / 127, qᵢⱼ = clamp(round(Wᵢⱼ / sᵢ), −127, 127) (ties to even,
///   as `torch.round`), Ŵᵢⱼ = qᵢⱼ sᵢ; a zero row stays zero.
/// - `nf4`: QLoRA's 4-bit NormalFloat with block-wise absmax (Dettmers et al. 2023;
///   bitsandbytes `quantize_4bit(quant_type="nf4", blocksize=64)`, no double quantization):
///   the flattened W in blocks of 64, m_b = max |w| in the block, code = the nearest entry of
///   `nf4Table` to w / m_b (a value exactly between two entries takes the lower one, as
///   bitsandbytes' decision tree `x > midpoint`), ŵ = nf4Table[code] m_b.
///
/// Arithmetic is in Double; the result is rounded once to Float. Reference:
/// `scripts/reference/make_quantization_fixture.py` (numpy).
public enum WeightQuantization: String, Sendable, CaseIterable {
    case int8, nf4

    /// The NF4 code values, as bitsandbytes defines them (`functional.get_4bit_type("nf4")`,
    /// `csrc/kernels.cu` `nf4_dequantization_lut`): the quantiles of N(0, 1) normalised to
    /// [−1, 1], with an exact 0.
    public static let nf4Table: [Double] = [
        -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
        -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
        0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
        0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
    ]

    /// Midpoints between consecutive `nf4Table` entries: code = number of midpoints < x.
    static let nf4Midpoints: [Double] = (0..<15).map { (nf4Table[$0] + nf4Table[$0 + 1]) / 2 }

    /// NF4's block length (bitsandbytes' default for 4-bit weights).
    public static let nf4BlockSize = 64

    /// The quantized-then-dequantized matrix and each element's code.
    public struct RoundTrip: Sendable, Equatable {
        /// Ŵ, same layout as the input.
        public var values: [Float]
        /// The bucket of each element: int8 q ∈ [−127, 127]; nf4 the table index 0…15.
        public var codes: [Int]
    }

    /// Quantizes and dequantizes `weights` ([rows, columns] row-major, rows = output channels).
    /// - Throws: `EvaluationError.invalidArgument` when the count is not rows × columns or a
    ///   weight is not finite.
    public func roundTrip(_ weights: [Float], rows: Int, columns: Int) throws -> RoundTrip {
        guard rows > 0, columns > 0, weights.count == rows * columns else {
            throw EvaluationError.invalidArgument(name: "weights", reason: "\(weights.count) values for [\(rows), \(columns)]")
        }
        guard weights.allSatisfy(\.isFinite) else {
            throw EvaluationError.invalidArgument(name: "weights", reason: "hold a NaN or an infinity")
        }
        switch self {
        case .int8: return Self.int8(weights, rows: rows, columns: columns)
        case .nf4: return Self.nf4(weights, blockSize: Self.nf4BlockSize)
        }
    }

    /// Per-row absmax int8.
    static func int8(_ w: [Float], rows: Int, columns: Int) -> RoundTrip {
        var values = [Float](repeating: 0, count: w.count)
        var codes = [Int](repeating: 0, count: w.count)
        for i in 0..<rows {
            let row = (i * columns)..<((i + 1) * columns)
            let absmax = row.reduce(0.0) { max($0, abs(Double(w[$1]))) }
            guard absmax > 0 else { continue }
            let scale = absmax / 127
            for j in row {
                let q = min(max((Double(w[j]) / scale).rounded(.toNearestOrEven), -127), 127)
                codes[j] = Int(q)
                values[j] = Float(q * scale)
            }
        }
        return RoundTrip(values: values, codes: codes)
    }

    /// Block-wise absmax NF4 over the flattened matrix.
    static func nf4(_ w: [Float], blockSize: Int) -> RoundTrip {
        var values = [Float](repeating: 0, count: w.count)
        var codes = [Int](repeating: 7, count: w.count)  // 7 is the code of 0
        for start in stride(from: 0, to: w.count, by: blockSize) {
            let block = start..<min(start + blockSize, w.count)
            let absmax = block.reduce(0.0) { max($0, abs(Double(w[$1]))) }
            guard absmax > 0 else { continue }
            for j in block {
                let x = Double(w[j]) / absmax
                var code = 0
                while code < 15, nf4Midpoints[code] < x { code += 1 }
                codes[j] = code
                values[j] = Float(nf4Table[code] * absmax)
            }
        }
        return RoundTrip(values: values, codes: codes)
    }
}
