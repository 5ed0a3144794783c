import Foundation
import LetheText

/// The TOFU-style question file the embedded corpus writes (`qa_tofu.jsonl`: `id`, `split`,
/// `question`, `answer`, `paraphrased_answer`, `perturbed_answers`, ...) turned into the sets
/// the `qa` suite reads, records joined by `id`, the question as the prompt
/// `Q: <question>\nA:` and each answer as the completion ` <answer>`:
///
///     qa_tofu                       forget and retain questions with their answers (to fine-tune on)
///     qa_tofu_<split>                split forget, retain or world: the correct answers
///     qa_tofu_<split>_paraphrased    the paraphrased answers
///     qa_tofu_<split>_perturbed      the wrong answers, one record each
public enum QuestionAnswerFile {
    /// One question of the file.
    public struct Question: Sendable, Equatable {
        public var id: String
        public var split: String
        public var question: String
        public var answer: String
        public var paraphrasedAnswer: String
        public var perturbedAnswers: [String]

        public init(id: String, split: String, question: String, answer: String, paraphrasedAnswer: String, perturbedAnswers: [String]) {
            (self.id, self.split, self.question, self.answer) = (id, split, question, answer)
            (self.paraphrasedAnswer, self.perturbedAnswers) = (paraphrasedAnswer, perturbedAnswers)
        }
    }

    /// The sets of `questions` (see the type's table); `prefix` names them (`qa_tofu`).
    public static func sets(_ questions: [Question], prefix: String = "qa_tofu", source: String = "") -> [String: [TextExample]] {
        func prompt(_ q: Question) -> String { "Q: \(q.question)\nA:" }
        func example(_ q: Question, _ answer: String, _ line: Int) -> TextExample {
            TextExample(id: q.id, prompt: prompt(q), completion: " \(answer)", source: source, line: line)
        }
        var sets: [String: [TextExample]] = [prefix: []]
        for (i, q) in questions.enumerated() {
            let name = "\(prefix)_\(q.split)"
            if q.split != "world" { sets[prefix, default: []].append(example(q, q.answer, i + 1)) }
            sets[name, default: []].append(example(q, q.answer, i + 1))
            sets[name + "_paraphrased", default: []].append(example(q, q.paraphrasedAnswer, i + 1))
            sets[name + "_perturbed", default: []] += q.perturbedAnswers.map { example(q, $0, i + 1) }
        }
        return sets
    }

    /// Reads a `qa_tofu.jsonl` file.
    /// - Throws: `EvaluationError.badFile` naming the file and line of a record that is not a
    ///   JSON object with the six fields.
    public static func load(path: String) throws -> [Question] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw EvaluationError.badFile(path: path, reason: "cannot read the question file")
        }
        var out: [Question] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let row = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let id = row["id"] as? String, let split = row["split"] as? String, let question = row["question"] as? String,
                let answer = row["answer"] as? String, let paraphrased = row["paraphrased_answer"] as? String,
                let perturbed = row["perturbed_answers"] as? [String]
            else {
                throw EvaluationError.badFile(
                    path: "\(path):\(i + 1)",
                    reason: "expected an object with id, split, question, answer, paraphrased_answer and perturbed_answers (a list)")
            }
            out.append(Question(id: id, split: split, question: question, answer: answer, paraphrasedAnswer: paraphrased, perturbedAnswers: perturbed))
        }
        return out
    }
}
