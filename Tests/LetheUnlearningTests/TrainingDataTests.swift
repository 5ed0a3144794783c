import LetheText
import LetheUnlearning
import Testing

@Suite("Training data: pure functions of (seed, micro-batch index)")
struct TrainingDataTests {
    @Test func exampleBatchesWalkShuffledEpochsInFullBatches() throws {
        let examples = try scoredExamples()  // 6 examples
        let data = try ExampleBatches(examples: examples, batchSize: 4, seed: 3, scoreNames: ["threat", "insult"])
        #expect(data.parts == ["train"])
        // 3 batches of 4 cover epochs 0 and 1 exactly: each example twice.
        let walked = try (0..<3).flatMap { try data.indices($0) }
        #expect(walked.count == 12 && Array(walked.prefix(6)).sorted() == Array(0..<6) && Array(walked.suffix(6)).sorted() == Array(0..<6))
        #expect(Array(walked.prefix(6)) != Array(walked.suffix(6)))  // a new order per epoch
        // Pure: the same index gives the same batch, from a fresh value too.
        let again = try ExampleBatches(examples: examples, batchSize: 4, seed: 3, scoreNames: ["threat", "insult"])
        #expect(try data.batch(2) == again.batch(2))
        #expect(try data.indices(5) == again.indices(5))
        #expect(try ExampleBatches(examples: examples, batchSize: 4, seed: 4).indices(0) != data.indices(0))
        // Class labels and targets in the score names' order.
        let first = try #require(try data.batch(0).train)
        let picked = try data.indices(0).map { examples[$0] }
        #expect(first.classLabels == picked.map(\.label))
        #expect(first.targets == picked.map { [Float($0.scores["threat"] ?? -1), Float($0.scores["insult"] ?? -1)] })
        #expect(first.tokens.batchSize == 4)
    }

    @Test func exampleBatchesRefuseMissingScoresAndEmptyInput() throws {
        #expect(throws: (any Error).self) { try ExampleBatches(examples: try scoredExamples(), batchSize: 2, seed: 0, scoreNames: ["violence"]) }
        #expect(throws: UnlearningError.self) { try ExampleBatches(examples: [], batchSize: 2, seed: 0) }
        #expect(throws: UnlearningError.self) { try ExampleBatches(examples: try scoredExamples(), batchSize: 0, seed: 0) }
        let retain = try ExampleBatches(examples: try scoredExamples(), batchSize: 2, seed: 0, part: TrainingBatch.retain)
        let part = try retain.batch(0).retain
        #expect(retain.parts == ["retain"] && part != nil)
    }

    @Test func tokenWindowsAreSeededPerBatchAndCountEveryToken() throws {
        let stream = Array(0..<50).map { $0 % 17 }
        let data = try TokenWindows(stream: stream, length: 8, batchSize: 3, seed: 5)
        let batch = try #require(try data.batch(4).train)
        #expect(batch.labels == batch.tokens.ids && batch.tokens.attentionMask == nil)
        for (row, start) in try data.starts(4).enumerated() {
            #expect(Array(batch.tokens.ids[(row * 8)..<((row + 1) * 8)]) == Array(stream[start..<(start + 8)]))
            #expect((0...42).contains(start))
        }
        let fresh = try TokenWindows(stream: stream, length: 8, batchSize: 3, seed: 5)
        #expect(try fresh.batch(4) == data.batch(4))
        #expect(try data.starts(4) != data.starts(5))
        // Every start is reachable, the last included.
        let starts = Set(try (0..<400).flatMap { try data.starts($0) })
        #expect(starts == Set(0...42))
    }

    @Test func aShortStreamGivesOnePaddedWindow() throws {
        let data = try TokenWindows(stream: [3, 4, 5], length: 5, batchSize: 2, seed: 0, padID: 9)
        let batch = try #require(try data.batch(0).train)
        #expect(batch.tokens.ids == [3, 4, 5, 9, 9, 3, 4, 5, 9, 9])
        #expect(batch.labels == [3, 4, 5, -100, -100, 3, 4, 5, -100, -100])
        #expect(batch.tokens.attentionMask == [1, 1, 1, 0, 0, 1, 1, 1, 0, 0])
        #expect(throws: UnlearningError.self) { try TokenWindows(stream: [1], length: 4, batchSize: 1, seed: 0) }
    }

    @Test func anObjectiveMeetsDataWithoutItsPartsBeforeTheFirstStep() throws {
        let data = try toyUnlearningData()
        #expect(data.parts == ["forget", "retain"])
        #expect(throws: UnlearningError.missingBatch(owner: "objective next_token", part: "train")) { try data.check(for: NextToken()) }
        try data.check(for: try ObjectiveRegistry.builtIn.make("grad_diff"))
    }
}
