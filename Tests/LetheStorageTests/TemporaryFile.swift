import Foundation

/// Runs `body` with a unique `.h5` path under the temporary directory (tests run in
/// parallel), then removes the file and its atomic-write `.tmp` sibling.
func withTemporaryFile<R>(_ label: String = "test", _ body: (String) throws -> R) rethrows -> R {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("lethe-storage-\(label)-\(UUID().uuidString).h5").path
    defer {
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: path + ".tmp")
    }
    return try body(path)
}

/// Whether a file or directory exists at `path`.
func fileExists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

/// The bit patterns of `values`, to compare floats exactly (signed zeros, infinities).
func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }
func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }
