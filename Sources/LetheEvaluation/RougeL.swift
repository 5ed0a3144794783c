/// ROUGE-L (Lin 2004) as Google's `rouge-score` package computes it
/// (`rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False).score(target, prediction)`):
/// texts are lower-cased, every run of characters other than a–z and 0–9 becomes a space,
/// and the tokens are the remaining words.
///
///     LCS = length of the longest common subsequence of the token lists
///     recall = LCS / |target|,  precision = LCS / |prediction|,
///     F = 2 P R / (P + R)                  all 0 when either list is empty
///
/// TOFU reports the recall of the greedy answer against the reference answer
/// (`eval_rouge_recall`, `rougeL_recall`). TOFU's scorer also applies the Porter stemmer
/// (`use_stemmer=True`), which Lethe does not: the two differ only where an inflected word
/// of the answer (`lives` / `live`) matches another form of it.
/// Reference: `scripts/reference/make_qa_metrics_fixture.py`.
public enum RougeL {
    /// Precision, recall and F-measure.
    public struct Score: Sendable, Equatable {
        public var precision: Double
        public var recall: Double
        public var fMeasure: Double
    }

    /// `rouge-score`'s default tokenizer without stemming.
    public static func tokens(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// ROUGE-L of `prediction` against `target`.
    public static func score(target: String, prediction: String) -> Score {
        let (t, p) = (tokens(target), tokens(prediction))
        guard !t.isEmpty, !p.isEmpty else { return Score(precision: 0, recall: 0, fMeasure: 0) }
        let lcs = Double(longestCommonSubsequence(t, p))
        let (precision, recall) = (lcs / Double(p.count), lcs / Double(t.count))
        let f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        return Score(precision: precision, recall: recall, fMeasure: f)
    }

    /// The LCS length by dynamic programming over two rows.
    static func longestCommonSubsequence(_ a: [String], _ b: [String]) -> Int {
        var previous = [Int](repeating: 0, count: b.count + 1)
        var row = previous
        for x in a {
            for (j, y) in b.enumerated() { row[j + 1] = x == y ? previous[j] + 1 : max(previous[j + 1], row[j]) }
            swap(&previous, &row)
        }
        return previous[b.count]
    }
}
