/// A batch of token sequences for a model: `ids` row-major [batchSize, length], an
/// attention mask (1 = token, 0 = padding; nil = no padding) and optional position ids
/// (nil = 0..<length in every row, Hugging Face's default with right padding).
public struct TokenBatch: Sendable, Equatable {
    public var ids: [Int]
    public var batchSize: Int
    public var length: Int
    public var attentionMask: [Int]?
    public var positions: [Int]?

    /// - Throws: `TensorError.invalidArgument` when the arrays do not hold batchSize × length.
    public init(ids: [Int], batchSize: Int, length: Int, attentionMask: [Int]? = nil, positions: [Int]? = nil) throws {
        let n = batchSize * length
        guard batchSize > 0, length > 0, ids.count == n else {
            throw TensorError.invalidArgument(op: "token batch", reason: "batch of \(batchSize) × \(length) needs \(n) ids, got \(ids.count)")
        }
        if let mask = attentionMask, mask.count != n {
            throw TensorError.invalidArgument(op: "token batch", reason: "attention mask has \(mask.count) entries for \(batchSize) × \(length)")
        }
        if let positions, positions.count != n {
            throw TensorError.invalidArgument(op: "token batch", reason: "position ids have \(positions.count) entries for \(batchSize) × \(length)")
        }
        self.ids = ids
        self.batchSize = batchSize
        self.length = length
        self.attentionMask = attentionMask
        self.positions = positions
    }

    /// One unpadded sequence.
    public init(sequence: [Int]) throws {
        try self.init(ids: sequence, batchSize: 1, length: sequence.count)
    }

    /// Number of real (unpadded) tokens.
    public var tokenCount: Int { attentionMask?.reduce(0, +) ?? ids.count }
}
