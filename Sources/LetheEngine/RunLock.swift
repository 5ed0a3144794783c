import Foundation

/// An exclusive lock on a run folder for the life of a run: `flock` on `RUN/.lock`, which
/// holds the owner's process id. A second `lethe run` or `lethe resume` into the folder is
/// refused with a message naming the holder, instead of interleaving events and checkpoints.
/// The kernel releases the lock when the process ends, however it ends (SIGKILL included).
final class RunLock {
    static let fileName = ".lock"
    private let descriptor: Int32

    /// Takes the lock on `folder` (created if missing).
    /// - Throws: `EngineError.invalid` when another process holds it, `.cannotWrite` when the
    ///   lock file cannot be made.
    init(folder: String) throws {
        let path = folder + "/" + Self.fileName
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw EngineError.cannotWrite(path: folder, reason: error.localizedDescription)
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw EngineError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            throw EngineError.invalid(
                "\(folder) is in use by another lethe process\(holder.isEmpty ? "" : " (pid \(holder))"); wait for it to finish, or set another output")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
