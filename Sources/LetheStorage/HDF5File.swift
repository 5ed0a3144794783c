import CHDF5
import Foundation

/// An open HDF5 file: groups, tensor and integer datasets, attributes and extendible logs.
///
/// Object paths are absolute inside the file (`/model/h.0.attn.c_attn.weight`); a missing
/// leading `/` is added and repeated or trailing slashes are ignored. Writing a dataset
/// creates its parent groups and replaces an existing dataset of the same path.
///
/// Every failure throws `HDF5Error` naming the file and the object; HDF5 itself prints
/// nothing. The file closes in `close()` or, at the latest, when the object is released; close
/// it explicitly before another process (or `rename`) uses the file, because Swift may release
/// an object later than its last use. An `HDF5File` is not meant to be shared between threads
/// (the HDF5 library itself is thread-safe, so separate files on separate threads are fine).
public final class HDF5File {
    /// The path the file was created or opened with.
    public let path: String
    /// Whether the file accepts writes (created, or opened with `writable: true`).
    public let isWritable: Bool
    /// The HDF5 file id; negative once closed.
    private(set) var fileID: hid_t

    private init(path: String, fileID: hid_t, writable: Bool) {
        self.path = path
        self.fileID = fileID
        self.isWritable = writable
    }

    deinit { close() }

    /// Whether `close()` has not been called yet.
    public var isOpen: Bool { fileID >= 0 }

    /// Creates (or truncates) the file at `path`, open for writing.
    /// - Throws: `HDF5Error.cannotCreate` naming the path (a directory, a missing parent
    ///   directory, no permission, ...).
    public static func create(at path: String) throws -> HDF5File {
        HDF5Library.prepare()
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw HDF5Error.cannotCreate(path: path, reason: "is a directory")
        }
        let access = try fileAccessList(path: path, creating: true)
        defer { H5Pclose(access) }
        let id = H5Fcreate(path, lethe_h5f_acc_trunc(), h5Default, access)
        guard id >= 0 else {
            throw HDF5Error.cannotCreate(path: path, reason: HDF5Library.lastErrorMessage())
        }
        return HDF5File(path: path, fileID: id, writable: true)
    }

    /// Opens an existing HDF5 file, read-only unless `writable`.
    /// - Throws: `HDF5Error.cannotOpen` naming the path when the file is missing, is a
    ///   directory, is not an HDF5 file (or is corrupt or truncated) or cannot be read.
    public static func open(at path: String, writable: Bool = false) throws -> HDF5File {
        HDF5Library.prepare()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw HDF5Error.cannotOpen(path: path, reason: "no such file")
        }
        if isDirectory.boolValue {
            throw HDF5Error.cannotOpen(path: path, reason: "is a directory")
        }
        let signature = H5Fis_hdf5(path)
        if signature == 0 {
            throw HDF5Error.cannotOpen(path: path, reason: "not an HDF5 file")
        } else if signature < 0 {
            throw HDF5Error.cannotOpen(path: path, reason: HDF5Library.lastErrorMessage())
        }
        let access = try fileAccessList(path: path, creating: false)
        defer { H5Pclose(access) }
        let flags = writable ? lethe_h5f_acc_rdwr() : lethe_h5f_acc_rdonly()
        let id = H5Fopen(path, flags, access)
        guard id >= 0 else {
            throw HDF5Error.cannotOpen(path: path, reason: HDF5Library.lastErrorMessage())
        }
        return HDF5File(path: path, fileID: id, writable: writable)
    }

    /// A file-access property list whose close degree is "strong": closing the file closes
    /// every object still open in it, so the file is really closed when `close()` returns.
    ///
    /// New files use the HDF5 1.10 format (readable by HDF5 1.10 and later, so by any current
    /// h5py): its superblock, object headers and chunk indexes carry checksums, so a corrupted
    /// Lethe file fails with an error where the 1.8-compatible format would reach parsing bugs
    /// of libhdf5 1.10.8 that crash the process. It also stores large attributes densely.
    private static func fileAccessList(path: String, creating: Bool) throws -> hid_t {
        let list = H5Pcreate(lethe_h5p_file_access())
        guard list >= 0, H5Pset_fclose_degree(list, H5F_CLOSE_STRONG) >= 0,
            !creating || H5Pset_libver_bounds(list, H5F_LIBVER_V110, H5F_LIBVER_V110) >= 0
        else {
            if list >= 0 { H5Pclose(list) }
            let reason = "cannot set up file access: " + HDF5Library.lastErrorMessage()
            throw creating
                ? HDF5Error.cannotCreate(path: path, reason: reason)
                : HDF5Error.cannotOpen(path: path, reason: reason)
        }
        return list
    }

    /// Closes the file. Calling it again does nothing; later calls on the file throw
    /// `HDF5Error.closed`.
    public func close() {
        _ = try? closeChecked()
    }

    /// Closes the file and reports whether HDF5 managed to write everything out.
    func closeChecked() throws {
        guard fileID >= 0 else { return }
        HDF5Library.prepare()
        let id = fileID
        fileID = -1
        if H5Fclose(id) < 0 { throw failure("H5Fclose", "/") }
    }

    /// Writes buffered data and metadata to disk (after a batch of appends, say).
    public func flush() throws {
        let id = try openID()
        try check(H5Fflush(id, H5F_SCOPE_GLOBAL), "H5Fflush", "/")
    }

    /// The file id for a public entry point: silences HDF5's printing on this thread and
    /// throws `HDF5Error.closed` after `close()`.
    func openID() throws -> hid_t {
        HDF5Library.prepare()
        guard fileID >= 0 else { throw HDF5Error.closed(path: path) }
        return fileID
    }

    /// Like `openID()`, and also throws when the file was opened read-only.
    func writableID(for object: String) throws -> hid_t {
        let id = try openID()
        guard isWritable else {
            throw HDF5Error.invalidArgument(path: path, object: object, reason: "file is open read-only")
        }
        return id
    }
}
