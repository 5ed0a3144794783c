import Foundation
import LetheEngine
import Testing

/// Issue 15, recoverable failures: Ctrl-C (SIGINT) during `lethe run` prints where the run is
/// and the command that continues it, and exits 130; the run then resumes.
@Suite("Ctrl-C during lethe run", .serialized)
struct InterruptTests {
    @Test func sigintNamesTheFolderAndTheResumeCommand() throws {
        let folder = TinyRecipe.temporaryFolder("interrupted")
        let recipeFile = folder + ".yaml"
        defer { for f in [folder, recipeFile] { try? FileManager.default.removeItem(atPath: f) } }
        try TinyRecipe.yaml(output: folder).write(toFile: recipeFile, atomically: true, encoding: .utf8)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CrashTests.lethe)
        child.arguments = ["run", recipeFile]
        let errors = Pipe()
        child.standardOutput = FileHandle.nullDevice
        child.standardError = errors
        try child.run()
        // Interrupt once the run has written its state (inside the first stages).
        let deadline = Date().addingTimeInterval(120)
        while child.isRunning, Date() < deadline, !FileManager.default.fileExists(atPath: folder + "/state.json") { usleep(10_000) }
        kill(child.processIdentifier, SIGINT)
        child.waitUntilExit()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(child.terminationStatus == 130, "exit \(child.terminationStatus)")
        #expect(text.contains("interrupted") && text.contains("lethe resume \(folder)"), "\(text)")
        // The command it names works: the lock died with the process, the state is whole.
        let table = try RecipeRunner.resume(folder: folder) { _ in }
        #expect(table.rows.count >= 2)
    }
}
