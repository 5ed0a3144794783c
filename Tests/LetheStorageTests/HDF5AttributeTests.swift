import CHDF5
import LetheStorage
import LetheTensor
import Testing

@Test func attributesOfEveryKindRoundTrip() throws {
    try withTemporaryFile("attrs") { path in
        let file = try HDF5File.create(at: path)
        try file.write(Tensor(zeros: [2, 2]), to: "/model/w")
        try file.setAttribute("format", "lethe-checkpoint")
        try file.setAttribute("text", "naïve ✓ — 日本語")
        try file.setAttribute("empty", "")
        try file.setAttribute("step", 1200)
        try file.setAttribute("big", Int64.min)
        try file.setAttribute("lr", 1e-5)
        try file.setAttribute("rng", [UInt64.max, 1, 2, 3])
        try file.setAttribute("none", [UInt64]())
        try file.setAttribute("layout", "Conv1D [in, out]", on: "/model/w")
        try file.setAttribute("count", 3, on: "model")
        file.close()

        let reopened = try HDF5File.open(at: path)
        defer { reopened.close() }
        #expect(try reopened.stringAttribute("format") == "lethe-checkpoint")
        #expect(try reopened.stringAttribute("text", on: "/") == "naïve ✓ — 日本語")
        #expect(try reopened.stringAttribute("empty") == "")
        #expect(try reopened.int64Attribute("step") == 1200)
        #expect(try reopened.int64Attribute("big") == Int64.min)
        #expect(try reopened.doubleAttribute("lr") == 1e-5)
        #expect(try reopened.doubleAttribute("step") == 1200)  // integers read as numbers too
        #expect(try reopened.uint64ArrayAttribute("rng") == [UInt64.max, 1, 2, 3])
        #expect(try reopened.uint64ArrayAttribute("none") == [])
        #expect(try reopened.uint64ArrayAttribute("step") == [1200])
        #expect(try reopened.stringAttribute("layout", on: "/model/w") == "Conv1D [in, out]")
        #expect(try reopened.int64Attribute("count", on: "/model") == 3)
        #expect(try reopened.attributeNames() == ["big", "empty", "format", "lr", "none", "rng", "step", "text"])
        #expect(try reopened.attributeNames(on: "/model/w") == ["layout"])
    }
}

@Test func overwritingAnAttributeReplacesValueAndType() throws {
    try withTemporaryFile("overwrite") { path in
        let file = try HDF5File.create(at: path)
        try file.setAttribute("step", 1)
        try file.setAttribute("step", 2)
        #expect(try file.int64Attribute("step") == 2)
        try file.setAttribute("step", "two")
        #expect(try file.stringAttribute("step") == "two")
        try file.setAttribute("step", "a much longer value than before ✓")
        #expect(try file.stringAttribute("step") == "a much longer value than before ✓")
        try file.setAttribute("step", 2.5)
        #expect(try file.doubleAttribute("step") == 2.5)
        #expect(try file.attributeNames() == ["step"])
        file.close()
    }
}

@Test func attributeErrorsNameFileObjectAndAttribute() throws {
    try withTemporaryFile("attr-errors") { path in
        let file = try HDF5File.create(at: path)
        try file.setAttribute("name", "x")
        #expect(throws: HDF5Error.attributeNotFound(path: path, object: "/", name: "missing")) {
            try file.stringAttribute("missing")
        }
        #expect(throws: HDF5Error.notFound(path: path, object: "/no/such")) {
            try file.setAttribute("a", 1, on: "/no/such")
        }
        do {
            _ = try file.int64Attribute("name")
            Issue.record("reading a string as an integer should throw")
        } catch let error as HDF5Error {
            guard case .wrongType = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.description.contains(path))
            #expect(error.description.contains("attribute 'name'"))
        }
        file.close()
    }
}

/// Fixed-length strings (what h5py writes for `numpy.bytes_`, and what many C tools write)
/// read back without their padding.
@Test func fixedLengthStringAttributesAreRead() throws {
    try withTemporaryFile("fixed") { path in
        try HDF5File.create(at: path).close()
        try writeFixedStringAttribute(path, name: "nullpad", value: "abc", size: 8, pad: H5T_STR_NULLPAD)
        try writeFixedStringAttribute(path, name: "nullterm", value: "hello", size: 6, pad: H5T_STR_NULLTERM)
        try writeFixedStringAttribute(path, name: "spacepad", value: "xy", size: 5, pad: H5T_STR_SPACEPAD)
        try writeFixedStringAttribute(path, name: "full", value: "naïve", size: 6, pad: H5T_STR_NULLPAD)
        let file = try HDF5File.open(at: path)
        defer { file.close() }
        #expect(try file.stringAttribute("nullpad") == "abc")
        #expect(try file.stringAttribute("nullterm") == "hello")
        #expect(try file.stringAttribute("spacepad") == "xy")
        #expect(try file.stringAttribute("full") == "naïve")
    }
}

/// Writes a scalar fixed-length string attribute on the root with the C API directly.
private func writeFixedStringAttribute(
    _ path: String, name: String, value: String, size: Int, pad: H5T_str_t
) throws {
    let fileID = H5Fopen(path, lethe_h5f_acc_rdwr(), hid_t(lethe_h5p_default()))
    try #require(fileID >= 0)
    defer { H5Fclose(fileID) }
    let type = H5Tcopy(lethe_h5t_c_s1())
    defer { H5Tclose(type) }
    H5Tset_size(type, size)
    H5Tset_strpad(type, pad)
    H5Tset_cset(type, H5T_CSET_UTF8)
    let space = H5Screate(H5S_SCALAR)
    defer { H5Sclose(space) }
    let attribute = H5Acreate2(fileID, name, type, space, hid_t(lethe_h5p_default()), hid_t(lethe_h5p_default()))
    try #require(attribute >= 0)
    defer { H5Aclose(attribute) }
    var bytes = Array(value.utf8)
    try #require(bytes.count <= size)
    bytes += [UInt8](repeating: pad == H5T_STR_SPACEPAD ? 0x20 : 0, count: size - bytes.count)
    try #require(H5Awrite(attribute, type, bytes) >= 0)
}
