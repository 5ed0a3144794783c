import CHDF5
import LetheTensor

/// Datasets holding whole tensors or integer arrays.
extension HDF5File {
    /// Writes `tensor` as a dataset of its shape at `path`: little-endian IEEE float32 for a
    /// `.float32` tensor, float64 for `.float64`; a rank-0 tensor becomes a scalar dataset.
    /// Missing parent groups are created and an existing dataset at `path` is replaced.
    /// - Parameters:
    ///   - compressed: store the data chunked, shuffled and gzip-compressed (level 4) instead
    ///     of contiguous. Ignored for scalars and empty tensors.
    ///   - checksummed: store the data chunked with HDF5's Fletcher-32 filter: every chunk
    ///     carries a checksum that HDF5 verifies when it is read, so a flipped byte is a read
    ///     error, not a silently different weight (h5py reads it as any dataset).
    public func write(_ tensor: Tensor, to path: String, compressed: Bool = false, checksummed: Bool = false) throws {
        let object = HDF5Path.normalize(path)
        let types = Self.floatTypes(tensor.dtype)
        let chunk = compressed || checksummed ? Self.chunkShape(for: tensor.shape, byteWidth: tensor.dtype.byteWidth) : nil
        let dataset = try makeDataset(
            object, fileType: types.file, shape: tensor.shape,
            chunk: chunk, compressionLevel: chunk == nil || !compressed ? 0 : 4, checksum: chunk != nil && checksummed)
        defer { H5Dclose(dataset) }
        guard tensor.count > 0 else { return }
        try tensor.withUnsafeRawBytes { bytes in
            try check(
                H5Dwrite(dataset, types.memory, lethe_h5s_all(), lethe_h5s_all(), h5Default, bytes.baseAddress),
                "H5Dwrite", object)
        }
    }

    /// Reads the floating-point dataset at `path` as a tensor of its shape: float32 (or
    /// narrower) data gives a `.float32` tensor, float64 data a `.float64` one.
    /// - Throws: `HDF5Error.notFound` naming the dataset, `.wrongType` for a group or for
    ///   non-float data.
    public func readTensor(_ path: String) throws -> Tensor {
        let object = HDF5Path.normalize(path)
        let dataset = try openObject(object, expecting: "dataset")
        defer { H5Oclose(dataset) }
        let fileType = try checkID(H5Dget_type(dataset), "H5Dget_type", object)
        defer { H5Tclose(fileType) }
        guard H5Tget_class(fileType) == H5T_FLOAT else {
            throw HDF5Error.wrongType(
                path: self.path, object: object, expected: "float32 or float64", found: typeName(fileType))
        }
        let dtype: DType = H5Tget_size(fileType) <= 4 ? .float32 : .float64
        let shape = try datasetShape(dataset, object: object)
        try checkBacked(dataset, shape: shape, fileType: fileType, memoryWidth: dtype.byteWidth, object: object)
        let tensor = Tensor(zeros: shape, dtype: dtype)
        guard tensor.count > 0 else { return tensor }
        try tensor.withUnsafeMutableRawBytes { bytes in
            try check(
                H5Dread(dataset, Self.floatTypes(dtype).memory, lethe_h5s_all(), lethe_h5s_all(), h5Default,
                        bytes.baseAddress),
                "H5Dread", object)
        }
        return tensor
    }

    /// The current shape of the dataset at `path` (`[]` for a scalar).
    public func shape(of path: String) throws -> [Int] {
        let object = HDF5Path.normalize(path)
        let dataset = try openObject(object, expecting: "dataset")
        defer { H5Oclose(dataset) }
        return try datasetShape(dataset, object: object)
    }

    /// The shape of the dataset at `path` after checking that the file stores enough bytes for
    /// it (see `readTensor`): a shape to size allocations by before reading.
    public func storedShape(of path: String) throws -> [Int] {
        let object = HDF5Path.normalize(path)
        let dataset = try openObject(object, expecting: "dataset")
        defer { H5Oclose(dataset) }
        let fileType = try checkID(H5Dget_type(dataset), "H5Dget_type", object)
        defer { H5Tclose(fileType) }
        let shape = try datasetShape(dataset, object: object)
        try checkBacked(dataset, shape: shape, fileType: fileType, memoryWidth: 4, object: object)
        return shape
    }

