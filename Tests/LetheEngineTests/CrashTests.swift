import Foundation
import LetheEngine
import LetheRecipes
import LetheTensor
import LetheUnlearning
import Testing

/// Issue 8's crash test: a real `lethe run` in a child process, killed with SIGKILL at
/// seeded random moments (inside steps, inside checkpoint writes), resumed each time.
@Suite("Crash safety: SIGKILL at random points, then lethe resume", .serialized)
struct CrashTests {
    /// The `lethe` executable built beside the test bundle.
    static var lethe: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lethe").path
    }

    @Test func killedRunsResumeToTheUninterruptedWeights() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.lethe), "build the lethe executable first (\(Self.lethe))")
        let (whole, killed) = (TinyRecipe.temporaryFolder("whole"), TinyRecipe.temporaryFolder("killed"))
        defer { for f in [whole, killed] { try? FileManager.default.removeItem(atPath: f) } }
        // Checkpoints every step, so kills land in checkpoint writes as often as in steps.
        let extra = ", checkpoint_every: 1"
        _ = try RecipeRunner(recipe: RecipeLoader.parse(TinyRecipe.yaml(output: whole, extra: extra))) { _ in }.run()

        let recipeFile = killed + ".yaml"
        try TinyRecipe.yaml(output: killed, extra: extra).write(toFile: recipeFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: recipeFile) }
        var rng = RandomGenerator(seed: UInt64(ProcessInfo.processInfo.environment["LETHE_CRASH_SEED"] ?? "") ?? 8)
        let kills = Int(ProcessInfo.processInfo.environment["LETHE_CRASH_KILLS"] ?? "") ?? 6
        var killedCount = 0
        var finished = false
        for attempt in 0...kills {
            // Killed before its first state.json, a run simply starts again.
            let started = FileManager.default.fileExists(atPath: killed + "/state.json")
            let arguments = started ? ["resume", killed] : ["run", recipeFile]
            let child = try Self.start(arguments)
            if attempt < kills {
                // 0.3–4 s: the tiny run takes ~15–30 s in a debug build.
                let delay = 0.3 + Double(rng.next() % 3700) / 1000
                let deadline = Date().addingTimeInterval(delay)
                while child.isRunning && Date() < deadline { usleep(10_000) }
                if child.isRunning {
                    kill(child.processIdentifier, SIGKILL)
                    child.waitUntilExit()
                    killedCount += 1
                    try Self.checkLatestState(killed)
                    continue
                }
            }
            child.waitUntilExit()
            #expect(child.terminationStatus == 0, "attempt \(attempt): lethe exited with \(child.terminationStatus)")
            finished = child.terminationStatus == 0
            break
        }
        #expect(finished && killedCount >= 3, "killed \(killedCount) times")
        #expect(try TinyRecipe.weights(killed + "/model.h5") == TinyRecipe.weights(whole + "/model.h5"))
        #expect(try String(contentsOfFile: killed + "/table.md", encoding: .utf8) == String(contentsOfFile: whole + "/table.md", encoding: .utf8))
    }

    static func start(_ arguments: [String]) throws -> Process {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: lethe)
        child.arguments = arguments
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        return child
    }

    /// After a kill, whatever `state.json` points at must load: the latest checkpoint is never
    /// unreadable.
    static func checkLatestState(_ folder: String) throws {
        let path = folder + "/state.json"
        guard let data = FileManager.default.contents(atPath: path) else { return }  // killed before the first state
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "state.json is not an object")
        var files = ["model", "pretrained", "oracle"].compactMap { object[$0] as? String }
        if let progress = object["unlearning"] as? [String: Any], let checkpoint = progress["checkpoint"] as? String { files.append(checkpoint) }
        for file in files {
            #expect(throws: Never.self, "\(file) named by state.json does not load") { _ = try Checkpoint.loadModel(from: folder + "/" + file) }
        }
    }
}
