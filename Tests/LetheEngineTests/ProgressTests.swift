@testable import LetheEngine
import Testing

@Suite("Progress: the line format and when lines are written")
struct ProgressTests {
    @Test func lineHasBarCountRateEtaAndStatus() {
        let line = Progress.line(label: "pretrain", completed: 120, total: 300, elapsed: 30, status: "loss 3.21")
        #expect(line == "pretrain [########............] 120/300  4.0 step/s  ETA 0:45  loss 3.21")
    }

    @Test func linesStyleHasNoBar() {
        #expect(Progress.line(label: "unlearn", completed: 5, total: 10, elapsed: 5, bar: false) == "unlearn 5/10  1.0 step/s  ETA 0:05")
    }

    @Test func zeroElapsedOrZeroCompletedHasNoRateNorEta() {
        #expect(Progress.line(label: "x", completed: 3, total: 10, elapsed: 0, bar: false) == "x 3/10  -- step/s  ETA --")
        #expect(Progress.line(label: "x", completed: 0, total: 10, elapsed: 2, bar: false) == "x 0/10  -- step/s  ETA --")
    }

    @Test func completedEqualsTotalShowsTheTimeTaken() {
        let line = Progress.line(label: "x", completed: 300, total: 300, elapsed: 73.4)
        #expect(line == "x [####################] 300/300  4.1 step/s  done in 1:13")
    }

    @Test func totalZeroHasNoEtaAndNoNaN() {
        let line = Progress.line(label: "x", completed: 0, total: 0, elapsed: 1)
        #expect(line == "x 0  -- step/s")
        #expect(Progress.line(label: "x", completed: 4, total: 0, elapsed: 2) == "x 4  2.0 step/s")
    }

    @Test func slowStepsShowSecondsPerStep() {
        #expect(Progress.line(label: "x", completed: 2, total: 10, elapsed: 50, bar: false) == "x 2/10  25.0 s/step  ETA 3:20")
    }

    @Test func durationsUseHoursFromAnHourOn() {
        #expect(Progress.duration(0) == "0:00")
        #expect(Progress.duration(44.4) == "0:44")
        #expect(Progress.duration(599.6) == "10:00")
        #expect(Progress.duration(3600 + 62) == "1:01:02")
        #expect(Progress.duration(.infinity) == "--")
    }

    @Test func linesStyleWritesAboutTenLinesAndOneAtFinish() {
        var written: [String] = []
        var clock = 0.0
        let progress = Progress(total: 100, label: "s", style: .lines, write: { written.append($0) }, draw: { _ in }, now: { clock })
        for step in 1...100 {
            clock += 0.5
            progress.update(step, status: "loss 1.0")
        }
        progress.finish(status: "loss 1.0")
        #expect(written.count == 11)  // step 1, then 10, 20, ..., 100; finish adds nothing new
        #expect(written.last == "s 100/100  2.0 step/s  done in 0:50  loss 1.0")
    }

    @Test func linesStyleCatchesUpWhenUpdatesSkipSteps() {
        var written: [String] = []
        let progress = Progress(total: 300, label: "s", style: .lines, write: { written.append($0) }, draw: { _ in }, now: { 1 })
        for step in stride(from: 25, through: 300, by: 25) { progress.update(step) }
        // Every update that reaches the next multiple of 30: 25, 50, 75, 100, 125, 150, 200, 225, 250, 275, 300.
        #expect(written.map { $0.split(separator: " ")[1] } == ["25/300", "50/300", "75/300", "100/300", "125/300", "150/300", "200/300", "225/300", "250/300", "275/300", "300/300"])
        progress.finish()
        #expect(written.count == 11)
    }

    @Test func terminalStyleRedrawsAtMostTenTimesASecondAndEndsTheLine() {
        var drawn: [String] = []
        var clock = 0.0
        let progress = Progress(total: 1000, label: "s", style: .terminal, write: { _ in }, draw: { drawn.append($0) }, now: { clock })
        for step in 1...1000 {
            clock += 0.001  // one second in all
            progress.update(step)
        }
        #expect(drawn.count <= 11)
        #expect(drawn.allSatisfy { $0.hasPrefix("\r") })
        progress.finish()
        #expect(drawn.last?.hasSuffix("\n") == true)
        let count = drawn.count
        progress.update(5)
        progress.finish()
        #expect(drawn.count == count)
    }
}
