import Foundation
import LetheText
import Testing

/// `BPETrainer`: reproducible output that Hugging Face `tokenizers` loads and encodes exactly as
/// Lethe does, and the same merges as HF's own trainer on the same words.
@Suite struct TokenizerTrainerTests {
    private func trainOnCorpus(vocabularySize: Int = 600, specialTokens: [String] = [GPT2Tokenizer.endOfText],
                               minimumPairCount: Int = 2) throws -> GPT2Tokenizer {
        var trainer = BPETrainer(
            vocabularySize: vocabularySize, specialTokens: specialTokens, minimumPairCount: minimumPairCount)
        try trainer.addFile(TokenizerFixtures.path("corpus.txt"))
        return try trainer.train()
    }

    /// `lethe_trained/` was written by `lethe tokenizer train --vocab-size 600`; training again
    /// gives the same three files, byte for byte.
    @Test func trainingIsReproducible() throws {
        let tokenizer = try trainOnCorpus()
        #expect(tokenizer.vocabularySize == 600)
        #expect(tokenizer.endOfTextID == 0)
        #expect(tokenizer.tokenizerJSON() == (try String(contentsOfFile: TokenizerFixtures.path("lethe_trained/tokenizer.json"), encoding: .utf8)))
        #expect(tokenizer.vocabularyJSON() == (try String(contentsOfFile: TokenizerFixtures.path("lethe_trained/vocab.json"), encoding: .utf8)))
        #expect(tokenizer.mergesText() == (try String(contentsOfFile: TokenizerFixtures.path("lethe_trained/merges.txt"), encoding: .utf8)))
    }

    /// `scripts/reference/check_trained_tokenizer.py` loaded the Lethe-trained files with
    /// Python `tokenizers` and wrote its ids; Lethe encodes each text the same way.
    @Test func huggingFaceEncodesTheTrainedTokenizerLikeLethe() throws {
        let cases = try TokenizerFixtures.cases("lethe_trained/hf_ids.json")
        #expect(cases.count >= 100)
        for tokenizer in [
            try GPT2Tokenizer.load(from: TokenizerFixtures.path("lethe_trained/tokenizer.json")),
            try GPT2Tokenizer.load(from: TokenizerFixtures.path("lethe_trained/vocab.json")),
        ] {
            for c in cases {
                #expect(tokenizer.encode(c.text) == c.ids, "\(c.text.debugDescription)")
                #expect(tokenizer.decode(c.ids) == c.text)
            }
        }
    }

    /// HF's trainer counts `<|endoftext|>` in the corpus as ordinary text and breaks ties on the
    /// smaller pair of ids, as `BPETrainer` does: with no special tokens to cut out, the merges
    /// equal those of the fixture tokenizer trained in Python (ids shift by one, order does not).
    @Test func mergesEqualHuggingFaceTrainer() throws {
        let reference = try GPT2Tokenizer.load(from: TokenizerFixtures.path("tokenizer.json"))
        let trained = try trainOnCorpus(vocabularySize: 699, specialTokens: [], minimumPairCount: 1)
        #expect(trained.merges.count == reference.merges.count)
        #expect(trained.merges.elementsEqual(reference.merges) { $0 == $1 })
    }

    @Test func specialTokensAreCutFromTheTrainingText() throws {
        var trainer = BPETrainer(vocabularySize: 300, specialTokens: ["<|endoftext|>", "<|pad|>"])
        trainer.add(String(repeating: "<|endoftext|>ab ab<|pad|>", count: 50))
        let tokenizer = try trainer.train()
        #expect(tokenizer.specialTokens == ["<|endoftext|>": 0, "<|pad|>": 1])
        #expect(!tokenizer.merges.contains { ($0.0 + $0.1).contains("|") })
        #expect(tokenizer.merges.map { "\($0.0) \($0.1)" } == ["a b", "Ġ ab"])
        #expect(tokenizer.encode("<|pad|>ab ab") == [1, 258, 259])
    }

    @Test func minimumPairCountStopsTraining() throws {
        var trainer = BPETrainer(vocabularySize: 1000, minimumPairCount: 3)
        trainer.add("aa bb bb bb")
        let tokenizer = try trainer.train()
        #expect(tokenizer.merges.map { "\($0.0) \($0.1)" } == ["b b", "Ġ bb"])
        #expect(tokenizer.vocabularySize == 259)
    }

    @Test func savedFilesLoadBack() throws {
        let tokenizer = try trainOnCorpus(vocabularySize: 400)
        let cases = try TokenizerFixtures.cases("cases.json")
        try TokenizerFixtures.withTemporaryFolder("save") { folder in
            try tokenizer.save(to: folder + "/nested/out")
            for loaded in [
                try GPT2Tokenizer.load(from: folder + "/nested/out"),
                try GPT2Tokenizer.load(from: folder + "/nested/out/vocab.json"),
            ] {
                #expect(loaded.vocabularySize == 400)
                #expect(loaded.merges.elementsEqual(tokenizer.merges) { $0 == $1 })
                for c in cases.prefix(100) { #expect(loaded.encode(c.text) == tokenizer.encode(c.text)) }
            }
        }
    }

    @Test func badArgumentsThrow() throws {
        let small = tokenizerError { _ = try BPETrainer(vocabularySize: 200).train() }
        #expect(small?.description.contains("below 257") == true)
        let repeated = tokenizerError { _ = try BPETrainer(vocabularySize: 300, specialTokens: ["<a>", "<a>"]).train() }
        #expect(repeated != nil)
        var trainer = BPETrainer(vocabularySize: 300)
        let missing = "/nonexistent/lethe-corpus.txt"
        #expect(throws: TokenizerError.cannotRead(path: missing, reason: "no such file")) { try trainer.addFile(missing) }
    }
}
