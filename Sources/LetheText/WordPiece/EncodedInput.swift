import LetheTensor

/// One encoder input (BERT, RoBERTa): ids with the template's special tokens, and the token
/// type (segment) of each: 0 for the first text, 1 for BERT's second (RoBERTa uses 0 throughout).
public struct EncodedInput: Sendable, Equatable {
    public var ids: [Int]
    public var tokenTypes: [Int]

    public init(ids: [Int], tokenTypes: [Int]) {
        (self.ids, self.tokenTypes) = (ids, tokenTypes)
    }

    /// Right-padded batch: ids padded with `paddingID`, the attention mask, and the token
    /// types (padding has type 0), row major [B·T] like `TokenBatch.ids`.
    /// - Throws: for an empty list or only empty inputs.
    public static func batch(_ inputs: [EncodedInput], paddingID: Int) throws -> (batch: TokenBatch, tokenTypes: [Int]) {
        let length = inputs.map(\.ids.count).max() ?? 0
        guard length > 0 else { throw TokenizerError.invalidArgument("no text to batch") }
        var (ids, mask, types) = ([Int](), [Int](), [Int]())
        for input in inputs {
            let padding = length - input.ids.count
            ids += input.ids + [Int](repeating: paddingID, count: padding)
            mask += [Int](repeating: 1, count: input.ids.count) + [Int](repeating: 0, count: padding)
            types += input.tokenTypes + [Int](repeating: 0, count: padding)
        }
        return (try TokenBatch(ids: ids, batchSize: inputs.count, length: length, attentionMask: mask), types)
    }

    /// Truncates one input from its end, or a pair by `longest_first`, to `budget` tokens in
    /// all: the longer input loses tokens until both are equally long, then both do
    /// (tokenizers/src/utils/truncation.rs).
    static func truncate(_ first: inout [Int], _ second: inout [Int]?, to budget: Int) {
        let budget = max(0, budget)
        guard let pair = second else {
            first = Array(first.prefix(budget))
            return
        }
        let (n1, n2) = longestFirstLengths(first.count, pair.count, budget: budget)
        first = Array(first.prefix(n1))
        second = Array(pair.prefix(n2))
    }

    static func longestFirstLengths(_ n1: Int, _ n2: Int, budget: Int) -> (Int, Int) {
        guard n1 + n2 > budget else { return (n1, n2) }
        let swapped = n1 > n2
        var (short, long) = swapped ? (n2, n1) : (n1, n2)
        long = short > budget ? short : max(short, budget - short)
        if short + long > budget {
            short = budget / 2
            long = short + budget % 2
        }
        return swapped ? (long, short) : (short, long)
    }
}
