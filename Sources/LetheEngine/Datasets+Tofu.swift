import LetheCorpus
import LetheEvaluation
import LetheText

extension Datasets {
    /// The TOFU-style sets of the embedded corpus (`qa_tofu.jsonl`) in the layout the `qa`
    /// suite reads: `qa_tofu` (to fine-tune on), `qa_tofu_<split>` and their `_paraphrased`
    /// and `_perturbed` sets (`QuestionAnswerFile`).
    static func tofuSets(_ corpus: DefaultCorpus) -> [String: [TextExample]] {
        QuestionAnswerFile.sets(corpus.qaTofu.map {
            QuestionAnswerFile.Question(
                id: $0.id, split: $0.split.rawValue, question: $0.question, answer: $0.answer, paraphrasedAnswer: $0.paraphrasedAnswer,
                perturbedAnswers: $0.perturbedAnswers)
        })
    }
}
