import CHDF5

// Internal plumbing shared by the HDF5 files of this module: path normalisation, the
// error-stack reader and the status checks that turn HDF5's negative returns into `HDF5Error`.

/// Object paths inside an HDF5 file.
enum HDF5Path {
    /// The absolute form of `path`: a leading `/`, no empty components, no trailing `/`.
    /// `"model//h.0/"` becomes `"/model/h.0"`; `""` and `"/"` become `"/"`.
    static func normalize(_ path: String) -> String {
        "/" + components(path).joined(separator: "/")
    }

    /// The non-empty components of `path`.
    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// Every proper and improper prefix of `path`: `/a/b/c` gives `/a`, `/a/b`, `/a/b/c`.
    static func prefixes(_ path: String) -> [String] {
        var result: [String] = []
        var current = ""
        for component in components(path) {
            current += "/" + component
            result.append(current)
        }
        return result
    }

    /// The group containing `path` (`/` for a top-level object).
    static func parent(_ path: String) -> String {
        normalize(String(components(path).dropLast().joined(separator: "/")))
    }

    /// `name` inside `group`.
    static func join(_ group: String, _ name: String) -> String {
        normalize(group + "/" + name)
    }
}

/// Process-wide HDF5 set-up.
enum HDF5Library {
    /// Turns off HDF5's printing of its error stack. In a thread-safe HDF5 build that setting
    /// belongs to the calling thread, so every public entry point calls this (it is cheap).
    static func prepare() {
        lethe_h5_silence_errors()
    }

    /// HDF5's innermost error message on this thread's error stack (the most specific one,
    /// e.g. "unable to open file: name = 'x.h5', errno = 2, ..."), or `""` when empty.
    static func lastErrorMessage() -> String {
        var messages: [String] = []
        withUnsafeMutablePointer(to: &messages) { pointer in
            _ = H5Ewalk2(
                hid_t(H5E_DEFAULT), H5E_WALK_DOWNWARD,
                { _, error, context in
                    guard let error, let context, let text = error.pointee.desc else { return 0 }
                    context.assumingMemoryBound(to: [String].self).pointee.append(String(cString: text))
                    return 0
                }, pointer)
        }
        return messages.last ?? ""
    }
}

/// HDF5's `H5P_DEFAULT`, typed as an id.
let h5Default = hid_t(lethe_h5p_default())

extension HDF5File {
    /// The error for a failed HDF5 call, with HDF5's own explanation.
    func failure(_ call: String, _ object: String) -> HDF5Error {
        .callFailed(path: path, object: object, call: call, reason: HDF5Library.lastErrorMessage())
    }

    /// Throws `callFailed` when an HDF5 status is negative.
    func check(_ status: herr_t, _ call: String, _ object: String) throws {
        if status < 0 { throw failure(call, object) }
    }

    /// Throws `callFailed` when an HDF5 result (a count, a tri-state boolean) is negative;
    /// returns it otherwise.
    func checkValue(_ result: Int32, _ call: String, _ object: String) throws -> Int32 {
        if result < 0 { throw failure(call, object) }
        return result
    }

    /// Throws `callFailed` when an HDF5 id is negative; returns the id otherwise.
    func checkID(_ id: hid_t, _ call: String, _ object: String) throws -> hid_t {
        if id < 0 { throw failure(call, object) }
        return id
    }

    /// A dataspace for `shape`: scalar for rank 0, simple otherwise; `maxShape` entries of
    /// `nil` mean unlimited.
    func makeDataspace(_ shape: [Int], maxShape: [Int?]? = nil, object: String) throws -> hid_t {
        if shape.isEmpty {
            return try checkID(H5Screate(H5S_SCALAR), "H5Screate", object)
        }
        var dims = shape.map { hsize_t($0) }
        guard let maxShape else {
            return try checkID(H5Screate_simple(Int32(dims.count), &dims, nil), "H5Screate_simple", object)
        }
        var maxDims = maxShape.map { $0.map { hsize_t($0) } ?? lethe_h5s_unlimited() }
        return try checkID(
            H5Screate_simple(Int32(dims.count), &dims, &maxDims), "H5Screate_simple", object)
    }

    /// The current extent of a dataspace (`[]` for a scalar).
    func extent(ofSpace space: hid_t, object: String) throws -> [Int] {
        if H5Sget_simple_extent_type(space) == H5S_NULL {
            throw HDF5Error.wrongType(path: path, object: object, expected: "data", found: "a null dataspace")
        }
        let rank = try checkValue(H5Sget_simple_extent_ndims(space), "H5Sget_simple_extent_ndims", object)
        guard rank > 0 else { return [] }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        try check(H5Sget_simple_extent_dims(space, &dims, nil), "H5Sget_simple_extent_dims", object)
        return dims.map { Int($0) }
    }

    /// The number of elements a dataspace holds (0 for a null dataspace).
    func elementCount(ofSpace space: hid_t, object: String) throws -> Int {
        let count = H5Sget_simple_extent_npoints(space)
        if count < 0 { throw failure("H5Sget_simple_extent_npoints", object) }
        return Int(count)
    }

    /// A readable name for an HDF5 datatype, for `wrongType` messages ("float32", "int64",
    /// "string", ...).
    func typeName(_ type: hid_t) -> String {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_FLOAT: return "float\(size * 8)"
        case H5T_INTEGER:
            return (H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") + "\(size * 8)"
        case H5T_STRING: return "string"
        case H5T_COMPOUND: return "compound"
        case H5T_ENUM: return "enum"
        case H5T_ARRAY: return "array"
        case H5T_VLEN: return "variable-length sequence"
        default: return "an unsupported type"
        }
    }
}
