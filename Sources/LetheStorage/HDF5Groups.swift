import CHDF5

/// Groups and the lookup of objects by path.
extension HDF5File {
    /// Creates the group at `path` and any missing groups above it (`/model/sub` creates
    /// `/model` first). An existing group is left as it is.
    /// - Throws: `HDF5Error.wrongType` when a dataset occupies a component of the path.
    public func createGroup(_ path: String) throws {
        let id = try writableID(for: path)
        for prefix in HDF5Path.prefixes(path) {
            if try linkExists(prefix, in: id) {
                let kind = try objectKind(prefix)
                if kind != "group" {
                    throw HDF5Error.wrongType(path: self.path, object: prefix, expected: "a group", found: kind)
                }
            } else {
                let group = try checkID(H5Gcreate2(id, prefix, h5Default, h5Default, h5Default), "H5Gcreate2", prefix)
                H5Gclose(group)
            }
        }
    }

    /// Whether a group or dataset exists at `path`. The root `/` always exists.
    public func exists(_ path: String) -> Bool {
        guard let id = try? openID() else { return false }
        for prefix in HDF5Path.prefixes(path) {
            guard (try? linkExists(prefix, in: id)) == true else { return false }
        }
        return H5Oexists_by_name(id, HDF5Path.normalize(path), h5Default) > 0
    }

    /// The full paths of all datasets in `group` and its subgroups, sorted
    /// (`["/model/h.0.attn.c_attn.bias", "/model/h.0.attn.c_attn.weight", ...]`). Only hard
    /// links are listed; soft and external links are not followed.
    /// - Throws: `HDF5Error.notFound` or `.wrongType` when `group` is not a group.
    public func datasetNames(under group: String = "/") throws -> [String] {
        let groupPath = HDF5Path.normalize(group)
        let groupID = try openObject(groupPath, expecting: "group")
        defer { H5Oclose(groupID) }
        var names: [String] = []
        let status = withUnsafeMutablePointer(to: &names) { pointer in
            H5Lvisit(groupID, H5_INDEX_NAME, H5_ITER_INC, { group, name, info, context in
                guard let name, let info, let context, info.pointee.type == H5L_TYPE_HARD else { return 0 }
                var objectInfo = H5O_info_t()
                guard H5Oget_info_by_name2(group, name, &objectInfo, UInt32(H5O_INFO_BASIC), h5Default) >= 0
                else { return -1 }
                if objectInfo.type == H5O_TYPE_DATASET {
                    context.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name))
                }
                return 0
            }, pointer)
        }
        try check(status, "H5Lvisit", groupPath)
        return names.map { HDF5Path.join(groupPath, $0) }.sorted()
    }

    // MARK: Internal lookup

    /// Whether the link `path` exists in its parent group (which must exist).
    func linkExists(_ path: String, in id: hid_t) throws -> Bool {
        try checkValue(H5Lexists(id, path, h5Default), "H5Lexists", path) > 0
    }

    /// "group", "dataset" or "a named datatype" for the object at `path` (which must exist).
    func objectKind(_ path: String) throws -> String {
        let id = try openID()
        var info = H5O_info_t()
        try check(
            H5Oget_info_by_name2(id, path, &info, UInt32(H5O_INFO_BASIC), h5Default),
            "H5Oget_info_by_name2", path)
        switch info.type {
        case H5O_TYPE_GROUP: return "group"
        case H5O_TYPE_DATASET: return "dataset"
        case H5O_TYPE_NAMED_DATATYPE: return "a named datatype"
        default: return "an unknown object"
        }
    }

    /// Opens the object at `path` (close it with `H5Oclose`), checking that it is a
    /// `"group"`, a `"dataset"` or, for `nil`, anything.
    /// - Throws: `HDF5Error.notFound` naming the path, or `.wrongType`.
    func openObject(_ path: String, expecting kind: String?) throws -> hid_t {
        let id = try openID()
        let object = HDF5Path.normalize(path)
        guard exists(object) else { throw HDF5Error.notFound(path: self.path, object: object) }
        if let kind {
            let found = try objectKind(object)
            if found != kind {
                throw HDF5Error.wrongType(path: self.path, object: object, expected: "a \(kind)", found: found)
            }
        }
        return try checkID(H5Oopen(id, object, h5Default), "H5Oopen", object)
    }

    /// Makes room for a new dataset at `object`: creates its parent groups and deletes an
    /// existing dataset there. Returns the writable file id.
    func prepareDatasetPath(_ object: String) throws -> hid_t {
        let id = try writableID(for: object)
        guard object != "/" else {
            throw HDF5Error.invalidArgument(path: path, object: object, reason: "the root is a group, not a dataset")
        }
        try createGroup(HDF5Path.parent(object))
        if exists(object) {
            let kind = try objectKind(object)
            guard kind == "dataset" else {
                throw HDF5Error.wrongType(path: path, object: object, expected: "a dataset", found: kind)
            }
            try check(H5Ldelete(id, object, h5Default), "H5Ldelete", object)
        }
        return id
    }
}
