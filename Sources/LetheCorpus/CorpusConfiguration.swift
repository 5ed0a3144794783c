extension DefaultCorpus {
    /// The seed and sizes of a generated corpus.
    ///
    /// Every value is checked when the configuration is made, by the initializer or by
    /// decoding; a bad value throws `CorpusError.invalidOption` naming the option. JSON/YAML
    /// keys are the snake_case names in `CodingKeys` (`forget_items`); unknown keys are errors.
    public struct Configuration: Codable, Equatable, Sendable {
        /// The seed of every random choice.
        public let seed: UInt64
        /// People of the world population (pretraining documents, retain set, retain QA).
        public let people: Int
        /// Documents in `pretrain.jsonl`.
        public let pretrainDocuments: Int
        /// Share of pretraining documents that are toxic exchanges, in [0, 1].
        public let pretrainToxicRatio: Double
        /// Documents in `heldout.jsonl` (about people of their own, never trained on).
        public let heldoutDocuments: Int
        /// Toxic items in the forget set (members: fine-tuned on `forgetRepeats` times).
        public let forgetItems: Int
        /// Toxic items from the same generator that no file trains on (MIA non-members).
        public let nonmemberItems: Int
        /// Polite items about world people in the retain set.
        public let retainItems: Int
        /// How many times each forget item appears in `finetune.jsonl`.
        public let forgetRepeats: Int
        /// General documents in `finetune.jsonl`, besides forget and retain items.
        public let finetuneDocuments: Int
        /// Prompts in `eval_prompts.jsonl`.
        public let evalPrompts: Int
        /// Texts in the classification train and test files together.
        public let classificationItems: Int
        /// Share of classification texts (per kind) in the test file, in (0, 1).
        public let classificationTestFraction: Double
        /// Share of toxic replies that avoid every lexicon word (hard positives), in [0, 1].
        public let implicitFraction: Double
        /// Question/answer pairs in each of `qa_retain.jsonl` and `qa_forget.jsonl` (at most).
        public let qaQuestions: Int

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case seed, people
            case pretrainDocuments = "pretrain_documents"
            case pretrainToxicRatio = "pretrain_toxic_ratio"
            case heldoutDocuments = "heldout_documents"
            case forgetItems = "forget_items"
            case nonmemberItems = "nonmember_items"
            case retainItems = "retain_items"
            case forgetRepeats = "forget_repeats"
            case finetuneDocuments = "finetune_documents"
            case evalPrompts = "eval_prompts"
            case classificationItems = "classification_items"
            case classificationTestFraction = "classification_test_fraction"
            case implicitFraction = "implicit_fraction"
            case qaQuestions = "qa_questions"
        }

        /// The default sizes: about 3 MB of pretraining text, a thousand items per set.
        public static let defaults = Configuration(
            unchecked: 1, people: 1500, pretrainDocuments: 6000, pretrainToxicRatio: 0.1, heldoutDocuments: 200,
            forgetItems: 1000, nonmemberItems: 1000, retainItems: 1000, forgetRepeats: 3, finetuneDocuments: 500,
            evalPrompts: 300, classificationItems: 3000, classificationTestFraction: 0.3, implicitFraction: 0.15,
            qaQuestions: 300)

        /// A checked configuration; any size left out takes its value in `defaults`.
        /// - Throws: `CorpusError.invalidOption` for the first value out of range.
        public init(
            seed: UInt64 = defaults.seed, people: Int = defaults.people,
            pretrainDocuments: Int = defaults.pretrainDocuments, pretrainToxicRatio: Double = defaults.pretrainToxicRatio,
            heldoutDocuments: Int = defaults.heldoutDocuments, forgetItems: Int = defaults.forgetItems,
            nonmemberItems: Int = defaults.nonmemberItems, retainItems: Int = defaults.retainItems,
            forgetRepeats: Int = defaults.forgetRepeats, finetuneDocuments: Int = defaults.finetuneDocuments,
            evalPrompts: Int = defaults.evalPrompts, classificationItems: Int = defaults.classificationItems,
            classificationTestFraction: Double = defaults.classificationTestFraction,
            implicitFraction: Double = defaults.implicitFraction, qaQuestions: Int = defaults.qaQuestions
        ) throws {
            self.init(
                unchecked: seed, people: people, pretrainDocuments: pretrainDocuments,
                pretrainToxicRatio: pretrainToxicRatio, heldoutDocuments: heldoutDocuments, forgetItems: forgetItems,
                nonmemberItems: nonmemberItems, retainItems: retainItems, forgetRepeats: forgetRepeats,
                finetuneDocuments: finetuneDocuments, evalPrompts: evalPrompts, classificationItems: classificationItems,
                classificationTestFraction: classificationTestFraction, implicitFraction: implicitFraction,
                qaQuestions: qaQuestions)
            try validate()
        }

        private init(
            unchecked seed: UInt64, people: Int, pretrainDocuments: Int, pretrainToxicRatio: Double,
            heldoutDocuments: Int, forgetItems: Int, nonmemberItems: Int, retainItems: Int, forgetRepeats: Int,
            finetuneDocuments: Int, evalPrompts: Int, classificationItems: Int, classificationTestFraction: Double,
            implicitFraction: Double, qaQuestions: Int
        ) {
            self.seed = seed
            self.people = people
            self.pretrainDocuments = pretrainDocuments
            self.pretrainToxicRatio = pretrainToxicRatio
            self.heldoutDocuments = heldoutDocuments
            self.forgetItems = forgetItems
            self.nonmemberItems = nonmemberItems
            self.retainItems = retainItems
            self.forgetRepeats = forgetRepeats
            self.finetuneDocuments = finetuneDocuments
            self.evalPrompts = evalPrompts
            self.classificationItems = classificationItems
            self.classificationTestFraction = classificationTestFraction
            self.implicitFraction = implicitFraction
            self.qaQuestions = qaQuestions
        }

        public init(from decoder: Decoder) throws {
            let all = try decoder.container(keyedBy: AnyKey.self)
            for key in all.allKeys where CodingKeys(stringValue: key.stringValue) == nil {
                let known = CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")
                throw CorpusError.invalidOption(name: key.stringValue, value: "?", reason: "unknown option; known: \(known)")
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Configuration.defaults
            try self.init(
                seed: c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed,
                people: c.decodeIfPresent(Int.self, forKey: .people) ?? d.people,
                pretrainDocuments: c.decodeIfPresent(Int.self, forKey: .pretrainDocuments) ?? d.pretrainDocuments,
                pretrainToxicRatio: c.decodeIfPresent(Double.self, forKey: .pretrainToxicRatio) ?? d.pretrainToxicRatio,
                heldoutDocuments: c.decodeIfPresent(Int.self, forKey: .heldoutDocuments) ?? d.heldoutDocuments,
                forgetItems: c.decodeIfPresent(Int.self, forKey: .forgetItems) ?? d.forgetItems,
                nonmemberItems: c.decodeIfPresent(Int.self, forKey: .nonmemberItems) ?? d.nonmemberItems,
                retainItems: c.decodeIfPresent(Int.self, forKey: .retainItems) ?? d.retainItems,
                forgetRepeats: c.decodeIfPresent(Int.self, forKey: .forgetRepeats) ?? d.forgetRepeats,
                finetuneDocuments: c.decodeIfPresent(Int.self, forKey: .finetuneDocuments) ?? d.finetuneDocuments,
                evalPrompts: c.decodeIfPresent(Int.self, forKey: .evalPrompts) ?? d.evalPrompts,
                classificationItems: c.decodeIfPresent(Int.self, forKey: .classificationItems) ?? d.classificationItems,
                classificationTestFraction: c.decodeIfPresent(Double.self, forKey: .classificationTestFraction)
                    ?? d.classificationTestFraction,
                implicitFraction: c.decodeIfPresent(Double.self, forKey: .implicitFraction) ?? d.implicitFraction,
                qaQuestions: c.decodeIfPresent(Int.self, forKey: .qaQuestions) ?? d.qaQuestions)
        }

        /// Throws for the first value outside its range, in `CodingKeys` order.
        public func validate() throws {
            func count(_ key: CodingKeys, _ value: Int, _ range: ClosedRange<Int>) throws {
                guard range.contains(value) else {
                    throw CorpusError.invalidOption(
                        name: key.rawValue, value: String(value),
                        reason: "must be between \(range.lowerBound) and \(range.upperBound)")
                }
            }
            func share(_ key: CodingKeys, _ value: Double, open: Bool) throws {
                let ok = open ? value > 0 && value < 1 : value >= 0 && value <= 1
                guard value.isFinite, ok else {
                    throw CorpusError.invalidOption(
                        name: key.rawValue, value: String(value), reason: open ? "must be strictly between 0 and 1" : "must be in [0, 1]")
                }
            }
            try count(.people, people, 20...200_000)
            try count(.pretrainDocuments, pretrainDocuments, 1...2_000_000)
            try share(.pretrainToxicRatio, pretrainToxicRatio, open: false)
            try count(.heldoutDocuments, heldoutDocuments, 1...200_000)
            try count(.forgetItems, forgetItems, 1...200_000)
            try count(.nonmemberItems, nonmemberItems, 1...200_000)
            try count(.retainItems, retainItems, 1...200_000)
            try count(.forgetRepeats, forgetRepeats, 1...100)
            try count(.finetuneDocuments, finetuneDocuments, 0...200_000)
            try count(.evalPrompts, evalPrompts, 1...200_000)
            try count(.classificationItems, classificationItems, 10...500_000)
            try share(.classificationTestFraction, classificationTestFraction, open: true)
            try share(.implicitFraction, implicitFraction, open: false)
            try count(.qaQuestions, qaQuestions, 1...200_000)
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(seed, forKey: .seed)
            try c.encode(people, forKey: .people)
            try c.encode(pretrainDocuments, forKey: .pretrainDocuments)
            try c.encode(pretrainToxicRatio, forKey: .pretrainToxicRatio)
            try c.encode(heldoutDocuments, forKey: .heldoutDocuments)
            try c.encode(forgetItems, forKey: .forgetItems)
            try c.encode(nonmemberItems, forKey: .nonmemberItems)
            try c.encode(retainItems, forKey: .retainItems)
            try c.encode(forgetRepeats, forKey: .forgetRepeats)
            try c.encode(finetuneDocuments, forKey: .finetuneDocuments)
            try c.encode(evalPrompts, forKey: .evalPrompts)
            try c.encode(classificationItems, forKey: .classificationItems)
            try c.encode(classificationTestFraction, forKey: .classificationTestFraction)
            try c.encode(implicitFraction, forKey: .implicitFraction)
            try c.encode(qaQuestions, forKey: .qaQuestions)
        }

        /// The configuration as ordered JSON members, for `manifest.json`.
        var json: JSON {
            .object([
                ("seed", .unsigned(seed)), ("people", .int(people)),
                ("pretrain_documents", .int(pretrainDocuments)), ("pretrain_toxic_ratio", .fixed(pretrainToxicRatio, decimals: 4)),
                ("heldout_documents", .int(heldoutDocuments)), ("forget_items", .int(forgetItems)),
                ("nonmember_items", .int(nonmemberItems)), ("retain_items", .int(retainItems)),
                ("forget_repeats", .int(forgetRepeats)), ("finetune_documents", .int(finetuneDocuments)),
                ("eval_prompts", .int(evalPrompts)), ("classification_items", .int(classificationItems)),
                ("classification_test_fraction", .fixed(classificationTestFraction, decimals: 4)),
                ("implicit_fraction", .fixed(implicitFraction, decimals: 4)), ("qa_questions", .int(qaQuestions)),
            ])
        }

        private struct AnyKey: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }
}
