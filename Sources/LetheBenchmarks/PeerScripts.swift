import Foundation

/// Runs the reference peers (Python scripts) on this machine and reads their JSON output.
/// A peer that cannot run (no python3, no numpy, no script) is reported as missing, and the
/// benchmark still prints Lethe's own figures.
public struct PeerScripts {
    /// Folder holding `gemm_numpy.py` (the project's `../shared/reference`).
    public var referenceDirectory: String
    /// Folder holding Lethe's own reference scripts (`scripts/reference`).
    public var scriptsDirectory: String
    public var python: String

    public init(referenceDirectory: String, scriptsDirectory: String, python: String = "python3") {
        self.referenceDirectory = referenceDirectory
        self.scriptsDirectory = scriptsDirectory
        self.python = python
    }

    /// numpy sgemm GFLOP/s per shape (M, K, N, transA, transB), measured by the reference
    /// script's own `bench` function with numpy's own OpenBLAS on `threads` threads. For this
    /// command alone `OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE` are unset (when this
    /// environment sets them), so numpy's current OpenBLAS picks its kernels for the CPU
    /// itself: the peer at its real speed (`../shared/reference/README.md`).
    public func numpyGemm(_ shapes: [(Int, Int, Int, Bool, Bool)], threads: Int) -> [Double?]? {
        let list = shapes.map { "(\($0.0),\($0.1),\($0.2),\($0.3 ? "True" : "False"),\($0.4 ? "True" : "False"))" }
        let code = """
            import json, sys
            sys.path.insert(0, \(pythonString(referenceDirectory)))
            import gemm_numpy
            rates = [gemm_numpy.bench(m, k, n, min_time=0.6, ta=ta, tb=tb)[0] for (m, k, n, ta, tb) in [\(list.joined(separator: ","))]]
            print(json.dumps(rates))
            """
        guard let output = run(
            ["-c", code], environment: ["OPENBLAS_NUM_THREADS": "\(threads)"],
            removing: ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]),
            let rates = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [Double]
        else { return nil }
        return rates
    }

    /// numpy seconds per call of layer norm, GELU and softmax at [rows, cols].
    public func numpyElementwise(rows: Int, cols: Int) -> [String: Double]? {
        let script = scriptsDirectory + "/elementwise_numpy.py"
        guard let output = run([script, "--rows", "\(rows)", "--cols", "\(cols)"], threads: 1),
            let object = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        else { return nil }
        return object.compactMapValues { $0 as? Double }
    }

    private func run(_ arguments: [String], threads: Int) -> String? {
        run(arguments, environment: ["OPENBLAS_NUM_THREADS": "\(threads)"])
    }

    /// Runs `python arguments...` with extra environment variables, and without those named
    /// in `removing`; the last line of its standard output, or nil when it cannot run or fails.
    func run(_ arguments: [String], environment extra: [String: String], removing: [String] = []) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
            .filter { !removing.contains($0.key) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
            .split(separator: "\n").last.map(String.init)
    }

    private func pythonString(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
