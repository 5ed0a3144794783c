/// GPT-2's reversible map between the 256 byte values and 256 printable unicode scalars
/// (`bytes_to_unicode` in OpenAI's `encoder.py`; `ByteLevel` in Hugging Face `tokenizers`).
///
/// Bytes that print as themselves keep their value; the other 68 are moved past U+00FF in
/// byte order, so every vocabulary entry is printable text without spaces or control codes:
///
///     33...126, 161...172, 174...255  ->  the same scalar
///     0...32, 127...160, 173          ->  U+0100 + n   (n = 0, 1, 2, ... in byte order)
///
/// So 0 -> Ā, 10 -> Ċ, 32 -> Ġ, 127 -> ġ, 160 -> ł, 173 -> Ń, and `" Hello\n"` is `"ĠHelloĊ"`.
///
/// References: https://github.com/openai/gpt-2/blob/master/src/encoder.py (`bytes_to_unicode`),
/// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/pre_tokenizers/byte_level.rs
public enum ByteLevelAlphabet {
    /// `scalars[b]`: the unicode scalar value that stands for byte `b`.
    public static let scalars: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var shifted: UInt32 = 0
        for byte in 0..<256 {
            if (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte) {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = 256 + shifted
                shifted += 1
            }
        }
        return table
    }()

    /// The byte a scalar stands for, or `nil` when the scalar is not one of the 256.
    @inline(__always)
    public static func byte(for scalar: UInt32) -> UInt8? {
        let index = Int(scalar)
        guard index < inverse.count else { return nil }
        let value = inverse[index]
        return value < 0 ? nil : UInt8(value)
    }

    /// `inverse[s]`: the byte for scalar value `s` (< 324), or -1.
    private static let inverse: [Int16] = {
        var table = [Int16](repeating: -1, count: 324)
        for (byte, scalar) in scalars.enumerated() { table[Int(scalar)] = Int16(byte) }
        return table
    }()

    /// The byte-level spelling of `bytes`: one scalar per byte (`[0x20, 0x48]` -> `"ĠH"`).
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var result = String.UnicodeScalarView()
        for byte in bytes {
            if let scalar = Unicode.Scalar(scalars[Int(byte)]) { result.append(scalar) }
        }
        return String(result)
    }

    /// The bytes a vocabulary entry stands for, Hugging Face's `ByteLevel` decoder rule: when every
    /// scalar of `token` is one of the 256, their bytes; otherwise (an added token such as
    /// `"<pad> x"` that was never byte-mapped) the token's own UTF-8.
    public static func decode(_ token: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard let byte = byte(for: scalar.value) else { return Array(token.utf8) }
            bytes.append(byte)
        }
        return bytes
    }
}
