import CHDF5

/// How a dataset is stored: its type, current and maximum shape, chunking and filters.
/// For listings (`lethe inspect`) and for tests of what the writers produce.
public struct HDF5DatasetLayout: Equatable, Sendable, CustomStringConvertible {
    /// The element type: "float32", "float64", "int64", "uint64", "string", ...
    public var type: String
    /// The current shape (`[]` for a scalar).
    public var shape: [Int]
    /// The maximum shape; `nil` marks an unlimited axis.
    public var maxShape: [Int?]
    /// The chunk shape, or `nil` for contiguous (or compact) storage.
    public var chunk: [Int]?
    /// The filters applied to each chunk, in order: "shuffle", "deflate", "fletcher32",
    /// "szip", "nbit", "scaleoffset", or "filter <id>" for others.
    public var filters: [String]

    public var description: String {
        let maxText = maxShape.map { $0.map(String.init) ?? "inf" }.joined(separator: ", ")
        var text = "\(type) \(shape) max [\(maxText)]"
        if let chunk { text += " chunk \(chunk)" }
        if !filters.isEmpty { text += " filters \(filters.joined(separator: "+"))" }
        return text
    }
}

extension HDF5File {
    /// The storage layout of the dataset at `path`.
    /// - Throws: `HDF5Error.notFound` naming the dataset, `.wrongType` for a group.
    public func layout(of path: String) throws -> HDF5DatasetLayout {
        let object = HDF5Path.normalize(path)
        let dataset = try openObject(object, expecting: "dataset")
        defer { H5Oclose(dataset) }
        let fileType = try checkID(H5Dget_type(dataset), "H5Dget_type", object)
        defer { H5Tclose(fileType) }

        let space = try checkID(H5Dget_space(dataset), "H5Dget_space", object)
        defer { H5Sclose(space) }
        let shape = try extent(ofSpace: space, object: object)
        var maxDims = [hsize_t](repeating: 0, count: shape.count)
        if !shape.isEmpty {
            try check(H5Sget_simple_extent_dims(space, nil, &maxDims), "H5Sget_simple_extent_dims", object)
        }
        let maxShape = maxDims.map { $0 == lethe_h5s_unlimited() ? nil : Int($0) }

        let createList = try checkID(H5Dget_create_plist(dataset), "H5Dget_create_plist", object)
        defer { H5Pclose(createList) }
        var chunk: [Int]?
        if H5Pget_layout(createList) == H5D_CHUNKED {
            var dims = [hsize_t](repeating: 0, count: max(shape.count, 1))
            let rank = try checkValue(H5Pget_chunk(createList, Int32(dims.count), &dims), "H5Pget_chunk", object)
            chunk = dims.prefix(Int(rank)).map { Int($0) }
        }
        let filterCount = try checkValue(H5Pget_nfilters(createList), "H5Pget_nfilters", object)
        var filters: [String] = []
        for index in 0..<UInt32(filterCount) {
            var flags: UInt32 = 0
            var valueCount = 0
            var configuration: UInt32 = 0
            let filter = H5Pget_filter2(createList, index, &flags, &valueCount, nil, 0, nil, &configuration)
            if filter < 0 { throw failure("H5Pget_filter2", object) }
            filters.append(Self.filterName(filter))
        }
        return HDF5DatasetLayout(
            type: typeName(fileType), shape: shape, maxShape: maxShape, chunk: chunk, filters: filters)
    }

    /// The conventional name of an HDF5 filter id.
    private static func filterName(_ filter: H5Z_filter_t) -> String {
        switch filter {
        case H5Z_filter_t(H5Z_FILTER_DEFLATE): return "deflate"
        case H5Z_filter_t(H5Z_FILTER_SHUFFLE): return "shuffle"
        case H5Z_filter_t(H5Z_FILTER_FLETCHER32): return "fletcher32"
        case H5Z_filter_t(H5Z_FILTER_SZIP): return "szip"
        case H5Z_filter_t(H5Z_FILTER_NBIT): return "nbit"
        case H5Z_filter_t(H5Z_FILTER_SCALEOFFSET): return "scaleoffset"
        default: return "filter \(filter)"
        }
    }
}
