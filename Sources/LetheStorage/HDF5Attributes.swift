import CHDF5

/// Attributes on the root group (`"/"`) or on any group or dataset.
///
/// Setting an attribute that already exists replaces it, whatever its old type. Strings are
/// stored as fixed-length, null-padded UTF-8 of exactly their byte count (h5py reads them as
/// `bytes`): unlike variable-length strings they need no global heap, whose corruption crashes
/// libhdf5 1.10 (see HDF5VariableStrings.swift). Numbers are scalar little-endian int64 / float64.
extension HDF5File {
    /// Sets the string attribute `name` on `object` (fixed-length UTF-8; text after a NUL
    /// character is not read back).
    public func setAttribute(_ name: String, _ value: String, on object: String = "/") throws {
        let label = attributeLabel(name, object)
        var bytes = Array(value.utf8)
        if bytes.isEmpty { bytes = [0] }  // HDF5 strings hold at least one byte
        let type = try checkID(H5Tcopy(lethe_h5t_c_s1()), "H5Tcopy", label)
        defer { H5Tclose(type) }
        guard H5Tset_size(type, bytes.count) >= 0, H5Tset_cset(type, H5T_CSET_UTF8) >= 0,
            H5Tset_strpad(type, H5T_STR_NULLPAD) >= 0
        else { throw failure("H5Tset_size", label) }
        try writeAttribute(name, on: object, fileType: type, memoryType: type, shape: [], data: &bytes)
    }

    /// Sets the int64 attribute `name` on `object`.
    public func setAttribute(_ name: String, _ value: Int64, on object: String = "/") throws {
        var value = value
        try writeAttribute(name, on: object, fileType: lethe_h5t_std_i64le(),
                           memoryType: lethe_h5t_native_int64(), shape: [], data: &value)
    }

    /// Sets the int64 attribute `name` on `object` (so integer literals pick this overload).
    public func setAttribute(_ name: String, _ value: Int, on object: String = "/") throws {
        try setAttribute(name, Int64(value), on: object)
    }

    /// Sets the float64 attribute `name` on `object`.
    public func setAttribute(_ name: String, _ value: Double, on object: String = "/") throws {
        var value = value
        try writeAttribute(name, on: object, fileType: lethe_h5t_ieee_f64le(),
                           memoryType: lethe_h5t_native_double(), shape: [], data: &value)
    }

    /// Sets the one-dimensional uint64 attribute `name` on `object` (an RNG state, say).
    public func setAttribute(_ name: String, _ values: [UInt64], on object: String = "/") throws {
        try values.withUnsafeBufferPointer { buffer in
            try writeAttribute(name, on: object, fileType: lethe_h5t_std_u64le(),
                               memoryType: lethe_h5t_native_uint64(), shape: [values.count],
                               data: UnsafeMutableRawPointer(mutating: buffer.baseAddress))
        }
    }

    /// The string attribute `name` of `object`, variable- or fixed-length, UTF-8 or ASCII.
    /// Fixed-length strings lose their padding (trailing NULs, or spaces for space-padded ones).
    /// - Throws: `HDF5Error.attributeNotFound`, or `.wrongType` when it is not one string.
    public func stringAttribute(_ name: String, on object: String = "/") throws -> String {
        try readAttribute(name, on: object) { attribute, fileType, label in
            guard H5Tget_class(fileType) == H5T_STRING else {
                throw HDF5Error.wrongType(path: path, object: label, expected: "a string", found: typeName(fileType))
            }
            try requireCount(1, attribute, label)
            if H5Tis_variable_str(fileType) > 0 {
                try validateVariableString(attribute, label: label)
                let memoryType = try variableStringType(cset: H5Tget_cset(fileType), object: label)
                defer { H5Tclose(memoryType) }
                var text: UnsafeMutablePointer<CChar>?
                try check(H5Aread(attribute, memoryType, &text), "H5Aread", label)
                guard let text else { return "" }
                defer { H5free_memory(text) }
                return String(cString: text)
            }
            let size = H5Tget_size(fileType)
            guard size > 0, size <= Self.attributeByteLimit else {
                throw HDF5Error.wrongType(path: path, object: label, expected: "a string", found: "a string of \(size) bytes")
            }
            var bytes = [UInt8](repeating: 0, count: size + 1)
            try check(H5Aread(attribute, fileType, &bytes), "H5Aread", label)
            var end = bytes.firstIndex(of: 0) ?? size
            if H5Tget_strpad(fileType) == H5T_STR_SPACEPAD {
                while end > 0, bytes[end - 1] == 0x20 { end -= 1 }
            }
            return String(decoding: bytes[..<end], as: UTF8.self)
        }
    }

    /// The integer attribute `name` of `object`, converted to `Int64`.
    public func int64Attribute(_ name: String, on object: String = "/") throws -> Int64 {
        var value: Int64 = 0
        try readNumber(name, on: object, classes: [H5T_INTEGER], expected: "an integer",
                       memoryType: lethe_h5t_native_int64(), into: &value)
        return value
    }

    /// The numeric (float or integer) attribute `name` of `object`, converted to `Double`.
    public func doubleAttribute(_ name: String, on object: String = "/") throws -> Double {
        var value: Double = 0
        try readNumber(name, on: object, classes: [H5T_FLOAT, H5T_INTEGER], expected: "a number",
                       memoryType: lethe_h5t_native_double(), into: &value)
        return value
    }

