import Foundation

/// The loop every fuzz test runs: write a mutated input to a file, read it, count how the read
/// ended. A crash fails the whole test run and a hang its time limit, so only values and
/// thrown errors are ever counted.
public enum Fuzz {
    /// `LETHE_FUZZ_ITERATIONS` from the environment, else `fallback` (small, for CI).
    public static func iterations(default fallback: Int) -> Int {
        Int(ProcessInfo.processInfo.environment["LETHE_FUZZ_ITERATIONS"] ?? "") ?? fallback
    }

    /// How the inputs of one target ended.
    public struct Tally: CustomStringConvertible {
        public let target: String
        public var values = 0
        public var errors = 0
        public var inputs: Int { values + errors }

        public init(target: String) { self.target = target }

        /// The line `scripts/fuzz.sh` collects.
        public var description: String {
            "fuzz-summary target=\(target) inputs=\(inputs) values=\(values) errors=\(errors)"
        }

        /// Runs `read` on one input, counting a return as a value and a throw as an error.
        public mutating func record(_ read: () throws -> Void) {
            do {
                try read()
                values += 1
            } catch {
                errors += 1
            }
        }
    }

    /// Writes `iterations` seeded mutations of `valid` to `path` in turn and reads each with
    /// `read`; prints and returns the tally.
    public static func run(
        _ target: String, valid: [UInt8], seed: UInt64, iterations: Int, path: String,
        _ read: (String) throws -> Void
    ) throws -> Tally {
        var mutator = Mutator(seed: seed)
        var tally = Tally(target: target)
        let keep = ProcessInfo.processInfo.environment["LETHE_FUZZ_KEEP"]
        for _ in 0..<iterations {
            let input = Data(mutator.mutate(valid))
            try input.write(to: URL(fileURLWithPath: path))
            // LETHE_FUZZ_KEEP=FILE leaves each input there before it is read: after a crash,
            // the input that caused it.
            if let keep { try input.write(to: URL(fileURLWithPath: keep)) }
            tally.record { try read(path) }
        }
        print(tally)
        return tally
    }

    /// A fresh temporary folder's path for a file called `name`.
    public static func temporaryPath(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder + "/" + name
    }

    /// Removes the folder `temporaryPath` made for `path`.
    public static func removeTemporary(_ path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }
}
