import LetheTensor

/// Keys and values of the tokens a model has already seen, per layer, for incremental
/// decoding: [B, H, capacity, D] buffers filled up to `length`, plus which cached positions
/// are real tokens (left padding is not).
public final class KeyValueCache {
    public let capacity: Int
    public private(set) var length = 0
    var keys: [Tensor]
    var values: [Tensor]
    var keyMask: [Bool]
    let batchSize: Int

    /// Buffers [B, key/value heads, capacity, D] per layer for a model of these dimensions.
    public init(dimensions c: ModelDimensions, batchSize: Int, capacity: Int) throws {
        guard capacity > 0, capacity <= c.contextLength else {
            throw LayerError.invalidInput(reason: "cache capacity \(capacity) must lie in 1...\(c.contextLength) (the model's context)")
        }
        let shape = [batchSize, c.keyValueHeadCount, capacity, c.headSize]
        keys = (0..<c.layerCount).map { _ in Tensor(zeros: shape) }
        values = (0..<c.layerCount).map { _ in Tensor(zeros: shape) }
        keyMask = [Bool](repeating: false, count: batchSize * capacity)
        self.capacity = capacity
        self.batchSize = batchSize
    }

    /// Writes this layer's new keys and values [B, H, T, D] after the cached ones and attends
    /// the new queries over everything cached; `newMask` is the batch's [B, T] mask.
    public func attend(layer: Int, query: Tensor, key: Tensor, value: Tensor, newMask: [Int]?) throws -> Tensor {
        let (B, H, T, D) = (key.shape[0], key.shape[1], key.shape[2], key.shape[3])
        guard B == batchSize, length + T <= capacity else {
            throw LayerError.invalidInput(reason: "cache of \(capacity) positions cannot take \(T) more after \(length)")
        }
        if layer == 0 {
            for b in 0..<B {
                for t in 0..<T { keyMask[b * capacity + length + t] = (newMask?[b * T + t] ?? 1) != 0 }
            }
        }
        for (source, target) in [(key, keys[layer]), (value, values[layer])] {
            let (s, d) = (source.floatPointer, target.floatPointer)
            for bh in 0..<(B * H) {
                (d + (bh * capacity + length) * D).update(from: s + bh * T * D, count: T * D)
            }
        }
        return try Tensor.cachedAttention(
            query: query, keys: keys[layer], values: values[layer], keyLength: length + T, keyMask: keyMask)
    }

    /// Marks the T positions of the last forward pass as cached.
    public func advance(by count: Int) { length += count }
}
