import Foundation
import LetheStorage
import LetheRecipes
import LetheTensor
import LetheUnlearning
import Testing

@testable import LetheEngine

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
        var (checkedStates, unlearningCheckpoints) = (0, 0)
        var finished = false
        for attempt in 0...kills {
            // Killed before its first state.json, a run simply starts again.
            let started = FileManager.default.fileExists(atPath: killed + "/state.json")
            let arguments = started ? ["resume", killed] : ["run", recipeFile]
            let child = try Self.start(arguments)
            if attempt < kills {
                // The first two kills: after 0.3–3 s (pretraining, fine-tuning, evaluation; the
                // tiny run's first stages take ~15 s in a debug build). The others: 0–40 ms
                // after the next unlearning step or the one after is logged, so kills land
                // inside steps and inside their checkpoint writes.
                let reached = Self.lastUnlearningStep(killed)
                let target = attempt >= 2 ? reached + 1 + Int(rng.next() % 2) : nil
                let delay = 0.3 + Double(rng.next() % 2700) / 1000
                let deadline = Date().addingTimeInterval(target == nil ? delay : 120)
                while child.isRunning && Date() < deadline {
                    if let target, Self.lastUnlearningStep(killed) >= target {
                        usleep(UInt32(rng.next() % 40_000))
                        break
                    }
                    usleep(5_000)
                }
                if child.isRunning {
                    kill(child.processIdentifier, SIGKILL)
                    child.waitUntilExit()
                    killedCount += 1
                    print("crash test: attempt \(attempt) (\(arguments[0])) killed \(target.map { "after unlearning step \($0)" } ?? "after \(delay) s"), last step \(Self.lastUnlearningStep(killed))")
                    if let inside = try Self.checkLatestState(killed) {
                        checkedStates += 1
                        if inside { unlearningCheckpoints += 1 }
                    }
                    continue
                }
            }
            child.waitUntilExit()
            #expect(child.terminationStatus == 0, "attempt \(attempt): lethe exited with \(child.terminationStatus)")
            finished = child.terminationStatus == 0
            break
        }
        print("crash test: \(killedCount) SIGKILLs, \(checkedStates) states checked after kills (\(unlearningCheckpoints) inside unlearning)")
        #expect(finished && killedCount >= 3 && unlearningCheckpoints >= 1, "killed \(killedCount) times, \(unlearningCheckpoints) inside unlearning")
        #expect(try TinyRecipe.weights(killed + "/model.h5") == TinyRecipe.weights(whole + "/model.h5"))
        #expect(try String(contentsOfFile: killed + "/table.md", encoding: .utf8) == String(contentsOfFile: whole + "/table.md", encoding: .utf8))
    }

    /// The last unlearning step `events.jsonl` records (0: none yet).
    static func lastUnlearningStep(_ folder: String) -> Int {
        guard let text = try? String(contentsOfFile: folder + "/events.jsonl", encoding: .utf8) else { return 0 }
        return text.split(separator: "\n").reversed().lazy.compactMap { line -> Int? in
            guard line.contains("\"stage\":\"unlearn\""), line.contains("\"event\":\"step\"") else { return nil }
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["step"] as? Int
        }.first ?? 0
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
    /// - Returns: nil when there is no state yet, else whether it points inside an unlearn stage.
    @discardableResult
    static func checkLatestState(_ folder: String) throws -> Bool? {
        guard let state = try RunState.load(folder: folder) else { return nil }  // killed before the first state
        for file in state.referencedFiles {
            #expect(throws: Never.self, "\(file) named by state.json does not load") { _ = try ModelFile.load(folder + "/" + file) }
        }
        // The gradient log is open only while a step is appended, so a kill between steps
        // leaves it readable (HDF5 refuses a file killed while open for write).
        let log = folder + "/gradients.h5"
        if FileManager.default.fileExists(atPath: log) {
            #expect(throws: Never.self, "gradients.h5 does not open after the kill") { try HDF5File.open(at: log).close() }
        }
        return state.progress != nil
    }
}
