import Dispatch
import Foundation

/// Median seconds per call of `body`, over `repeats` timed runs of a calibrated number of
/// calls each (about `budget` seconds in all), after one warm-up call.
func medianSeconds(budget: Double = 0.6, repeats: Int = 7, _ body: () throws -> Void) rethrows -> Double {
    try body()
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    let once = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let inner = max(1, Int(budget / Double(repeats) / max(once, 1e-7)))
    var times: [Double] = []
    for _ in 0..<repeats {
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<inner { try body() }
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 / Double(inner))
    }
    times.sort()
    return times[times.count / 2]
}

/// Seconds of each of `warmup + steps` calls of `body`, the warm-up calls left out.
func stepSeconds(warmup: Int, steps: Int, _ body: () throws -> Void) rethrows -> [Double] {
    var times: [Double] = []
    for step in 0..<(warmup + steps) {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        if step >= warmup { times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
    }
    return times
}

/// The median of `values` (the upper one of an even count); `values` must not be empty.
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// Peak resident set size (VmHWM) of this process, in MB; 0 where /proc does not tell.
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kilobytes / 1024
}
