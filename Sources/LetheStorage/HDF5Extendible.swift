import CHDF5
import LetheTensor

/// Extendible datasets: logs that grow by rows along an unlimited first axis (one row per
/// training step), stored chunked and compressed.
extension HDF5File {
    /// Creates an empty dataset of shape `[0] + columns` at `path` whose first axis is
    /// unlimited, replacing any dataset there and creating missing parent groups.
    ///
    /// The data is stored in chunks of `chunkRows` rows, filtered by shuffle + deflate (gzip)
    /// at `compressionLevel` (1-9; 0 stores the chunks unfiltered).
    /// - Parameter columns: the shape of one row (`[]` for a log of scalars, `[12]` for
    ///   twelve numbers per step, `[768, 768]` for a full matrix per step).
    /// - Throws: `HDF5Error.invalidArgument` for a zero-sized column axis, a non-positive
    ///   `chunkRows` or a level outside 0...9.
    public func createExtendible(
        _ path: String, columns: [Int], dtype: DType, chunkRows: Int = 64, compressionLevel: Int = 4
    ) throws {
        let object = HDF5Path.normalize(path)
        guard columns.allSatisfy({ $0 > 0 }) else {
            throw HDF5Error.invalidArgument(
                path: self.path, object: object, reason: "row shape \(columns) has an axis of size 0 or less")
        }
        guard chunkRows > 0 else {
            throw HDF5Error.invalidArgument(
                path: self.path, object: object, reason: "chunkRows must be positive, not \(chunkRows)")
        }
        guard (0...9).contains(compressionLevel) else {
            throw HDF5Error.invalidArgument(
                path: self.path, object: object,
                reason: "gzip compression level must be in 0...9, not \(compressionLevel)")
        }
        let dataset = try makeDataset(
            object, fileType: Self.floatTypes(dtype).file, shape: [0] + columns,
            maxShape: [nil] + columns.map { Optional($0) }, chunk: [chunkRows] + columns,
            compressionLevel: compressionLevel)
        H5Dclose(dataset)
    }

    /// Appends `rows` to the extendible dataset at `path`, growing its first axis.
    ///
    /// `rows` has shape `[n] + columns` for `n` rows, or exactly `columns` for one row, and the
    /// dataset's dtype (no silent float64 to float32 rounding).
    /// - Throws: `HDF5Error.shapeMismatch` for rows of another shape, `.wrongType` for
    ///   another dtype, `.notFound` naming the dataset.
    public func append(_ rows: Tensor, to path: String) throws {
        let object = HDF5Path.normalize(path)
        _ = try writableID(for: object)
        let dataset = try openObject(object, expecting: "dataset")
        defer { H5Oclose(dataset) }
        let fileType = try checkID(H5Dget_type(dataset), "H5Dget_type", object)
        defer { H5Tclose(fileType) }
        let fileTypeName = typeName(fileType)
        guard fileTypeName == (rows.dtype == .float32 ? "float32" : "float64") else {
            throw HDF5Error.wrongType(path: self.path, object: object, expected: "\(rows.dtype) rows",
                                      found: "a \(fileTypeName) dataset")
        }
        let current = try datasetShape(dataset, object: object)
        guard let existingRows = current.first else {
            throw HDF5Error.wrongType(path: self.path, object: object, expected: "an extendible dataset",
                                      found: "a scalar dataset")
        }
        let columns = Array(current.dropFirst())
        let newRows: Int
        if rows.shape == columns {
            newRows = 1
        } else if rows.shape.count == current.count, Array(rows.shape.dropFirst()) == columns {
            newRows = rows.shape[0]
        } else {
            throw HDF5Error.shapeMismatch(path: self.path, object: object,
                                          expected: [rows.shape.first ?? 1] + columns, found: rows.shape)
        }
        guard newRows > 0 else { return }

        var newExtent = ([existingRows + newRows] + columns).map { hsize_t($0) }
        try check(H5Dset_extent(dataset, &newExtent), "H5Dset_extent", object)
        do {
            try writeRows(rows, into: dataset, at: existingRows, count: [newRows] + columns, object: object)
        } catch {
            var oldExtent = current.map { hsize_t($0) }
            H5Dset_extent(dataset, &oldExtent)
            throw error
        }
    }

    /// Writes `rows` into the hyperslab of `dataset` starting at row `start` of size `count`.
    private func writeRows(_ rows: Tensor, into dataset: hid_t, at start: Int, count: [Int], object: String) throws {
        let fileSpace = try checkID(H5Dget_space(dataset), "H5Dget_space", object)
        defer { H5Sclose(fileSpace) }
        var offset = [hsize_t](repeating: 0, count: count.count)
        offset[0] = hsize_t(start)
        var size = count.map { hsize_t($0) }
        try check(H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &offset, nil, &size, nil),
                  "H5Sselect_hyperslab", object)
        let memorySpace = try makeDataspace(count, object: object)
        defer { H5Sclose(memorySpace) }
        try rows.withUnsafeRawBytes { bytes in
            try check(
                H5Dwrite(dataset, Self.floatTypes(rows.dtype).memory, memorySpace, fileSpace, h5Default,
                         bytes.baseAddress),
                "H5Dwrite", object)
        }
    }
}
