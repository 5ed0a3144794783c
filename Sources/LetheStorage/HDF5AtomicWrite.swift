import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe writing: a file appears at its final path complete or not at all.
extension HDF5File {
    /// The temporary path `writeAtomically(to:_:)` writes to before renaming:
    /// `finalPath + ".tmp"`, in the same directory so the rename cannot cross file systems.
    public static func temporaryPath(for finalPath: String) -> String { finalPath + ".tmp" }

    /// Creates a new HDF5 file, lets `body` fill it, and moves it to `finalPath` only when
    /// everything succeeded.
    ///
    /// The file is written at `temporaryPath(for: finalPath)`, closed, synced to disk and then
    /// renamed over `finalPath` (an atomic replacement on POSIX). If `body` throws, or
    /// closing, syncing or renaming fails, the temporary file is removed, an existing file
    /// at `finalPath` is left untouched and the error is rethrown. `body` must not keep the
    /// `HDF5File` beyond its return; it may close it early.
    ///
    /// - Throws: `HDF5Error.cannotCreate` naming `finalPath` when the temporary file cannot
    ///   be created (a missing or non-directory parent, a directory in its place, a full
    ///   disk: HDF5 writes the superblock on creation), or synced, or renamed; `body`'s
    ///   errors as they are.
    public static func writeAtomically(to finalPath: String, _ body: (HDF5File) throws -> Void) throws {
        let temporary = temporaryPath(for: finalPath)
        let file: HDF5File
        do {
            file = try create(at: temporary)
        } catch HDF5Error.cannotCreate(_, let reason) {
            unlink(temporary)  // HDF5 may leave a file behind when its first write fails
            // HDF5's messages can hold a line break (after a timestamp); keep the error on one line.
            let detail = reason.split(separator: "\n").joined()
            throw HDF5Error.cannotCreate(path: finalPath, reason: "cannot create the temporary file \(temporary): \(detail)")
        }
        do {
            try body(file)
            try file.closeChecked()
            try syncToDisk(temporary, reportingAs: finalPath)
            guard rename(temporary, finalPath) == 0 else {
                throw HDF5Error.cannotCreate(
                    path: finalPath, reason: "cannot rename \(temporary) into place: \(errnoText())")
            }
        } catch {
            file.close()
            unlink(temporary)
            throw error
        }
        syncDirectory(of: finalPath)
    }

    /// `fsync`s the file at `path` so its bytes reach the disk before it is renamed.
    private static func syncToDisk(_ path: String, reportingAs finalPath: String) throws {
        let descriptor = Foundation.open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw HDF5Error.cannotCreate(path: finalPath, reason: "cannot reopen \(path) to sync: \(errnoText())")
        }
        defer { _ = closeDescriptor(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw HDF5Error.cannotCreate(path: finalPath, reason: "cannot sync \(path): \(errnoText())")
        }
    }

    /// Best-effort `fsync` of the directory holding `path`, so the rename itself is durable.
    private static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let descriptor = Foundation.open(directory.isEmpty ? "." : directory, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        _ = closeDescriptor(descriptor)
    }

    /// The text of the current `errno`.
    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// POSIX `close`, which `HDF5File.close()` hides inside the class.
private func closeDescriptor(_ descriptor: Int32) -> Int32 { close(descriptor) }
