import Foundation
import LetheStorage
import LetheTensor
import Testing

/// The `HDF5Error` a call threw, or `nil` (recording an issue) when it threw nothing else.
private func hdf5Error(_ body: () throws -> Void) -> HDF5Error? {
    do {
        try body()
        Issue.record("expected an HDF5Error")
    } catch let error as HDF5Error {
        return error
    } catch {
        Issue.record("expected an HDF5Error, got \(error)")
    }
    return nil
}

@Test func missingFileErrorNamesThePath() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lethe-no-such-\(UUID()).h5").path
    let error = try #require(hdf5Error { _ = try HDF5File.open(at: path) })
    #expect(error == .cannotOpen(path: path, reason: "no such file"))
    #expect(error.description.contains(path))
}

@Test func directoryIsNotAnHDF5File() throws {
    let directory = FileManager.default.temporaryDirectory.path
    let error = try #require(hdf5Error { _ = try HDF5File.open(at: directory) })
    #expect(error == .cannotOpen(path: directory, reason: "is a directory"))
    #expect(throws: HDF5Error.cannotCreate(path: directory, reason: "is a directory")) {
        try HDF5File.create(at: directory)
    }
    let inMissingDirectory = directory + "/lethe-no-such-dir-\(UUID())/x.h5"
    let createError = try #require(hdf5Error { _ = try HDF5File.create(at: inMissingDirectory) })
    #expect(createError.description.contains(inMissingDirectory))
}

@Test func corruptAndTruncatedFilesThrowInsteadOfCrashing() throws {
    try withTemporaryFile("corrupt") { path in
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try Data(noise).write(to: URL(fileURLWithPath: path))
        let error = try #require(hdf5Error { _ = try HDF5File.open(at: path) })
        guard case .cannotOpen(let errorPath, _) = error else { Issue.record("got \(error)"); return }
        #expect(errorPath == path)
        #expect(error.description.contains(path))
    }
    try withTemporaryFile("truncated") { path in
        let file = try HDF5File.create(at: path)
        try file.write(try Tensor((0..<10_000).map(Float.init), shape: [100, 100]), to: "/w")
        file.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        #expect(throws: HDF5Error.self) {
            let reopened = try HDF5File.open(at: path)
            _ = try reopened.readTensor("/w")
        }
    }
}

@Test func corruptCompressedDataThrowsWhenRead() throws {
    try withTemporaryFile("corrupt-chunk") { path in
        let file = try HDF5File.create(at: path)
        try file.write(try Tensor((0..<10_000).map(Float.init), shape: [100, 100]), to: "/c", compressed: true)
        file.close()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for index in (bytes.count - 3000)..<(bytes.count - 100) { bytes[index] = UInt8(index % 256) }
        try bytes.write(to: URL(fileURLWithPath: path))
        let error = try #require(hdf5Error {
            let reopened = try HDF5File.open(at: path)
            _ = try reopened.readTensor("/c")
        })
        #expect(error.path == path)
    }
}

@Test func missingDatasetErrorNamesFileAndObject() throws {
    try withTemporaryFile("missing") { path in
        let file = try HDF5File.create(at: path)
        try file.write(Tensor(zeros: [1]), to: "/model/other")
        let error = try #require(hdf5Error { _ = try file.readTensor("model/h.0.attn.c_attn.weight") })
        #expect(error == .notFound(path: path, object: "/model/h.0.attn.c_attn.weight"))
        #expect(error.description == "\(path): /model/h.0.attn.c_attn.weight not found")
        #expect(throws: HDF5Error.notFound(path: path, object: "/nope")) { try file.shape(of: "/nope") }
        #expect(throws: HDF5Error.notFound(path: path, object: "/nope")) { try file.readInt64("/nope") }
        file.close()
    }
}

@Test func wrongKindsOfObjectsAreRejected() throws {
    try withTemporaryFile("kinds") { path in
        let file = try HDF5File.create(at: path)
        try file.write([Int64(1)], shape: [1], to: "/ints")
        try file.write(Tensor(zeros: [1]), to: "/floats")
        try file.createGroup("/group")
        let groupError = try #require(hdf5Error { _ = try file.readTensor("/group") })
        #expect(groupError == .wrongType(path: path, object: "/group", expected: "a dataset", found: "group"))
        #expect(throws: HDF5Error.wrongType(path: path, object: "/ints", expected: "float32 or float64",
                                            found: "int64")) { try file.readTensor("/ints") }
        #expect(throws: HDF5Error.self) { try file.readInt64("/floats") }
        #expect(throws: HDF5Error.self) { try file.write(Tensor(zeros: [1]), to: "/group") }
        #expect(throws: HDF5Error.self) { try file.write(Tensor(zeros: [1]), to: "/floats/child") }
        file.close()
    }
}

@Test func closedAndReadOnlyFilesRefuseWrites() throws {
    try withTemporaryFile("closed") { path in
        let file = try HDF5File.create(at: path)
        try file.write(Tensor(zeros: [1]), to: "/x")
        file.close()
        file.close()  // idempotent
        #expect(!file.isOpen)
        #expect(throws: HDF5Error.closed(path: path)) { try file.readTensor("/x") }
        #expect(!file.exists("/x"))

        let readOnly = try HDF5File.open(at: path)
        #expect(throws: HDF5Error.self) { try readOnly.write(Tensor(zeros: [1]), to: "/y") }
        #expect(throws: HDF5Error.self) { try readOnly.setAttribute("a", "b") }
        #expect(try readOnly.readTensor("/x").floats == [0])
        readOnly.close()
    }
}

private struct Interrupted: Error {}

@Test func atomicWriteReplacesOnlyOnSuccess() throws {
    try withTemporaryFile("atomic") { path in
        let temporary = HDF5File.temporaryPath(for: path)
        try HDF5File.writeAtomically(to: path) { file in
            try file.setAttribute("version", 1)
            try file.write(Tensor(filled: 1, shape: [4]), to: "/model/w")
        }
        #expect(fileExists(path) && !fileExists(temporary))

        #expect(throws: Interrupted.self) {
            try HDF5File.writeAtomically(to: path) { file in
                try file.setAttribute("version", 2)
                try file.write(Tensor(filled: 2, shape: [4]), to: "/model/w")
                #expect(fileExists(temporary))
                throw Interrupted()
            }
        }
        #expect(!fileExists(temporary))
        let old = try HDF5File.open(at: path)
        #expect(try old.int64Attribute("version") == 1)
        #expect(try old.readTensor("/model/w").floats == [1, 1, 1, 1])
        old.close()

        try HDF5File.writeAtomically(to: path) { file in
            try file.setAttribute("version", 3)
            file.close()  // closing early is allowed
        }
        #expect(!fileExists(temporary))
        let new = try HDF5File.open(at: path)
        #expect(try new.int64Attribute("version") == 3)
        #expect(!new.exists("/model"))
        new.close()
    }
}
