import Dispatch
import Foundation

/// A progress report for a loop of `total` steps.
///
/// Two styles:
/// - `terminal`: one line on standard error, redrawn in place with `\r` at most ten times a
///   second (and always at the last step):
///   `pretrain [#######.............] 120/300  4.1 step/s  ETA 0:44  loss 3.21`
/// - `lines`: one plain line through `write` at the first update, then each time another
///   max(1, total/10) steps are done (an update that crosses a multiple), and at `finish`,
///   with the same fields but no bar: `pretrain 120/300  4.1 step/s  ETA 0:44  loss 3.21`.
///
/// `automatic` picks `terminal` when standard error is a terminal, else `lines`. The rate
/// and the ETA come from a monotonic clock, measured from `init`. Not thread-safe: call it
/// from the loop's thread.
public final class Progress {
    public enum Style { case automatic, terminal, lines }

    public let total: Int
    public let label: String
    /// The style in use (`automatic` resolved).
    public let style: Style
    private let write: (String) -> Void
    private let draw: (String) -> Void
    private let now: () -> Double
    private let start: Double
    private var lastDraw = -Double.infinity
    private var lastLineCompleted: Int?
    private var nextLine = 0
    private var finished = false

    /// - Parameters:
    ///   - total: the number of steps (0 or less: unknown, no ETA).
    ///   - label: the first word of every line, e.g. the stage name.
    ///   - style: see the type; `automatic` asks `isatty(STDERR_FILENO)`.
    ///   - write: where `lines` style lines go (default: standard output).
    public convenience init(total: Int, label: String, style: Style = .automatic, write: @escaping (String) -> Void = { print($0) }) {
        self.init(total: total, label: label, style: style, write: write, draw: Progress.drawOnStandardError, now: Progress.monotonicSeconds)
    }

    /// The designated initialiser, with the terminal sink and the clock injectable (tests).
    init(total: Int, label: String, style: Style, write: @escaping (String) -> Void, draw: @escaping (String) -> Void, now: @escaping () -> Double) {
        self.total = total
        self.label = label
        if case .automatic = style {
            self.style = isatty(STDERR_FILENO) == 1 ? .terminal : .lines
        } else {
            self.style = style
        }
        self.write = write
        self.draw = draw
        self.now = now
        start = now()
    }

    /// Reports that `completed` steps are done; `status` is appended (e.g. `loss 3.2104`).
    public func update(_ completed: Int, status: String = "") {
        guard !finished else { return }
        let time = now()
        switch style {
        case .terminal, .automatic:
            guard time - lastDraw >= 0.1 || completed >= total else { return }
            lastDraw = time
            draw("\r" + Self.line(label: label, completed: completed, total: total, elapsed: time - start, status: status, bar: true) + "\u{1B}[K")
        case .lines:
            guard completed >= nextLine || completed == total, completed != lastLineCompleted else { return }
            let every = max(1, total / 10)
            nextLine = (completed / every + 1) * every
            emitLine(completed, time, status)
        }
    }

    /// Draws the final state (`total` steps done) and ends the line; later calls do nothing.
    public func finish(status: String = "") {
        guard !finished else { return }
        let time = now()
        let completed = max(total, 0)
        switch style {
        case .terminal, .automatic:
            draw("\r" + Self.line(label: label, completed: completed, total: total, elapsed: time - start, status: status, bar: true) + "\u{1B}[K\n")
        case .lines:
            if lastLineCompleted != completed { emitLine(completed, time, status) }
        }
        finished = true
    }

    private func emitLine(_ completed: Int, _ time: Double, _ status: String) {
        lastLineCompleted = completed
        write(Self.line(label: label, completed: completed, total: total, elapsed: time - start, status: status, bar: false))
    }

    /// One progress line: `label [bar] completed/total  rate  ETA m:ss  status`.
    ///
    /// - The bar (when `bar`) has 20 cells, `#` for done and `.` for to do.
    /// - The rate is `x.x step/s`, or `x.x s/step` below one step a second; `-- step/s`
    ///   before any step or time has passed.
    /// - The ETA is `ETA m:ss` (`h:mm:ss` from an hour on) from the mean rate so far, `ETA --`
    ///   when unknown; once `completed >= total` it becomes `done in m:ss`. A total of 0 or
    ///   less means unknown: no bar, no `/total` and no ETA.
    /// - Empty parts (status) are left out; parts are separated by two spaces.
    public static func line(label: String, completed: Int, total: Int, elapsed: Double, status: String = "", bar: Bool = true) -> String {
        let done = total > 0 ? min(max(completed, 0), total) : max(completed, 0)
        var parts: [String] = []
        var head = label
        if bar, total > 0 {
            let cells = 20
            let filled = cells * done / total
            head += " [" + String(repeating: "#", count: filled) + String(repeating: ".", count: cells - filled) + "]"
        }
        parts.append(head + (total > 0 ? " \(done)/\(total)" : " \(done)"))
        let rate = elapsed > 0 && done > 0 ? Double(done) / elapsed : nil
        parts.append(rate.map(Self.rate) ?? "-- step/s")
        if total > 0 {
            if done >= total {
                parts.append("done in " + duration(elapsed))
            } else if let rate {
                parts.append("ETA " + duration(Double(total - done) / rate))
            } else {
                parts.append("ETA --")
            }
        }
        if !status.isEmpty { parts.append(status) }
        return parts.joined(separator: "  ")
    }

    /// `x.x step/s`, or `x.x s/step` when slower than one step a second.
    static func rate(_ stepsPerSecond: Double) -> String {
        stepsPerSecond >= 1 ? String(format: "%.1f step/s", stepsPerSecond) : String(format: "%.1f s/step", 1 / stepsPerSecond)
    }

    /// Whole seconds as `m:ss`, or `h:mm:ss` from an hour on (rounded to the nearest second).
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--" }
        let s = Int(max(0, seconds).rounded())
        let (h, m, r) = (s / 3600, s / 60 % 60, s % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, r) : String(format: "%d:%02d", m, r)
    }

    private static func drawOnStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    private static func monotonicSeconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