    /// Writes 64-bit signed integers (steps, counters, seeds) as a little-endian int64
    /// dataset of `shape` (`[]` for one value), replacing any dataset at `path`.
    /// - Throws: `HDF5Error.shapeMismatch` when `values.count` is not the shape's size.
    public func write(_ values: [Int64], shape: [Int], to path: String) throws {
        try writeIntegers(values, shape: shape, to: path, fileType: lethe_h5t_std_i64le(),
                          memoryType: lethe_h5t_native_int64())
    }

    /// Writes 64-bit unsigned integers (RNG state words) as a little-endian uint64 dataset.
    public func write(_ values: [UInt64], shape: [Int], to path: String) throws {
        try writeIntegers(values, shape: shape, to: path, fileType: lethe_h5t_std_u64le(),
                          memoryType: lethe_h5t_native_uint64())
    }

    /// The values of the integer dataset at `path`, row-major, converted to `Int64`.
    public func readInt64(_ path: String) throws -> [Int64] {
        try readIntegers(path, memoryType: lethe_h5t_native_int64(), zero: Int64(0))
    }

    /// The values of the integer dataset at `path`, row-major, converted to `UInt64`.
    public func readUInt64(_ path: String) throws -> [UInt64] {
        try readIntegers(path, memoryType: lethe_h5t_native_uint64(), zero: UInt64(0))
    }

    // MARK: Internal

    /// The file (little-endian IEEE) and memory (native) datatypes of a dtype.
    static func floatTypes(_ dtype: DType) -> (file: hid_t, memory: hid_t) {
        switch dtype {
        case .float32: return (lethe_h5t_ieee_f32le(), lethe_h5t_native_float())
        case .float64: return (lethe_h5t_ieee_f64le(), lethe_h5t_native_double())
        }
    }

    /// A chunk shape of at most about 1 MiB for a compressed dataset of `shape`, halving the
    /// leading axes first so a chunk holds whole trailing rows; `nil` when it cannot be
    /// chunked (a scalar or a shape with a zero axis).
    static func chunkShape(for shape: [Int], byteWidth: Int, targetBytes: Int = 1 << 20) -> [Int]? {
        guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else { return nil }
        var chunk = shape
        var axis = 0
        while chunk.reduce(byteWidth, *) > targetBytes, axis < chunk.count {
            if chunk[axis] > 1 { chunk[axis] = (chunk[axis] + 1) / 2 } else { axis += 1 }
        }
        return chunk
    }

    /// Creates a dataset at `object` (replacing a dataset there), optionally chunked with
    /// shuffle + deflate at `compressionLevel` (0 = no compression) and a Fletcher-32
    /// checksum per chunk. `maxShape` entries of `nil` are unlimited. Returns the open
    /// dataset; close it with `H5Dclose`.
    func makeDataset(
        _ object: String, fileType: hid_t, shape: [Int], maxShape: [Int?]? = nil,
        chunk: [Int]? = nil, compressionLevel: Int = 0, checksum: Bool = false
    ) throws -> hid_t {
        let id = try prepareDatasetPath(object)
        let space = try makeDataspace(shape, maxShape: maxShape, object: object)
        defer { H5Sclose(space) }
        let createList = try checkID(H5Pcreate(lethe_h5p_dataset_create()), "H5Pcreate", object)
        defer { H5Pclose(createList) }
        if var chunkDims = chunk?.map({ hsize_t($0) }) {
            try check(H5Pset_chunk(createList, Int32(chunkDims.count), &chunkDims), "H5Pset_chunk", object)
            if compressionLevel > 0 {
                try check(H5Pset_shuffle(createList), "H5Pset_shuffle", object)
                try check(H5Pset_deflate(createList, UInt32(compressionLevel)), "H5Pset_deflate", object)
            }
            if checksum { try check(H5Pset_fletcher32(createList), "H5Pset_fletcher32", object) }
        }
        return try checkID(
            H5Dcreate2(id, object, fileType, space, h5Default, createList, h5Default), "H5Dcreate2", object)
    }

