import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The length of a text compressed by the system zlib, as Python's
/// `len(zlib.compress(text.encode("utf-8")))` (level −1 = 6, zlib header and Adler-32
/// trailer included): the denominator of the zlib membership attack (Carlini et al. 2021).
///
/// Foundation has no zlib API on Linux (`NSData.compressed(using:)` is Apple-only) and the
/// package links no zlib module, so the library is opened at run time (`dlopen` of
/// `libz.so.1`, present on every Linux with Foundation; `libz.dylib` on macOS) and its
/// `compress2` called. The result is therefore byte-for-byte zlib's, not an estimate.
public enum Zlib {
    private typealias Compress2 = @convention(c) (
        UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt>?, UnsafePointer<UInt8>?, UInt, Int32
    ) -> Int32
    private typealias CompressBound = @convention(c) (UInt) -> UInt

    private static let functions: Result<(Compress2, CompressBound), EvaluationError> = {
        let names = ["libz.so.1", "libz.so", "libz.1.dylib", "libz.dylib"]
        guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW) }).first else {
            return .failure(.zlibUnavailable("none of \(names) could be opened"))
        }
        guard let compress = dlsym(handle, "compress2"), let bound = dlsym(handle, "compressBound") else {
            return .failure(.zlibUnavailable("libz has no compress2/compressBound"))
        }
        return .success((unsafeBitCast(compress, to: Compress2.self), unsafeBitCast(bound, to: CompressBound.self)))
    }()

    /// Compressed length in bytes of the UTF-8 encoding of `text`.
    /// - Parameter level: zlib level, −1 (the default, = 6) or 0…9.
    /// - Throws: `EvaluationError.zlibUnavailable` when libz cannot be loaded or fails.
    public static func compressedLength(of text: String, level: Int32 = -1) throws -> Int {
        let (compress, bound) = try functions.get()
        let input = Array(text.utf8)
        var capacity = bound(UInt(input.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = input.withUnsafeBufferPointer { source in
            compress(&output, &capacity, source.baseAddress, UInt(input.count), level)
        }
        guard status == 0 else { throw EvaluationError.zlibUnavailable("compress2 returned status \(status)") }
        return Int(capacity)
    }
}
