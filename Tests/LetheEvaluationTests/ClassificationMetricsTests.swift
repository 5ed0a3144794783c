import LetheEvaluation
import Testing

@Suite("Classification metrics")
struct ClassificationMetricsTests {
    // Scores and labels: at 0.5, TP = 3 (0.9, 0.8, 0.6), FP = 1 (0.7), TN = 3, FN = 1 (0.4).
    let scores = [0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1]
    let labels = [1, 1, 0, 1, 1, 0, 0, 0]

    @Test("Hand-computed confusion counts, accuracy, precision, recall and F1 at 0.5")
    func handComputed() throws {
        let m = try ClassificationMetrics(scores: scores, labels: labels)
        #expect((m.truePositives, m.falsePositives, m.trueNegatives, m.falseNegatives) == (3, 1, 3, 1))
        #expect(m.accuracy == 0.75 && m.precision == 0.75 && m.recall == 0.75 && m.f1 == 0.75)
        let strict = try ClassificationMetrics(scores: scores, labels: labels, threshold: 0.85)
        // TP 1, FP 0, FN 3: precision 1, recall 1/4, F1 = 2·1·0.25/1.25 = 0.4.
        #expect(strict.precision == 1 && strict.recall == 0.25 && abs(strict.f1 - 0.4) < 1e-12)
    }

    @Test("Zero-division conventions: nothing predicted positive gives precision 0 and F1 0")
    func zeroDivision() throws {
        let m = try ClassificationMetrics(scores: scores, labels: labels, threshold: 2)
        #expect(m.precision == 0 && m.recall == 0 && m.f1 == 0 && m.accuracy == 0.5)
        let hard = try ClassificationMetrics(predictions: [1, 0, 1], labels: [1, 0, 0])
        #expect(hard.truePositives == 1 && hard.falsePositives == 1 && hard.precision == 0.5)
    }

    @Test("Threshold sweep and the best-F1 threshold")
    func sweep() throws {
        let all = try ClassificationMetrics.sweep(scores: scores, labels: labels, thresholds: [0.35, 0.5, 0.65])
        #expect(all.map(\.recall) == [1, 0.75, 0.5])
        let best = try ClassificationMetrics.bestF1(scores: scores, labels: labels, thresholds: [0.35, 0.5, 0.65])
        // 0.35: TP 4, FP 1 → P 0.8, R 1, F1 = 8/9.
        #expect(best.threshold == 0.35 && abs(best.f1 - 8.0 / 9.0) < 1e-12)
    }

    @Test("Mismatched or non-binary labels are errors")
    func errors() {
        #expect(throws: EvaluationError.self) { try ClassificationMetrics(scores: [0.1], labels: []) }
        #expect(throws: EvaluationError.self) { try ClassificationMetrics(scores: [0.1], labels: [2]) }
    }
}
