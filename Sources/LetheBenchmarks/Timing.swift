import Dispatch

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
