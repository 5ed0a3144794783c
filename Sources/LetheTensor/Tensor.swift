/// An n-dimensional array of `Float` (compute) or `Double` (gradient checks), contiguous and
/// row-major, that records the operations applied to it for reverse-mode differentiation.
///
/// A tensor is a view of `count` scalars of a `Storage`, starting at `offset`. Operations
/// return new tensors; only the explicit in-place helpers (`InPlace.swift`) write into an
/// existing one. A leaf tensor with `requiresGrad` (a parameter) receives its gradient in
/// `grad` when `backward()` runs on a loss computed from it.
public final class Tensor: CustomStringConvertible {
    /// Sizes of the axes; `[]` is a scalar.
    public let shape: [Int]
    /// The buffer this tensor views.
    public let storage: Storage
    /// Index of the first scalar inside `storage`.
    public let offset: Int
    /// Number of scalars (product of `shape`).
    public let count: Int
    /// Whether this leaf collects a gradient. Frozen parameters set it to `false`.
    public var requiresGrad: Bool
    /// The accumulated gradient of a leaf, same shape and dtype; `nil` until a backward pass
    /// reaches it. Set it to a view into a flat buffer to collect gradients there.
    public var grad: Tensor?
    /// The operation that produced this tensor, when gradients are being recorded.
    var node: GradNode?

    /// A view of `storage` from `offset`; the storage must hold `offset + count(shape)` scalars.
    public init(shape: [Int], storage: Storage, offset: Int = 0, requiresGrad: Bool = false) {
        let count = Shape.count(shape)
        precondition(
            shape.allSatisfy { $0 >= 0 } && offset >= 0 && offset + count <= storage.count,
            "view of shape \(shape) at offset \(offset) exceeds a storage of \(storage.count)")
        self.shape = shape
        self.storage = storage
        self.offset = offset
        self.count = count
        self.requiresGrad = requiresGrad
    }

    /// A zero-filled tensor.
    public convenience init(zeros shape: [Int], dtype: DType = .float32, requiresGrad: Bool = false) {
        self.init(
            shape: shape, storage: Storage(count: Shape.count(shape), dtype: dtype),
            requiresGrad: requiresGrad)
    }

    /// A tensor whose every element is `value`.
    public convenience init(filled value: Double, shape: [Int], dtype: DType = .float32) {
        self.init(zeros: shape, dtype: dtype)
        fill(value)
    }

    /// A float32 tensor from row-major values.
    /// - Throws: `TensorError.invalidShape` when `values.count` differs from the shape's count.
    public convenience init(_ values: [Float], shape: [Int], requiresGrad: Bool = false) throws {
        try self.init(values: values, shape: shape, requiresGrad: requiresGrad)
    }

    /// A float64 tensor from row-major values.
    public convenience init(_ values: [Double], shape: [Int], requiresGrad: Bool = false) throws {
        try self.init(values: values, shape: shape, requiresGrad: requiresGrad)
    }

    private convenience init<S: TensorScalar>(values: [S], shape: [Int], requiresGrad: Bool) throws {
        guard shape.allSatisfy({ $0 >= 0 }), values.count == Shape.count(shape) else {
            throw TensorError.invalidShape(
                op: "Tensor.init", shape: shape, reason: "\(values.count) values given")
        }
        self.init(zeros: shape, dtype: S.dtype, requiresGrad: requiresGrad)
        let p = pointer(S.self)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { p.update(from: base, count: values.count) }
        }
    }

    /// A scalar (rank-0) tensor.
    public convenience init(scalar value: Double, dtype: DType = .float32) {
        self.init(filled: value, shape: [], dtype: dtype)
    }

    /// Element type.
    public var dtype: DType { storage.dtype }
    /// Number of axes.
    public var rank: Int { shape.count }
    /// Whether gradients flow through this tensor (a leaf that requires them, or an op output).
    public var tracksGradient: Bool { requiresGrad || node != nil }

    /// Typed pointer to this view's first scalar; `S` must match `dtype`.
    @inline(__always) func pointer<S: TensorScalar>(_: S.Type) -> UnsafeMutablePointer<S> {
        storage.pointer(S.self) + offset
    }

    /// Pointer to this float32 view's first scalar, for kernels outside this module
    /// (optimisers). The tensor must be float32 (a programmer error otherwise).
    public var floatPointer: UnsafeMutablePointer<Float> { pointer(Float.self) }

    /// A fresh, uninitialised tensor for a kernel that writes every element.
    static func uninitialized(_ shape: [Int], dtype: DType) -> Tensor {
        let count = Shape.count(shape)
        return Tensor(shape: shape, storage: Storage(uninitializedCount: count, dtype: dtype))
    }

    /// The values, converted to `Float`.
    public var floats: [Float] { values(Float.self) }
    /// The values, converted to `Double`.
    public var doubles: [Double] { values(Double.self) }

    private func values<T: TensorScalar>(_: T.Type) -> [T] {
        switch dtype {
        case .float32:
            let p = pointer(Float.self)
            return (0..<count).map { T(p[$0]) }
        case .float64:
            let p = pointer(Double.self)
            return (0..<count).map { T(p[$0]) }
        }
    }

    /// The single value of a one-element tensor.
    /// - Throws: `TensorError.invalidShape` if the tensor holds more than one value.
    public func item() throws -> Double {
        guard count == 1 else {
            throw TensorError.invalidShape(op: "item", shape: shape, reason: "not a single value")
        }
        return dtype == .float32 ? Double(pointer(Float.self)[0]) : pointer(Double.self)[0]
    }

    /// Calls `body` with this view's bytes (`count * dtype.byteWidth` of them), for I/O.
    public func withUnsafeRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(
            start: storage.raw + offset * dtype.byteWidth, count: count * dtype.byteWidth))
    }

    /// Calls `body` with this view's bytes to overwrite them, for I/O.
    public func withUnsafeMutableRawBytes<R>(
        _ body: (UnsafeMutableRawBufferPointer) throws -> R
    ) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(
            start: storage.raw + offset * dtype.byteWidth, count: count * dtype.byteWidth))
    }

    /// The same values in a new storage, with no gradient history.
    public func copy() -> Tensor {
        let out = Tensor.uninitialized(shape, dtype: dtype)
        out.storage.raw.advanced(by: 0).copyMemory(
            from: storage.raw.advanced(by: offset * dtype.byteWidth),
            byteCount: count * dtype.byteWidth)
        return out
    }

    /// The same storage, cut off from the gradient history (`torch.Tensor.detach`).
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage, offset: offset) }

    /// A copy in another element type, with no gradient history.
    public func converted(to target: DType) -> Tensor {
        if target == dtype { return copy() }
        let out = Tensor.uninitialized(shape, dtype: target)
        switch (dtype, target) {
        case (.float32, .float64):
            let (s, d) = (pointer(Float.self), out.pointer(Double.self))
            for i in 0..<count { d[i] = Double(s[i]) }
        case (.float64, .float32):
            let (s, d) = (pointer(Double.self), out.pointer(Float.self))
            for i in 0..<count { d[i] = Float(s[i]) }
        default: break
        }
        return out
    }

    public var description: String {
        let shown = doubles.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor(\(dtype) \(shape): [\(shown)\(count > 8 ? ", ..." : "")])"
    }
}

import Foundation
