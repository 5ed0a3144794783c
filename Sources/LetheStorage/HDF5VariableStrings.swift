import CHDF5
import Foundation

// Reading variable-length string attributes (written by h5py, and by Lethe before it switched
// to fixed-length strings) without trusting the file's global heap.
//
// libhdf5 1.10.8 reads a variable-length string through a 16-byte descriptor (length, heap
// collection address, object index) into a global heap collection ("GCOL"), and `H5HG_read`
// only asserts, in debug builds, that the index names an object and that the object fits the
// buffer sized by the descriptor's length. A corrupt descriptor or collection therefore makes
// `H5Aread` read or write out of bounds (a segfault, not an error). So before the real read,
// Lethe fetches the raw descriptor (through a no-op conversion to an opaque type registered
// here) and checks the collection in the file bytes itself: signature, version, size within
// the file, objects that tile it exactly, and an object of that index and of that length.

/// The tag of the opaque type the raw descriptors are read as.
private let descriptorTag = "lethe.vlen-descriptor"

/// HDF5 soft conversion from a variable-length string to an opaque type of the same size that
/// copies nothing: the buffer already holds the raw on-disk descriptor.
private let descriptorConversion: H5T_conv_t = { source, destination, cdata, _, _, _, _, _, _ in
    guard let cdata else { return -1 }
    guard cdata.pointee.command == H5T_CONV_INIT else { return 0 }  // CONV: in place; FREE: nothing
    guard H5Tis_variable_str(source) > 0, H5Tget_class(destination) == H5T_OPAQUE,
        H5Tget_size(source) == H5Tget_size(destination), let tag = H5Tget_tag(destination)
    else { return -1 }
    defer { H5free_memory(tag) }
    guard String(cString: tag) == descriptorTag else { return -1 }
    cdata.pointee.need_bkg = H5T_BKG_NO
    return 0
}

/// Registers `descriptorConversion` once per process; `false` when HDF5 refused it.
private let descriptorConversionRegistered: Bool = {
    HDF5Library.prepare()
    let source = H5Tcopy(lethe_h5t_c_s1())
    let destination = H5Tcreate(H5T_OPAQUE, 16)
    defer {
        if source >= 0 { H5Tclose(source) }
        if destination >= 0 { H5Tclose(destination) }
    }
    guard source >= 0, destination >= 0, H5Tset_size(source, lethe_h5t_variable()) >= 0,
        H5Tset_tag(destination, descriptorTag) >= 0
    else { return false }
    return H5Tregister(H5T_PERS_SOFT, "lethe_vlen_descriptor", source, destination, descriptorConversion) >= 0
}()

extension HDF5File {
    /// Throws unless the one-element variable-length string `attribute` refers to a global
    /// heap object that `H5Aread` can copy safely (or to none: the empty string).
    func validateVariableString(_ attribute: hid_t, label: String) throws {
        func corrupt(_ reason: String) -> HDF5Error {
            .callFailed(path: path, object: label, call: "H5Aread", reason: "corrupt variable-length string: \(reason)")
        }
        guard descriptorConversionRegistered else { throw corrupt("cannot register the descriptor check") }
        let sizes = try fileSizes(label)
        let width = 4 + sizes.address + 4
        let opaque = try checkID(H5Tcreate(H5T_OPAQUE, width), "H5Tcreate", label)
        defer { H5Tclose(opaque) }
        try check(H5Tset_tag(opaque, descriptorTag), "H5Tset_tag", label)
        var raw = [UInt8](repeating: 0, count: width)
        try check(H5Aread(attribute, opaque, &raw), "H5Aread", label)
        let length = Self.littleEndian(raw[0..<4])
        let address = Self.littleEndian(raw[4..<(4 + sizes.address)])
        let index = Self.littleEndian(raw[(4 + sizes.address)...])
        if length == 0 { return }  // HDF5 reads nothing for an empty sequence
        guard address != 0 else { throw corrupt("length \(length) without a heap address") }
        let objects = try globalHeapObjects(at: address, sizes: sizes, corrupt)
        guard let found = objects[index] else { throw corrupt("heap object \(index) does not exist") }
        guard found == length else { throw corrupt("heap object \(index) holds \(found) bytes, not \(length)") }
    }

    /// The file's address and length widths (bytes) and its base address (the user block).
    private func fileSizes(_ label: String) throws -> (address: Int, length: Int, base: UInt64) {
        let list = try checkID(H5Fget_create_plist(try openID()), "H5Fget_create_plist", label)
        defer { H5Pclose(list) }
        var (address, length): (Int, Int) = (0, 0)
        var userBlock: hsize_t = 0
        try check(H5Pget_sizes(list, &address, &length), "H5Pget_sizes", label)
        try check(H5Pget_userblock(list, &userBlock), "H5Pget_userblock", label)
        guard (2...8).contains(address), (2...8).contains(length) else {
            throw HDF5Error.callFailed(path: path, object: label, call: "H5Pget_sizes", reason: "unsupported address width")
        }
        return (address, length, UInt64(userBlock))
    }

    /// The objects (index → size) of the global heap collection at `address`, after checking
    /// the collection the way `H5HG` parses it, but with every bound enforced.
    private func globalHeapObjects(
        at address: UInt64, sizes: (address: Int, length: Int, base: UInt64), _ corrupt: (String) -> HDF5Error
    ) throws -> [UInt64: UInt64] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw corrupt("cannot reread the file") }
        defer { try? handle.close() }
        let fileLength = (try? handle.seekToEnd()) ?? 0
        let headerSize = 8 + sizes.length
        let (start, overflow) = sizes.base.addingReportingOverflow(address)
        guard !overflow, start < fileLength, fileLength - start >= UInt64(headerSize) else {
            throw corrupt("heap address \(address) is outside the file")
        }
        try handle.seek(toOffset: start)
        let header = [UInt8](handle.readData(ofLength: headerSize))
        guard header.count == headerSize, header[0..<4].elementsEqual(Array("GCOL".utf8)), header[4] == 1 else {
            throw corrupt("no global heap collection at address \(address)")
        }
        let size = Self.littleEndian(header[8...])
        guard size >= 4096, size >= UInt64(headerSize), size <= fileLength - start else {
            throw corrupt("global heap collection of \(size) bytes at \(address) does not fit the file")
        }
        try handle.seek(toOffset: start)
        let bytes = [UInt8](handle.readData(ofLength: Int(size)))
        guard bytes.count == Int(size) else { throw corrupt("global heap collection is truncated") }
        let objectHeader = 8 + sizes.length
        var objects: [UInt64: UInt64] = [:]
        var offset = headerSize
        while offset < bytes.count {
            if bytes.count - offset < objectHeader { break }  // too small for an object: free space
            let index = Self.littleEndian(bytes[offset..<(offset + 2)])
            let objectSize = Self.littleEndian(bytes[(offset + 8)..<(offset + objectHeader)])
            let remaining = UInt64(bytes.count - offset)
            // Object 0 is free space, its size counting its header; others are padded to 8.
            let need = index == 0 ? objectSize : UInt64(objectHeader) + ((objectSize &+ 7) & ~7)
            guard need >= UInt64(objectHeader), need <= remaining, objectSize <= remaining,
                objects.updateValue(objectSize, forKey: index) == nil
            else { throw corrupt("global heap object at offset \(offset) overruns its collection") }
            offset += Int(need)
        }
        return objects
    }

    /// The little-endian unsigned integer in `bytes` (at most 8 of them).
    private static func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}
