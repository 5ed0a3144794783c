import Foundation
import LetheStorage
import LetheTestSupport
import LetheTensor
import Testing

/// Seeded mutation fuzzing of the binary readers (issue 8): each mutated file must give a value
/// or an error, never a crash, a hang or an unbounded allocation. `LETHE_FUZZ_ITERATIONS`
/// raises the count (scripts/fuzz.sh); each test prints a `fuzz-summary` line.
@Suite("Fuzz: safetensors and HDF5 readers")
struct StorageFuzzTests {
    static let iterations = Fuzz.iterations(default: 300)
    /// An h5py-written file with variable-length string attributes (global heap).
    static let h5pyFixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../LetheUnlearningTests/Fixtures/gradients_tiny.h5").standardized.path

    @Test func safetensorsReaderNeverCrashes() throws {
        let path = Fuzz.temporaryPath("model.safetensors")
        defer { Fuzz.removeTemporary(path) }
        try SafetensorsFile.write(
            [("a.weight", try Tensor((0..<24).map(Float.init), shape: [4, 6])), ("b", try Tensor([1, 2] as [Double], shape: [2]))],
            metadata: ["format": "pt"], to: path)
        let valid = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let tally = try Fuzz.run("safetensors", valid: valid, seed: 1, iterations: Self.iterations, path: path) {
            _ = try SafetensorsFile.read(path: $0)
        }
        #expect(tally.inputs == Self.iterations && tally.errors > 0)
    }

    /// Headers built from hostile parts: huge header lengths, offsets past the end, shapes
    /// whose product overflows, negative or fractional numbers, unknown dtypes.
    @Test func safetensorsHostileHeadersNeverCrash() throws {
        let path = Fuzz.temporaryPath("hostile.safetensors")
        defer { Fuzz.removeTemporary(path) }
        var rng = RandomGenerator(seed: 11)
        func pick(_ choices: [String]) -> String { choices[Int(rng.next() % UInt64(choices.count))] }
        var tally = Fuzz.Tally(target: "safetensors-headers")
        for _ in 0..<Self.iterations {
            let dtype = pick(["\"F32\"", "\"F64\"", "\"F16\"", "\"BF16\"", "\"I64\"", "\"I32\"", "\"U8\"", "\"\"", "3", "null"])
            let shape = pick([
                "[4, 6]", "[]", "[0]", "[24]", "[4294967296, 4294967296]", "[-1, -24]", "[1.5, 16]", "[\"4\", 6]",
                "[9223372036854775807, 2]", "[0, 9223372036854775807, 9223372036854775807]", "[1e300]", "{}", "[true]",
            ])
            let offsets = pick([
                "[0, 96]", "[0, 48]", "[96, 0]", "[-8, 88]", "[0, 97]", "[0, 4611686018427387904]", "[1e20, 0]",
                "[9223372036854775807, 9223372036854775807]", "[0]", "[0, 96, 2]", "\"0\"",
            ])
            let json = "{\"t\": {\"dtype\": \(dtype), \"shape\": \(shape), \"data_offsets\": \(offsets)}}"
            let declared = pick(["exact", "2^60", "+1", "-1", "2^63"])
            let headerLength: UInt64 = switch declared {
            case "2^60": 1 << 60
            case "2^63": 1 << 63
            case "+1": UInt64(json.utf8.count + 1)
            case "-1": UInt64(json.utf8.count - 1)
            default: UInt64(json.utf8.count)
            }
            var bytes = withUnsafeBytes(of: headerLength.littleEndian) { Array($0) }
            bytes += Array(json.utf8)
            bytes += [UInt8](repeating: 0x3F, count: Int(rng.next() % 128))
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            tally.record { _ = try SafetensorsFile.read(path: path) }
        }
        print(tally)
        #expect(tally.inputs == Self.iterations && tally.errors > 0)
    }

    /// A file Lethe writes: fixed-length string attributes, no global heap.
    @Test func hdf5ReaderNeverCrashes() throws {
        let path = Fuzz.temporaryPath("lethe.h5")
        defer { Fuzz.removeTemporary(path) }
        let file = try HDF5File.create(at: path)
        try file.write(try Tensor((0..<64).map(Float.init), shape: [8, 8]), to: "/model/w")
        try file.write([1, 2, 3] as [Int64], shape: [3], to: "/model/ids")
        try file.setAttribute("format", "lethe.checkpoint")
        try file.setAttribute("step", 3)
        try file.setAttribute("dropout_rng_state", [1, 2, 3, 4] as [UInt64])
        file.close()
        let valid = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let tally = try Fuzz.run("hdf5-lethe", valid: valid, seed: 2, iterations: Self.iterations, path: path) { path in
            let f = try HDF5File.open(at: path)
            defer { f.close() }
            _ = try f.readTensor("/model/w")
            _ = try f.readInt64("/model/ids")
            _ = try f.stringAttribute("format")
            _ = try f.int64Attribute("step")
            _ = try f.uint64ArrayAttribute("dropout_rng_state")
        }
        #expect(tally.inputs == Self.iterations && tally.errors > 0)
    }

    /// h5py's variable-length string attributes with a corrupted global heap or descriptor,
    /// read only after the heap object is checked (libhdf5 1.10.8 segfaults in `H5HG_read` on
    /// a corrupt one). Only the heap collection and the three descriptors are mutated, in place:
    /// corrupting the unchecksummed object headers of this 1.8-format file reaches other
    /// libhdf5 1.10.8 bugs that no caller can guard against (see HDF5VariableStrings.swift).
    @Test func hdf5VariableLengthStringsNeverCrash() throws {
        let path = Fuzz.temporaryPath("h5py.h5")
        defer { Fuzz.removeTemporary(path) }
        let valid = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.h5pyFixture)))
        // Offsets in gradients_tiny.h5: the descriptors of format, parameter_names and
        // loss_names (16 bytes each), and the heap collection "GCOL" at 2048 (4096 bytes).
        let regions = [880..<896, 1024..<1040, 1104..<1120, 2048..<6144]
        #expect(valid[2048..<2052].elementsEqual(Array("GCOL".utf8)))
        var mutator = Mutator(seed: 12)
        var pickRegion = RandomGenerator(seed: 13)
        var tally = Fuzz.Tally(target: "hdf5-h5py-vlen")
        for _ in 0..<Self.iterations {
            var input = valid
            let region = regions[Int(pickRegion.next() % UInt64(regions.count))]
            var mutated = mutator.mutate(Array(valid[region]))
            mutated = Array((mutated + valid[region]).prefix(region.count))  // same length: nothing moves
            input.replaceSubrange(region, with: mutated)
            try Data(input).write(to: URL(fileURLWithPath: path))
            tally.record {
                let f = try HDF5File.open(at: path)
                defer { f.close() }
                var failures: [Error] = []
                for name in ["format", "parameter_names", "loss_names"] {
                    do { _ = try f.stringAttribute(name) } catch { failures.append(error) }
                }
                if let first = failures.first { throw first }
            }
        }
        print(tally)
        #expect(tally.inputs == Self.iterations && tally.errors > 0 && tally.values > 0)
    }
}
