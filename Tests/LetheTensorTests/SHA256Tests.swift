import Foundation
import LetheTensor
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    @Test func matchesTheStandardTestVectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // One million 'a' (FIPS 180-2, appendix B.3).
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Streaming in pieces of any size gives the digest of the whole; a file's digest too.
    @Test func streamingAndFilesAgreeWithOneShot() throws {
        var rng = RandomGenerator(seed: 5)
        let bytes = (0..<1000).map { _ in UInt8(truncatingIfNeeded: Int(rng.nextUniform() * 256)) }
        let whole = SHA256.hex(bytes)
        for piece in [1, 7, 63, 64, 65, 300] {
            var hash = SHA256()
            for start in stride(from: 0, to: bytes.count, by: piece) { hash.update(Array(bytes[start..<min(bytes.count, start + piece)])) }
            #expect(hash.finish() == whole, "pieces of \(piece)")
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(SHA256.hex(file: path) == whole)
        #expect(SHA256.hex(file: path + ".missing") == nil)
    }
}

@Suite("Atomic file writes")
struct AtomicFileTests {
    /// The file is replaced whole, nothing is left beside it, and a write into a missing
    /// folder is an error naming the path.
    @Test func replacesTheFileAndLeavesNothingBehind() throws {
        let manager = FileManager.default
        let folder = manager.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)").path
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? manager.removeItem(atPath: folder) }
        let path = folder + "/state.json"
        try AtomicFile.write("first", to: path)
        try AtomicFile.write("second", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
        #expect(try manager.contentsOfDirectory(atPath: folder) == ["state.json"])
        #expect { try AtomicFile.write("x", to: folder + "/missing/state.json") } throws: { "\($0)".contains("missing/state.json") }
    }
}
