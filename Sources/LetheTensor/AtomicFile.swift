import Foundation

/// Writes a whole file atomically: the bytes go to a temporary file beside it, are flushed
/// to disk (`fsync`), then renamed over the target, so a reader (or a run resumed after a
/// kill) sees the old file or the new one, never half of one, even after a power loss.
/// Foundation's `.atomic` option does not `fsync`, and the temporary file it writes on Linux
/// need not sit on the target's file system (then the final move is a copy, not a rename).
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): cannot write (\(reason))" }
    }

    /// Replaces the file at `path` with `data`.
    /// - Throws: `WriteError` naming the path and the system's reason.
    public static func write(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        var failure: String?
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count, failure == nil {
                let written = Foundation.write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                if written < 0 {
                    if errno != EINTR { failure = String(cString: strerror(errno)) }
                } else {
                    offset += written
                }
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw WriteError(path: path, reason: failure)
        }
    }

    /// Replaces the file at `path` with `text` in UTF-8.
    public static func write(_ text: String, to path: String) throws { try write(Data(text.utf8), to: path) }
}
