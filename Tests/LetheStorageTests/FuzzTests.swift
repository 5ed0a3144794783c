import Foundation
import LetheStorage
import LetheTestSupport
import LetheTensor
import Testing

/// Seeded mutation fuzzing of the binary readers (issue 8's short version for CI): each
/// mutated file must give a value or an error; `LETHE_FUZZ_ITERATIONS` raises the count.
@Suite("Fuzz: safetensors and HDF5 readers")
struct StorageFuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["LETHE_FUZZ_ITERATIONS"] ?? "") ?? 300

    private func temporary(_ ext: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString).\(ext)").path
    }

    @Test func safetensorsReaderNeverCrashes() throws {
        let path = temporary("safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafetensorsFile.write(
            [("a.weight", try Tensor((0..<24).map(Float.init), shape: [4, 6])), ("b", try Tensor([1, 2] as [Double], shape: [2]))],
            metadata: ["format": "pt"], to: path)
        let valid = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var mutator = Mutator(seed: 1)
        var (values, errors) = (0, 0)
        for _ in 0..<Self.iterations {
            let input = Data(mutator.mutate(valid))
            try input.write(to: URL(fileURLWithPath: path))
            do {
                _ = try SafetensorsFile.read(path: path)
                values += 1
            } catch {
                errors += 1
            }
        }
        #expect(values + errors == Self.iterations && errors > 0)
    }

    /// Finding (left for the reliability issue): with LETHE_FUZZ_ITERATIONS=3000 one mutated
    /// file segfaults inside libhdf5 1.10.8 itself (H5HG_read via H5Aread of a variable-length
    /// string attribute whose global heap is corrupt). The seeded 300 inputs here pass.
    @Test func hdf5ReaderNeverCrashes() throws {
        let path = temporary("h5")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try HDF5File.create(at: path)
        try file.write(try Tensor((0..<64).map(Float.init), shape: [8, 8]), to: "/model/w")
        try file.setAttribute("format", "lethe.checkpoint")
        try file.setAttribute("step", 3)
        file.close()
        let valid = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var mutator = Mutator(seed: 2)
        var (values, errors) = (0, 0)
        for _ in 0..<Self.iterations {
            try Data(mutator.mutate(valid)).write(to: URL(fileURLWithPath: path))
            do {
                let f = try HDF5File.open(at: path)
                defer { f.close() }
                _ = try f.readTensor("/model/w")
                _ = try f.stringAttribute("format")
                _ = try f.int64Attribute("step")
                values += 1
            } catch {
                errors += 1
            }
        }
        #expect(values + errors == Self.iterations)
    }
}