    /// The integer array attribute `name` of `object` (any shape, row-major) as `UInt64`s.
    public func uint64ArrayAttribute(_ name: String, on object: String = "/") throws -> [UInt64] {
        try readAttribute(name, on: object) { attribute, fileType, label in
            guard H5Tget_class(fileType) == H5T_INTEGER else {
                throw HDF5Error.wrongType(path: path, object: label, expected: "integers", found: typeName(fileType))
            }
            let space = try checkID(H5Aget_space(attribute), "H5Aget_space", label)
            defer { H5Sclose(space) }
            let count = try elementCount(ofSpace: space, object: label)
            guard count <= Self.attributeByteLimit / 8 else {
                throw HDF5Error.wrongType(path: path, object: label, expected: "integers", found: "\(count) of them")
            }
            var values = [UInt64](repeating: 0, count: count)
            guard !values.isEmpty else { return values }
            try check(H5Aread(attribute, lethe_h5t_native_uint64(), &values), "H5Aread", label)
            return values
        }
    }

    /// The names of the attributes of `object`, sorted.
    public func attributeNames(on object: String = "/") throws -> [String] {
        let objectPath = HDF5Path.normalize(object)
        let id = try openObject(objectPath, expecting: nil)
        defer { H5Oclose(id) }
        var names: [String] = []
        let status = withUnsafeMutablePointer(to: &names) { pointer in
            H5Aiterate2(id, H5_INDEX_NAME, H5_ITER_INC, nil, { _, name, _, context in
                guard let name, let context else { return 0 }
                context.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name))
                return 0
            }, pointer)
        }
        try check(status, "H5Aiterate2", objectPath)
        return names.sorted()
    }

    // MARK: Internal

    /// The most bytes an attribute read allocates (attributes are small; a larger one is corrupt).
    static let attributeByteLimit = 1 << 26

    /// "`/model` attribute 'step'", the object named in attribute errors.
    private func attributeLabel(_ name: String, _ object: String) -> String {
        "\(HDF5Path.normalize(object)) attribute '\(name)'"
    }

    /// A variable-length string datatype in `cset`.
    private func variableStringType(cset: H5T_cset_t, object: String) throws -> hid_t {
        let type = try checkID(H5Tcopy(lethe_h5t_c_s1()), "H5Tcopy", object)
        if H5Tset_size(type, lethe_h5t_variable()) < 0 || H5Tset_cset(type, cset) < 0 {
            H5Tclose(type)
            throw failure("H5Tset_size", object)
        }
        return type
    }

    /// Replaces attribute `name` of `object` with `data` of `shape` (`[]` = scalar).
    private func writeAttribute(
        _ name: String, on object: String, fileType: hid_t, memoryType: hid_t, shape: [Int],
        data: UnsafeMutableRawPointer?
    ) throws {
        let label = attributeLabel(name, object)
        _ = try writableID(for: label)
        let id = try openObject(object, expecting: nil)
        defer { H5Oclose(id) }
        if try checkValue(H5Aexists(id, name), "H5Aexists", label) > 0 {
            try check(H5Adelete(id, name), "H5Adelete", label)
        }
        let space = try makeDataspace(shape, object: label)
        defer { H5Sclose(space) }
        let attribute = try checkID(H5Acreate2(id, name, fileType, space, h5Default, h5Default), "H5Acreate2", label)
        defer { H5Aclose(attribute) }
        guard shape.reduce(1, *) > 0 else { return }
        try check(H5Awrite(attribute, memoryType, data), "H5Awrite", label)
    }

    /// Opens attribute `name` of `object` and its file datatype for `body`.
    private func readAttribute<R>(
        _ name: String, on object: String, _ body: (hid_t, hid_t, String) throws -> R
    ) throws -> R {
        let label = attributeLabel(name, object)
        let id = try openObject(object, expecting: nil)
        defer { H5Oclose(id) }
        guard try checkValue(H5Aexists(id, name), "H5Aexists", label) > 0 else {
            throw HDF5Error.attributeNotFound(path: path, object: HDF5Path.normalize(object), name: name)
        }
        let attribute = try checkID(H5Aopen(id, name, h5Default), "H5Aopen", label)
        defer { H5Aclose(attribute) }
        let fileType = try checkID(H5Aget_type(attribute), "H5Aget_type", label)
        defer { H5Tclose(fileType) }
        return try body(attribute, fileType, label)
    }

    /// Reads a one-element numeric attribute whose class is one of `classes`.
    private func readNumber(
        _ name: String, on object: String, classes: [H5T_class_t], expected: String,
        memoryType: hid_t, into value: UnsafeMutableRawPointer
    ) throws {
        try readAttribute(name, on: object) { attribute, fileType, label in
            guard classes.contains(H5Tget_class(fileType)) else {
                throw HDF5Error.wrongType(path: path, object: label, expected: expected, found: typeName(fileType))
            }
            try requireCount(1, attribute, label)
            try check(H5Aread(attribute, memoryType, value), "H5Aread", label)
        }
    }

    /// Throws `shapeMismatch` unless the attribute holds exactly `count` elements.
    private func requireCount(_ count: Int, _ attribute: hid_t, _ label: String) throws {
        let space = try checkID(H5Aget_space(attribute), "H5Aget_space", label)
        defer { H5Sclose(space) }
        let found = try elementCount(ofSpace: space, object: label)
        if found != count {
            let shape = try extent(ofSpace: space, object: label)
            throw HDF5Error.shapeMismatch(path: path, object: label, expected: [count], found: shape)
        }
    }
}
