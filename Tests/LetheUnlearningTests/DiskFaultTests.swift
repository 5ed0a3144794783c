import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import LetheText
import LetheUnlearning
import Testing

// Tests run as root in CI containers, so a read-only folder (chmod) would not fail. These
// faults fail for root too: a symbolic link to /dev/full (every write: "No space left on
// device"), a directory where a file should be, and a regular file used as a folder.

private func data() throws -> UnlearningData { try toyUnlearningData(forget: 3, retain: 2, seed: 4) }

private func trainer(seed: UInt64 = 31) throws -> Trainer {
    var rng = RandomGenerator(seed: seed)
    let c = GPT2Configuration(
        vocabularySize: 20, contextLength: 32, embeddingSize: 8, layerCount: 1, headCount: 2,
        residualDropout: 0, embeddingDropout: 0, attentionDropout: 0)
    return try Trainer(
        model: try GPT2Model(configuration: c, rng: &rng), objective: ObjectiveRegistry.builtIn.make("grad_diff"),
        combiner: CombinerRegistry.builtIn.make("sum"), configuration: TrainerConfiguration(steps: 4, learningRate: 1e-2))
}

/// Parameters and both AdamW moments, compared as a Bool so a failure does not print them.
private func sameState(_ a: Trainer, _ b: Trainer) -> Bool {
    a.model.parameters.flat.floats == b.model.parameters.flat.floats
        && a.optimizer.firstMoment.flat.floats == b.optimizer.firstMoment.flat.floats
        && a.optimizer.secondMoment.flat.floats == b.optimizer.secondMoment.flat.floats && a.step == b.step
}

/// A fresh folder, removed after `body`.
private func withFolder(_ body: (String) throws -> Void) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lethe-disk-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try body(folder)
}

/// The error `body` throws, as text; records an issue when it throws none.
private func errorText(_ body: () throws -> Void) -> String {
    do {
        try body()
        Issue.record("should fail")
        return ""
    } catch {
        return "\(error)"
    }
}

private let hasDevFull = FileManager.default.fileExists(atPath: "/dev/full")

@Suite("Failed checkpoint and gradient-log writes")
struct DiskFaultTests {
    @Test(.enabled(if: hasDevFull)) func aFailedCheckpointSaveNamesThePathAndKeepsThePreviousCheckpoint() throws {
        try withFolder { folder in
            let path = folder + "/model.h5"
            let temporary = HDF5File.temporaryPath(for: path)
            let d = try data()
            let t = try trainer()
            try t.train(data: d) { $0.step < 2 }
            try Checkpoint.save(t, to: path)
            let saved = try trainer(seed: 99)
            try Checkpoint.restore(saved, from: path)  // the state checkpoint A holds
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            try t.train(data: d) { $0.step < 3 }  // the next save would differ

            // A full disk.
            try FileManager.default.createSymbolicLink(atPath: temporary, withDestinationPath: "/dev/full")
            let full = errorText { try Checkpoint.save(t, to: path) }
            #expect(full.hasPrefix(path + ": ") && full.contains("No space left on device") && !full.contains("\n"), "\(full)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["model.h5"])  // the link is gone too

            // A directory where the temporary file goes.
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: false)
            let taken = errorText { try Checkpoint.save(t, to: path) }
            #expect(taken.hasPrefix(path + ": ") && taken.contains(temporary) && taken.contains("is a directory"), "\(taken)")
            try FileManager.default.removeItem(atPath: temporary)

            // Checkpoint A is still there, byte for byte, and restores to the same state.
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
            let restored = try trainer(seed: 7)
            try Checkpoint.restore(restored, from: path)
            #expect(restored.step == 2 && sameState(restored, saved))
            #expect(!sameState(restored, t))
        }
    }

    @Test func checkpointsIntoAFileOrOntoAFolderFailNamingThePath() throws {
        try withFolder { folder in
            let t = try trainer()
            let notAFolder = folder + "/run"
            #expect(FileManager.default.createFile(atPath: notAFolder, contents: Data("x".utf8)))
            let inFile = errorText { try Checkpoint.save(t, to: notAFolder + "/model.h5") }
            #expect(inFile.hasPrefix(notAFolder + "/model.h5: ") && inFile.contains("Not a directory"), "\(inFile)")

            let folderInTheWay = folder + "/model.h5"
            try FileManager.default.createDirectory(atPath: folderInTheWay, withIntermediateDirectories: false)
            let onFolder = errorText { try Checkpoint.save(t, to: folderInTheWay) }
            #expect(onFolder.hasPrefix(folderInTheWay + ": ") && onFolder.contains("Is a directory"), "\(onFolder)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["model.h5", "run"])  // no .tmp left
        }
    }

    @Test(.enabled(if: hasDevFull)) func gradientLogsThatCannotBeCreatedAreNamed() throws {
        try withFolder { folder in
            let names = try trainer().trainable.names
            let full = folder + "/gradients.h5"
            try FileManager.default.createSymbolicLink(atPath: full, withDestinationPath: "/dev/full")
            let noSpace = errorText { _ = try GradientLog(path: full, parameterNames: names, lossNames: ["forget", "retain"]) }
            #expect(noSpace.hasPrefix(full + ": ") && noSpace.contains("No space left on device"), "\(noSpace)")

            let notAFolder = folder + "/run"
            #expect(FileManager.default.createFile(atPath: notAFolder, contents: Data()))
            let inFile = errorText { _ = try GradientLog(path: notAFolder + "/gradients.h5", parameterNames: names, lossNames: ["forget"]) }
            #expect(inFile.hasPrefix(notAFolder + "/gradients.h5: "), "\(inFile)")
        }
    }

    @Test func aFailingGradientLogAppendStopsTheRunNamingTheLog() throws {
        try withFolder { folder in
            let d = try data()
            let path = folder + "/gradients.h5"
            // A log whose file went away under the run (deleted): the next append fails, naming it.
            let gone = try trainer()
            gone.gradientLog = try GradientLog(path: path, parameterNames: gone.trainable.names, lossNames: ["forget", "retain"])
            try gone.runStep(data: d)
            try FileManager.default.removeItem(atPath: path)
            let text = errorText { try gone.runStep(data: d) }
            #expect(text.hasPrefix(path + ": "), "\(text)")

            // A log made for other parameters.
            let other = try trainer()
            other.gradientLog = try GradientLog(path: path, parameterNames: ["wte.weight"], lossNames: ["forget", "retain"])
            defer { other.gradientLog?.close() }
            let mismatch = errorText { try other.runStep(data: d) }
            #expect(mismatch.hasPrefix(path + ": ") && mismatch.contains("1 in the log"), "\(mismatch)")
        }
    }
}
