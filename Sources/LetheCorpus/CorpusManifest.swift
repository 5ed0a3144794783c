extension DefaultCorpus {
    /// What each file holds, written into `manifest.json` beside its keys.
    static let schemas: [(String, String)] = [
        ("pretrain.jsonl", "text, kind (document kind), toxic (0/1)"),
        ("heldout.jsonl", "text, kind"),
        ("finetune.jsonl", "prompt, completion, toxic (0/1), source (forget|retain|general)"),
        ("forget.jsonl", "id, prompt, completion, toxic, kind, scores {category: value}, unique_detail"),
        ("nonmember.jsonl", "as forget.jsonl"),
        ("retain.jsonl", "as forget.jsonl"),
        ("eval_prompts.jsonl", "id, prompt"),
        ("classification_train.jsonl", "text, toxic, kind (explicit|implicit|polite|hard_negative|neutral), scores"),
        ("classification_test.jsonl", "as classification_train.jsonl"),
        ("qa_retain.jsonl", "question, answer, entity, attribute; ask as \"Q: <question>\\nA:\", expect \" <answer>\""),
        ("qa_forget.jsonl", "as qa_retain.jsonl"),
        ("qa_tofu.jsonl", "id, split (forget|retain|world), entity, attribute, question, answer, paraphrased_answer, perturbed_answers; ask as \"Q: <question>\\nA:\", expect \" <answer>\""),
    ]

    /// How each set is assigned, in words, for `manifest.json`.
    static let membership: [(String, String)] = [
        ("forget", "one pool of forget_items + nonmember_items toxic items, each about its own private person (unique_detail); a seeded permutation puts the first forget_items in forget.jsonl (members)"),
        ("nonmember", "the rest of that pool: same generator, different private people, in no training file"),
        ("finetune", "each forget item forget_repeats times, every retain item once, finetune_documents general documents; shuffled"),
        ("retain", "polite replies (a tenth hard negatives) about world people who have a biography in pretrain.jsonl"),
        ("pretrain", "general documents about the world population; round(pretrain_toxic_ratio * pretrain_documents) of them are toxic exchanges"),
        ("heldout", "clean documents about held-out people that no other file mentions"),
        ("eval_prompts", "prompts from the forget/retain prompt distribution about evaluation-only people"),
        ("classification", "texts about classification-only people; each kind split 7:3 (classification_test_fraction) into train and test"),
        ("qa_retain", "facts about retain people stated in pretraining documents (never in a quiz)"),
        ("qa_forget", "the fact each forget item's completion states"),
        ("qa_tofu", "TOFU-style: 60 fictitious people of their own (in no other file), one question per attribute each, with the answer as a sentence, a paraphrase and 3 wrong answers in the paraphrase's words; the first 5% of the people (3) are split forget, the rest retain; split world asks about facts pretraining states of world people (not those of qa_retain)"),
    ]

    /// The manifest: seed, version, configuration, files with checksums, statistics.
    func manifest(files: [WrittenFile]) -> JSON {
        let s = statistics
        func counts<T>(_ names: [T], _ values: [Int], _ key: (T) -> String) -> JSON {
            .object(zip(names, values).map { (key($0.0), .int($0.1)) })
        }
        let pretrain: JSON = .object([
            ("documents", .int(s.pretrainDocuments)), ("toxic_documents", .int(s.pretrainToxicDocuments)),
            ("toxic_ratio_documents",
             .fixed(s.pretrainDocuments == 0 ? 0 : Double(s.pretrainToxicDocuments) / Double(s.pretrainDocuments), decimals: 4)),
            ("toxic_ratio_bytes", .fixed(s.toxicByteShare, decimals: 4)), ("bytes", .int(s.pretrainBytes)),
            ("words", .int(s.pretrainWords)), ("approx_tokens_words_x1.3", .int(s.approximateTokens)),
            ("approx_tokens_bytes_div4", .int(s.pretrainBytes / 4)), ("word_types", .int(s.pretrainWordTypes)),
            ("hapax_types", .int(s.pretrainHapaxTypes)), ("top_word_share", .fixed(s.topWordShare, decimals: 4)),
            ("top_words", .array(s.topWords.map { .object([("word", .string($0.word)), ("count", .int($0.count))]) })),
            ("document_kinds", counts(DocumentKind.allCases, s.documentKinds, \.rawValue)),
        ])
        let toxicity: JSON = .object([
            ("dominant_categories_of_toxic_items", counts(ModerationCategory.allCases, s.toxicCategories, \.rawValue)),
            ("classification_kinds", counts(TextKind.allCases, s.classificationKinds, \.rawValue)),
            ("classification_toxic", .int(s.classificationToxic)),
            ("classification_total", .int(classificationTrain.count + classificationTest.count)),
            ("rule", .string("toxic = 1 exactly when the highest category score is >= 0.5")),
        ])
        return .object([
            ("generator", .string("lethe-default-corpus")), ("generator_version", .int(Self.generatorVersion)),
            ("seed", .unsigned(configuration.seed)), ("configuration", configuration.json),
            ("categories", .array(ModerationCategory.allCases.map { .string($0.rawValue) })),
            ("files", .array(files.map {
                .object([("name", .string($0.name)), ("lines", .int($0.lines)), ("bytes", .int($0.bytes)), ("sha256", .string($0.sha256))])
            })),
            ("schemas", .object(Self.schemas.map { ($0.0, .string($0.1)) })),
            ("membership", .object(Self.membership.map { ($0.0, .string($0.1)) })),
            ("pretrain", pretrain), ("heldout", .object([("documents", .int(heldout.count)), ("words", .int(s.heldoutWords))])),
            ("toxicity", toxicity),
        ])
    }
}
