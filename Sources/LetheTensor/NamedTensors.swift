/// Named tensors packed in one flat storage, in a fixed order: the model's parameters, one
/// gradient per named loss, the optimiser's moments. Each name is a view of the flat
/// buffer, so a whole-model dot product, norm, clip or AdamW step is one loop over `flat`,
/// and an HDF5 or safetensors write is one call per view (llm.c's `ParameterTensors`).
public final class NamedTensors {
    /// Names in storage order.
    public let names: [String]
    /// One view per name, in `names` order.
    public let tensors: [Tensor]
    /// The whole buffer as one rank-1 tensor.
    public let flat: Tensor
    private let index: [String: Int]

    /// Zero-filled tensors of the given names and shapes, packed in that order.
    /// - Throws: `TensorError.invalidArgument` when a name repeats.
    public convenience init(shapes: [(name: String, shape: [Int])], dtype: DType = .float32) throws {
        var seen = Set<String>()
        for entry in shapes where !seen.insert(entry.name).inserted {
            throw TensorError.invalidArgument(op: "NamedTensors", reason: "name \(entry.name) repeats")
        }
        self.init(uniqueShapes: shapes, dtype: dtype)
    }

    private init(uniqueShapes shapes: [(name: String, shape: [Int])], dtype: DType) {
        let total = shapes.reduce(0) { $0 + Shape.count($1.shape) }
        let storage = Storage(count: total, dtype: dtype)
        var offset = 0
        var tensors: [Tensor] = []
        for entry in shapes {
            tensors.append(Tensor(shape: entry.shape, storage: storage, offset: offset))
            offset += Shape.count(entry.shape)
        }
        self.names = shapes.map(\.name)
        self.tensors = tensors
        self.flat = Tensor(shape: [total], storage: storage)
        self.index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    }

    /// A zero-filled set with the same names, shapes and order.
    public func zerosLike() -> NamedTensors {
        NamedTensors(uniqueShapes: zip(names, tensors).map { ($0, $1.shape) }, dtype: flat.dtype)
    }

    /// The view named `name`, or nil.
    public subscript(name: String) -> Tensor? { index[name].map { tensors[$0] } }

    /// Number of scalars in all tensors.
    public var scalarCount: Int { flat.count }

    /// Σ self ⊙ other over the whole buffer, accumulated in Double.
    public func dot(_ other: NamedTensors) throws -> Double {
        try flat.checkSameLayout(other.flat, op: "NamedTensors.dot")
        return flat.dotDouble(other.flat)
    }

    /// Euclidean norm of the whole buffer, accumulated in Double.
    public func norm() -> Double { flat.dotDouble(flat).squareRoot() }

    /// Per-name Euclidean norms (Double accumulation), in `names` order.
    public func norms() -> [Double] { tensors.map { $0.dotDouble($0).squareRoot() } }

    /// The name of the first tensor, in `names` order, holding a NaN or an infinity; nil when
    /// every element is finite. One pass over the flat buffer, and a search by name only when
    /// that pass finds a non-finite element (the trainer's per-step gradient check).
    public func firstNonFinite() -> String? {
        guard !flat.isAllFinite() else { return nil }
        return zip(names, tensors).first { !$0.1.isAllFinite() }?.0
    }

    /// Makes every view a leaf that collects gradients (`requiresGrad = true`), except the
    /// names in `frozen`.
    public func markTrainable(except frozen: Set<String> = []) {
        for (name, tensor) in zip(names, tensors) { tensor.requiresGrad = !frozen.contains(name) }
    }

    /// The gradients of the scalar `loss` with respect to these tensors, in a new set of the
    /// same layout (zero for frozen names and names the loss does not depend on). Each call
    /// is its own backward pass over the recorded graph, so several losses from one forward
    /// pass give separate gradient sets; the tensors' own `grad` is left as it was.
    public func gradients(of loss: Tensor) throws -> NamedTensors {
        let out = zerosLike()
        try accumulateGradients(of: loss, into: out)
        return out
    }

    /// Adds the gradients of `loss` into `buffer` (same layout), reusing its storage: the
    /// trainer's per-loss gradient buffers, zeroed once per step, across micro-batches.
    public func accumulateGradients(of loss: Tensor, into buffer: NamedTensors) throws {
        try flat.checkSameLayout(buffer.flat, op: "accumulateGradients")
        let saved = tensors.map(\.grad)
        defer { for (tensor, grad) in zip(tensors, saved) { tensor.grad = grad } }
        for (tensor, slot) in zip(tensors, buffer.tensors) { tensor.grad = slot }
        try loss.backward()
    }
}

extension Tensor {
    /// Whether every element is finite. `x * 0` is 0 for a finite x and NaN for a NaN or an
    /// infinity, so one vectorisable sum of those products tells, with no branch per element.
    public func isAllFinite() -> Bool {
        let workers = Parallel.plan(count)
        var partial = [Bool](repeating: true, count: workers)
        partial.withUnsafeMutableBufferPointer { results in
            Parallel.forEachWorker(count, workers: workers) { worker, range in
                if dtype == .float64 {
                    let x = pointer(Double.self)
                    var total = 0.0
                    for i in range { total += x[i] * 0 }
                    results[worker] = total == 0
                    return
                }
                let x = pointer(Float.self)
                var acc = SIMD8<Float>()
                var j = range.lowerBound
                while j + 8 <= range.upperBound {
                    acc += UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<Float>.self) * 0
                    j += 8
                }
                var total = acc.sum()
                while j < range.upperBound {
                    total += x[j] * 0
                    j += 1
                }
                results[worker] = total == 0
            }
        }
        return !partial.contains(false)
    }

    /// Σ self ⊙ other with every product and sum in Double (combiners' dot products).
    func dotDouble(_ other: Tensor) -> Double {
        let workers = Parallel.plan(count, costPerItem: 2)
        var partial = [Double](repeating: 0, count: workers)
        partial.withUnsafeMutableBufferPointer { sums in
            Parallel.forEachWorker(count, workers: workers) { worker, range in
                if dtype == .float64 {
                    let (x, y) = (pointer(Double.self), other.pointer(Double.self))
                    sums[worker] = rowDot(x + range.lowerBound, y + range.lowerBound, range.count)
                    return
                }
                let (x, y) = (pointer(Float.self), other.pointer(Float.self))
                var acc = SIMD8<Double>()
                var j = range.lowerBound
                while j + 8 <= range.upperBound {
                    let a = SIMD8<Double>(UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<Float>.self))
                    let b = SIMD8<Double>(UnsafeRawPointer(y + j).loadUnaligned(as: SIMD8<Float>.self))
                    acc += a * b
                    j += 8
                }
                var total = acc.sum()
                while j < range.upperBound {
                    total += Double(x[j]) * Double(y[j])
                    j += 1
                }
                sums[worker] = total
            }
        }
        return partial.reduce(0, +)
    }
}
