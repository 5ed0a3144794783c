import Foundation

/// Builds GGUF bytes piece by piece for the hostile-file and fuzz tests: any count, length,
/// type code or offset can be wrong on purpose.
struct GGUFBuilder {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }

    /// A GGUF string; `declaredLength` overrides the stored byte length.
    mutating func string(_ s: String, declaredLength: UInt64? = nil) {
        u64(declaredLength ?? UInt64(s.utf8.count))
        bytes += Array(s.utf8)
    }

    /// Magic, version, tensor count and key count.
    mutating func header(version: UInt32 = 3, tensors: UInt64, keys: UInt64, magic: String = "GGUF") {
        bytes += Array(magic.utf8)
        u32(version)
        u64(tensors)
        u64(keys)
    }

    /// A tensor entry with GGUF-order dims.
    mutating func tensorInfo(_ name: String, dims: [UInt64], type: UInt32, offset: UInt64, declaredRank: UInt32? = nil) {
        string(name)
        u32(declaredRank ?? UInt32(dims.count))
        for d in dims { u64(d) }
        u32(type)
        u64(offset)
    }

    /// Zero bytes up to the next multiple of `alignment`.
    mutating func pad(to alignment: Int = 32) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    /// A valid file: `general.architecture = "llama"` and one F32 tensor `w` of shape [2, 4].
    static func small() -> GGUFBuilder {
        var b = GGUFBuilder()
        b.header(tensors: 1, keys: 1)
        b.string("general.architecture")
        b.u32(8)
        b.string("llama")
        b.tensorInfo("w", dims: [4, 2], type: 0, offset: 0)
        b.pad()
        for i in 0..<8 { b.f32(Float(i)) }
        return b
    }

    func write(to path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
}
