import LetheCorpus
import LetheText

extension Datasets {
    /// The TOFU-style sets of the embedded corpus (`qa_tofu.jsonl`), in the layout the `qa`
    /// suite reads (`QuestionAnswerSuite`): records joined by `id`, the question as the prompt
    /// `Q: <question>\nA:` and each answer as the completion ` <answer>`.
    ///
    ///     qa_tofu                        forget and retain questions with their answers (fine-tuning)
    ///     qa_tofu_<split>                 split forget, retain or world: the correct answers
    ///     qa_tofu_<split>_paraphrased     the paraphrased answers
    ///     qa_tofu_<split>_perturbed       the wrong answers, one record each
    static func tofuSets(_ corpus: DefaultCorpus) -> [String: [TextExample]] {
        func prompt(_ q: DefaultCorpus.TofuQuestion) -> String { "Q: \(q.question)\nA:" }
        var sets: [String: [TextExample]] = [:]
        sets["qa_tofu"] = corpus.qaTofu.filter { $0.split != .world }.map { TextExample(id: $0.id, prompt: prompt($0), completion: " \($0.answer)") }
        for split in DefaultCorpus.TofuSplit.allCases {
            let questions = corpus.qaTofu.filter { $0.split == split }
            let name = "qa_tofu_\(split.rawValue)"
            sets[name] = questions.map { TextExample(id: $0.id, prompt: prompt($0), completion: " \($0.answer)") }
            sets[name + "_paraphrased"] = questions.map { TextExample(id: $0.id, prompt: prompt($0), completion: " \($0.paraphrasedAnswer)") }
            sets[name + "_perturbed"] = questions.flatMap { q in
                q.perturbedAnswers.map { TextExample(id: q.id, prompt: prompt(q), completion: " \($0)") }
            }
        }
        return sets
    }
}
