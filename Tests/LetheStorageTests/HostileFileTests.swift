import Foundation
import LetheStorage
import LetheTensor
import Testing

/// The minimal hostile inputs the fuzz tests found or the issue names, each once a crash or
/// an unbounded allocation, now a thrown error.
@Suite("Hostile files: regression inputs")
struct HostileFileTests {
    static let h5pyFixture = StorageFuzzTests.h5pyFixture

    private func safetensors(_ json: String, headerLength: UInt64? = nil, data: Int = 0) throws -> SafetensorsError? {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var bytes = withUnsafeBytes(of: (headerLength ?? UInt64(json.utf8.count)).littleEndian) { Array($0) }
        bytes += Array(json.utf8) + [UInt8](repeating: 0, count: data)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SafetensorsFile.read(path: path)
            return nil
        } catch let error as SafetensorsError {
            return error
        }
    }

    /// Was a trap: the shape's product overflowed `Int` before any check.
    @Test func safetensorsShapeWhoseProductOverflows() throws {
        let error = try safetensors(#"{"t": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 0]}}"#)
        #expect(error.map { "\($0)".contains("too large") } == true)
        let zeroFirst = try safetensors(#"{"t": {"dtype": "F64", "shape": [0, 9223372036854775807, 2], "data_offsets": [0, 0]}}"#)
        #expect(zeroFirst != nil)
    }

    /// Was silently truncated to shape [1] (NSNumber.intValue).
    @Test func safetensorsFractionalShapeIsRefused() throws {
        #expect(try safetensors(#"{"t": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}}"#, data: 4) != nil)
        #expect(try safetensors(#"{"t": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}"#, data: 4) == nil)
    }

    @Test func safetensorsHugeHeaderLengthAndOffsetsPastTheEnd() throws {
        #expect(try safetensors("{}", headerLength: 1 << 60) != nil)
        #expect(try safetensors(#"{"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}"#, data: 4) != nil)
    }

    /// Patches `bytes` at `offset` of a copy of the h5py fixture; returns the copy's path.
    private func patchedFixture(_ patches: [(Int, [UInt8])]) throws -> String {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.h5pyFixture)))
        for (offset, patch) in patches { bytes.replaceSubrange(offset..<(offset + patch.count), with: patch) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).h5").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Was an out-of-bounds read in libhdf5's `H5HG_read` (returning garbage, or the segfault
    /// the fuzz test hit): the descriptor of `format` (at byte 880: length 15, heap address
    /// 2048, index 1) names heap object 99, which does not exist.
    @Test func variableStringNamingAMissingHeapObject() throws {
        let path = try patchedFixture([(892, [99, 0, 0, 0])])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try HDF5File.open(at: path)
        defer { file.close() }
        #expect(throws: HDF5Error.self) { try file.stringAttribute("format") }
        #expect(try file.stringAttribute("loss_names") == #"["forget","retain"]"#)
    }

    /// Was a silent heap buffer overflow in `H5HG_read`: the descriptor says 4 bytes, the heap
    /// object holds 15, and HDF5 copied 15 bytes into a 5-byte buffer.
    @Test func variableStringLongerThanItsDescriptor() throws {
        let path = try patchedFixture([(880, [4, 0, 0, 0])])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try HDF5File.open(at: path)
        defer { file.close() }
        #expect(throws: HDF5Error.self) { try file.stringAttribute("format") }
    }

    /// Was an attempt to allocate 2^40 × 28 floats: /cosine's dataspace (at byte 6720) claims
    /// 2^40 rows that the file cannot hold.
    @Test func datasetExtentLargerThanTheFile() throws {
        let path = try patchedFixture([(6720, [0, 0, 0, 0, 0, 1, 0, 0])])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try HDF5File.open(at: path)
        defer { file.close() }
        let shape = try file.shape(of: "/cosine")
        #expect(shape == [1 << 40, 28])
        #expect(throws: HDF5Error.self) { try file.readTensor("/cosine") }
    }

    /// Lethe writes fixed-length strings, so its files hold no global heap at all; a long
    /// string goes to dense attribute storage.
    @Test func letheWritesNoVariableLengthStrings() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fixed-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let long = String(repeating: "naïve café ", count: 10_000)
        let file = try HDF5File.create(at: path)
        try file.setAttribute("format", "lethe.checkpoint")
        try file.setAttribute("empty", "")
        try file.setAttribute("long", long)
        file.close()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(!bytes.indices.dropLast(3).contains { bytes[$0..<($0 + 4)].elementsEqual(Array("GCOL".utf8)) })
        let reopened = try HDF5File.open(at: path)
        defer { reopened.close() }
        #expect(try reopened.stringAttribute("format") == "lethe.checkpoint")
        #expect(try reopened.stringAttribute("empty") == "")
        #expect(try reopened.stringAttribute("long") == long)
    }
}