    /// The element count of `shape`, after checking that the file can back it: the product
    /// must not overflow, and the bytes to allocate may exceed the dataset's stored bytes only
    /// by gzip's largest ratio (chunked data) plus 16 MiB of fill values. A corrupt extent thus
    /// fails here instead of allocating terabytes.
    @discardableResult
    func checkBacked(_ dataset: hid_t, shape: [Int], fileType: hid_t, memoryWidth: Int, object: String) throws -> Int {
        let width = max(memoryWidth, H5Tget_size(fileType), 1)
        var bytes = width
        for axis in shape where axis > 0 {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: axis)
            guard !overflow else {
                throw HDF5Error.shapeMismatch(path: path, object: object, expected: [], found: shape)
            }
            bytes = product
        }
        if shape.contains(0) { return 0 }
        let stored = Int(clamping: H5Dget_storage_size(dataset))
        let createList = H5Dget_create_plist(dataset)
        let chunked = createList >= 0 && H5Pget_layout(createList) == H5D_CHUNKED
        if createList >= 0 { H5Pclose(createList) }
        let ratio = chunked ? 1100 : 1
        let allowed = stored.multipliedReportingOverflow(by: ratio * max(1, memoryWidth / max(1, H5Tget_size(fileType))))
        guard allowed.overflow || bytes <= allowed.partialValue + (16 << 20) else {
            throw HDF5Error.callFailed(
                path: path, object: object, call: "H5Dread",
                reason: "shape \(shape) needs \(bytes) bytes but the file stores \(stored) (corrupt extent?)")
        }
        return bytes / width
    }

    /// The current extent of an open dataset.
    func datasetShape(_ dataset: hid_t, object: String) throws -> [Int] {
        let space = try checkID(H5Dget_space(dataset), "H5Dget_space", object)
        defer { H5Sclose(space) }
        return try extent(ofSpace: space, object: object)
    }

    private func writeIntegers<T: FixedWidthInteger>(
        _ values: [T], shape: [Int], to path: String, fileType: hid_t, memoryType: hid_t
    ) throws {
        let object = HDF5Path.normalize(path)
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
            throw HDF5Error.shapeMismatch(path: self.path, object: object, expected: shape, found: [values.count])
        }
        let dataset = try makeDataset(object, fileType: fileType, shape: shape)
        defer { H5Dclose(dataset) }
        guard !values.isEmpty else { return }
        try values.withUnsafeBytes { bytes in
            try check(
                H5Dwrite(dataset, memoryType, lethe_h5s_all(), lethe_h5s_all(), h5Default, bytes.baseAddress),
                "H5Dwrite", object)
        }
    }

    private func readIntegers<T: FixedWidthInteger>(_ path: String, memoryType: hid_t, zero: T) throws -> [T] {
        let object = HDF5Path.normalize(path)
        let dataset = try openObject(object, expecting: "dataset")
        defer { H5Oclose(dataset) }
        let fileType = try checkID(H5Dget_type(dataset), "H5Dget_type", object)
        defer { H5Tclose(fileType) }
        guard H5Tget_class(fileType) == H5T_INTEGER else {
            throw HDF5Error.wrongType(path: self.path, object: object, expected: "integers", found: typeName(fileType))
        }
        let count = try checkBacked(
            dataset, shape: try datasetShape(dataset, object: object), fileType: fileType,
            memoryWidth: MemoryLayout<T>.size, object: object)
        var values = [T](repeating: zero, count: count)
        guard count > 0 else { return values }
        try values.withUnsafeMutableBytes { bytes in
            try check(
                H5Dread(dataset, memoryType, lethe_h5s_all(), lethe_h5s_all(), h5Default, bytes.baseAddress),
                "H5Dread", object)
        }
        return values
    }
}
