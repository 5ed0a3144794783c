/// A contiguous, owned block of scalars. Several tensors may view one storage at different
/// offsets: this is how parameters, gradients and optimiser moments live in one flat buffer
/// each (as llm.c does), so a whole-model dot product or AdamW pass is a single loop.
public final class Storage: @unchecked Sendable {
    public let dtype: DType
    /// Number of scalars.
    public let count: Int
    let raw: UnsafeMutableRawPointer

    /// Zero-filled storage of `count` scalars.
    public init(count: Int, dtype: DType) {
        precondition(count >= 0, "storage count must be non-negative, got \(count)")
        self.dtype = dtype
        self.count = count
        let bytes = max(count * dtype.byteWidth, 1)
        raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
    }

    /// Uninitialised storage, for kernels that overwrite every element.
    init(uninitializedCount count: Int, dtype: DType) {
        self.dtype = dtype
        self.count = count
        raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(count * dtype.byteWidth, 1), alignment: 64)
    }

    deinit { raw.deallocate() }

    /// Typed pointer to the first scalar; `S` must match `dtype`.
    @inline(__always) func pointer<S: TensorScalar>(_: S.Type) -> UnsafeMutablePointer<S> {
        precondition(S.dtype == dtype, "storage holds \(dtype), asked for \(S.dtype)")
        return raw.assumingMemoryBound(to: S.self)
    }
}
