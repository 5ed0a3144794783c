/// The ggml tensor types Lethe dequantizes to float32 (codes from ggml.h's `ggml_type`), with
/// their block layouts (ggml-common.h). A row of `n` values (GGUF's first, fastest axis) is
/// `n / blockSize` blocks of `blockBytes` bytes; `d`, `m`, `dmin` are IEEE binary16.
///
///     F32    1 value,   4 bytes
///     F16    1 value,   2 bytes
///     BF16   1 value,   2 bytes (top half of a float32)
///     Q8_0   32 values, 34 bytes:  d, qs[32] int8
///     Q4_0   32 values, 18 bytes:  d, qs[16] (value j in the low nibble of qs[j], j+16 in the high)
///     Q4_1   32 values, 20 bytes:  d, m, qs[16]
///     Q4_K   256 values, 144 bytes: d, dmin, scales[12] (8 six-bit scales and mins), qs[128]
///     Q6_K   256 values, 210 bytes: ql[128], qh[64], scales[16] int8, d
public enum GGMLType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3, q8_0 = 8, q4K = 12, q6K = 14, bf16 = 30

    public var description: String {
        switch self {
        case .f32: return "F32"
        case .f16: return "F16"
        case .q4_0: return "Q4_0"
        case .q4_1: return "Q4_1"
        case .q8_0: return "Q8_0"
        case .q4K: return "Q4_K"
        case .q6K: return "Q6_K"
        case .bf16: return "BF16"
        }
    }

    /// Values per block.
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16: return 1
        case .q4_0, .q4_1, .q8_0: return 32
        case .q4K, .q6K: return 256
        }
    }

    /// Bytes per block.
    public var blockBytes: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        case .q4_0: return 18
        case .q4_1: return 20
        case .q8_0: return 34
        case .q4K: return 144
        case .q6K: return 210
        }
    }

    static var supportedNames: String { allCases.map(\.description).joined(separator: ", ") }

    /// The name of any ggml type code (ggml.h), for messages about types Lethe does not read.
    static func name(ofCode code: UInt32) -> String {
        if let known = GGMLType(rawValue: code) { return known.description }
        let others: [UInt32: String] = [
            6: "Q5_0", 7: "Q5_1", 9: "Q8_1", 10: "Q2_K", 11: "Q3_K", 13: "Q5_K", 15: "Q8_K", 16: "IQ2_XXS", 17: "IQ2_XS",
            18: "IQ3_XXS", 19: "IQ1_S", 20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS", 24: "I8", 25: "I16", 26: "I32",
            27: "I64", 28: "F64", 29: "IQ1_M", 34: "TQ1_0", 35: "TQ2_0", 39: "MXFP4",
        ]
        return others[code].map { "\($0) (code \(code))" } ?? "unknown code \(code)"
    }

    /// Dequantizes `blocks` (whole blocks, `count / blockSize` of them) into `output[0..<count]`,
    /// with the arithmetic of llama.cpp's reference `dequantize_row_*` (ggml/src/ggml-quants.c)
    /// in float32 and in its order of operations, so the results are bit-equal to it.
    func dequantize(_ blocks: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        let blockCount = count / blockSize
        switch self {
        case .f32:
            for i in 0..<count { output[i] = Float(bitPattern: UInt32(littleEndian: blocks.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
        case .f16:
            for i in 0..<count { output[i] = halfToFloat(GGMLType.half(blocks, 2 * i)) }
        case .bf16:
            for i in 0..<count { output[i] = bfloat16ToFloat(GGMLType.half(blocks, 2 * i)) }
        case .q8_0:
            for b in 0..<blockCount { GGMLType.dequantizeQ8_0(blocks, at: b * 34, into: output + b * 32) }
        case .q4_0, .q4_1:
            for b in 0..<blockCount { GGMLType.dequantizeQ4(blocks, at: b * blockBytes, withMinimum: self == .q4_1, into: output + b * 32) }
        case .q4K:
            for b in 0..<blockCount { GGMLType.dequantizeQ4K(blocks, at: b * 144, into: output + b * 256) }
        case .q6K:
            for b in 0..<blockCount { GGMLType.dequantizeQ6K(blocks, at: b * 210, into: output + b * 256) }
        }
    }

    @inline(__always) static func half(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    /// `y[j] = qs[j] * d` (dequantize_row_q8_0).
    static func dequantizeQ8_0(_ bytes: UnsafeRawBufferPointer, at start: Int, into y: UnsafeMutablePointer<Float>) {
        let d = halfToFloat(half(bytes, start))
        for j in 0..<32 { y[j] = Float(Int8(bitPattern: bytes[start + 2 + j])) * d }
    }

    /// Q4_0: `y[j] = (q - 8) * d`; Q4_1: `y[j] = q * d + m`, where `q` is the low nibble of
    /// `qs[j]` for j < 16 and the high nibble of `qs[j - 16]` after (dequantize_row_q4_0 / q4_1).
    static func dequantizeQ4(
        _ bytes: UnsafeRawBufferPointer, at start: Int, withMinimum: Bool, into y: UnsafeMutablePointer<Float>
    ) {
        let d = halfToFloat(half(bytes, start))
        let qs = start + (withMinimum ? 4 : 2)
        if withMinimum {
            let m = halfToFloat(half(bytes, start + 2))
            for j in 0..<16 {
                let byte = bytes[qs + j]
                y[j] = Float(byte & 0x0F) * d + m
                y[j + 16] = Float(byte >> 4) * d + m
            }
        } else {
            for j in 0..<16 {
                let byte = bytes[qs + j]
                y[j] = Float(Int(byte & 0x0F) - 8) * d
                y[j + 16] = Float(Int(byte >> 4) - 8) * d
            }
        }
    }

    /// The six-bit scale and minimum of sub-block `j` (0..<8) of a Q4_K block's 12 scale
    /// bytes `q` (get_scale_min_k4): for j < 4 the low six bits of q[j] and q[j + 4]; after,
    /// a nibble of q[j + 4] below the top two bits of q[j - 4] and of q[j].
    @inline(__always) static func scaleAndMinimum(_ q: UnsafeRawBufferPointer, _ at: Int, _ j: Int) -> (UInt8, UInt8) {
        if j < 4 { return (q[at + j] & 63, q[at + j + 4] & 63) }
        return ((q[at + j + 4] & 0xF) | ((q[at + j - 4] >> 6) << 4), (q[at + j + 4] >> 4) | ((q[at + j] >> 6) << 4))
    }

    /// Q4_K (dequantize_row_q4_K): 4 chunks of 64 values; chunk c uses sub-blocks 2c and 2c+1,
    /// `y = (d * sc) * (low nibble of qs[32c + l]) - dmin * m` for the first 32 values and the
    /// high nibbles with sub-block 2c+1 for the next 32.
    static func dequantizeQ4K(_ bytes: UnsafeRawBufferPointer, at start: Int, into y: UnsafeMutablePointer<Float>) {
        let d = halfToFloat(half(bytes, start))
        let dmin = halfToFloat(half(bytes, start + 2))
        let scales = start + 4
        for chunk in 0..<4 {
            let (sc1, m1) = scaleAndMinimum(bytes, scales, 2 * chunk)
            let (sc2, m2) = scaleAndMinimum(bytes, scales, 2 * chunk + 1)
            let d1 = d * Float(sc1), min1 = dmin * Float(m1)
            let d2 = d * Float(sc2), min2 = dmin * Float(m2)
            let qs = start + 16 + 32 * chunk
            let out = y + 64 * chunk
            for l in 0..<32 {
                let byte = bytes[qs + l]
                out[l] = d1 * Float(byte & 0xF) - min1
                out[l + 32] = d2 * Float(byte >> 4) - min2
            }
        }
    }

    /// Q6_K (dequantize_row_q6_K): two halves of 128 values; in half n, for l < 32, four
    /// six-bit values `q = (nibble of ql) | (two bits of qh) << 4` minus 32 give
    /// `y[l + 32k] = d * scales[8n + l/16 + 2k] * q_k`, k = 0..<4.
    static func dequantizeQ6K(_ bytes: UnsafeRawBufferPointer, at start: Int, into y: UnsafeMutablePointer<Float>) {
        let d = halfToFloat(half(bytes, start + 208))
        for n in 0..<2 {
            let ql = start + 64 * n, qh = start + 128 + 32 * n, sc = start + 192 + 8 * n
            let out = y + 128 * n
            for l in 0..<32 {
                let low0 = bytes[ql + l], low32 = bytes[ql + l + 32], high = bytes[qh + l]
                let q1 = Int((low0 & 0xF) | ((high & 3) << 4)) - 32
                let q2 = Int((low32 & 0xF) | (((high >> 2) & 3) << 4)) - 32
                let q3 = Int((low0 >> 4) | (((high >> 4) & 3) << 4)) - 32
                let q4 = Int((low32 >> 4) | (((high >> 6) & 3) << 4)) - 32
                let s = l / 16
                out[l] = d * Float(Int8(bitPattern: bytes[sc + s])) * Float(q1)
                out[l + 32] = d * Float(Int8(bitPattern: bytes[sc + s + 2])) * Float(q2)
                out[l + 64] = d * Float(Int8(bitPattern: bytes[sc + s + 4])) * Float(q3)
                out[l + 96] = d * Float(Int8(bitPattern: bytes[sc + s + 6])) * Float(q4)
            }
        }
    }
}
