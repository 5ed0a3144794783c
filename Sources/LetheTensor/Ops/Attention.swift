/// Self-attention with a key padding mask, causal (GPT-2) or bidirectional (BERT), fused per
/// (batch, head) (Vaswani et al. 2017):
///
///     S = q kᵀ / √D                       [T, T] per (b, h)
///     Sᵢⱼ = −∞ unless key j is real (mask[b, j] ≠ 0) and, when causal, j ≤ i
///     P = softmax(S) by rows               (a row with no visible key is all zeros)
///     P̃ = P ⊙ M / (1 − p)                  attention dropout, M ~ Bernoulli(1 − p) (p = 0: P̃ = P)
///     O = P̃ v                              [T, D]
///
///     ∂P̃ = ∂O vᵀ   ∂v = P̃ᵀ ∂O   ∂P = ∂P̃ ⊙ M / (1 − p)   ∂S = P ⊙ (∂P − rowsum(∂P ⊙ P))
///     ∂q = ∂S k / √D    ∂k = ∂Sᵀ q / √D
///
/// Grouped-query attention (Ainslie et al. 2023, GQA; Llama's `repeat_kv`): key and value may
/// have fewer heads Hkv than the query's H (H a multiple of Hkv); query head h reads key/value
/// head h / (H / Hkv), with no copies. The key/value gradients of a group sum over its queries.
///
/// Shapes: query [B, H, T, D]; key, value [B, Hkv, T, D]; keyPaddingMask [B, T] (1 = token,
/// 0 = padding) or nil; output [B, H, T, D]. The (b, h) pairs run in parallel (the backward
/// pass: the (b, key/value head) groups), each product a single-threaded call of
/// `MatrixLibrary.current` (oneDNN for Float); P [B, H, T, T] (and the dropout mask) is kept
/// for the backward pass.
extension Tensor {
    /// Causal self-attention without dropout.
    public static func causalSelfAttention(
        query q: Tensor, key k: Tensor, value v: Tensor, keyPaddingMask: Tensor? = nil
    ) throws -> Tensor {
        var unused = RandomGenerator(seed: 0)
        return try causalSelfAttention(query: q, key: k, value: v, keyPaddingMask: keyPaddingMask, dropout: 0, rng: &unused)
    }

    public static func causalSelfAttention(
        query q: Tensor, key k: Tensor, value v: Tensor, keyPaddingMask: Tensor? = nil,
        dropout: Double = 0, rng: inout RandomGenerator
    ) throws -> Tensor {
        try selfAttention(query: q, key: k, value: v, keyPaddingMask: keyPaddingMask, causal: true, dropout: dropout, rng: &rng)
    }

    /// Bidirectional self-attention (every query sees every real key), as BERT's encoder
    /// with Hugging Face's additive padding mask; without dropout.
    public static func bidirectionalSelfAttention(
        query q: Tensor, key k: Tensor, value v: Tensor, keyPaddingMask: Tensor? = nil
    ) throws -> Tensor {
        var unused = RandomGenerator(seed: 0)
        return try selfAttention(query: q, key: k, value: v, keyPaddingMask: keyPaddingMask, causal: false, dropout: 0, rng: &unused)
    }

    /// Self-attention; `causal` hides the keys after each query.
    public static func selfAttention(
        query q: Tensor, key k: Tensor, value v: Tensor, keyPaddingMask: Tensor? = nil, causal: Bool,
        dropout: Double = 0, rng: inout RandomGenerator
    ) throws -> Tensor {
        let op = causal ? "causalSelfAttention" : "bidirectionalSelfAttention"
        guard dropout >= 0, dropout < 1 else {
            throw TensorError.invalidArgument(op: op, reason: "dropout \(dropout) is outside [0, 1)")
        }
        guard q.rank == 4, k.rank == 4, k.shape == v.shape, k.shape[0] == q.shape[0], k.shape[2] == q.shape[2],
            k.shape[3] == q.shape[3], k.shape[1] > 0, q.shape[1] % k.shape[1] == 0
        else {
            throw TensorError.shapeMismatch(
                op: op, lhs: q.shape, rhs: k.shape == v.shape ? k.shape : v.shape,
                reason: "query [B, H, T, D] needs key and value of one shape [B, Hkv, T, D] with H a multiple of Hkv")
        }
        guard q.dtype == k.dtype, q.dtype == v.dtype else {
            throw TensorError.dtypeMismatch(op: op, lhs: q.dtype, rhs: k.dtype)
        }
        let (B, H, T, D) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
        let G = H / k.shape[1]  // query heads per key/value head
        var visible = [Bool](repeating: true, count: B * T)  // key j of batch b is a real token
        if let mask = keyPaddingMask {
            guard mask.shape == [B, T] else {
                throw TensorError.shapeMismatch(
                    op: op, lhs: q.shape, rhs: mask.shape,
                    reason: "the key padding mask needs shape [B, T] = [\(B), \(T)]")
            }
            visible = mask.doubles.map { $0 != 0 }
        }
        let probabilities = Tensor.uninitialized([B, H, T, T], dtype: q.dtype)
        let out = Tensor.uninitialized(q.shape, dtype: q.dtype)
        // Dropout keeps: 1/(1 − p) or 0 per entry, drawn in (b, h, i, j) order before the
        // parallel section so the mask depends only on the generator.
        var dropoutMask: Tensor?
        if dropout > 0 {
            let scale = 1 / (1 - dropout)
            dropoutMask = Tensor(zeros: [B, H, T, T], dtype: q.dtype)
            dropoutMask?.fill { rng.nextUniform() >= dropout ? scale : 0 }
        }
        let library = MatrixLibrary.current  // read here: task-local values do not reach the workers
        func forward<S: TensorScalar>(_: S.Type) {
            let (qp, kp, vp) = (q.pointer(S.self), k.pointer(S.self), v.pointer(S.self))
            let (pp, op) = (probabilities.pointer(S.self), out.pointer(S.self))
            let scale = 1 / S.sqrt(S(D))
            Parallel.forEachRange(B * H, costPerItem: 2 * T * T * D) { pairs in
                var scratch = [S](repeating: 0, count: dropoutMask == nil ? 0 : T * T)  // P̃ of one (b, h)
                for bh in pairs {
                    let kv = (bh / G) * T * D  // key/value head h / G of batch b
                    let (qh, kh, vh) = (qp + bh * T * D, kp + kv, vp + kv)
                    let (ph, oh) = (pp + bh * T * T, op + bh * T * D)
                    S.gemm(
                        on: library, transA: false, transB: true, m: T, n: T, k: D, alpha: scale,
                        a: qh, lda: D, b: kh, ldb: D, beta: 0, c: ph, ldc: T)
                    let b = bh / H
                    for i in 0..<T {
                        maskedSoftmaxRow(ph + i * T, T, visibleUpTo: causal ? i : T - 1) { visible[b * T + $0] }
                    }
                    scratch.withUnsafeMutableBufferPointer { dropped in
                        var weights = UnsafePointer(ph)
                        if let dropoutMask, let d = dropped.baseAddress {
                            let mh = dropoutMask.pointer(S.self) + bh * T * T
                            for j in 0..<(T * T) { d[j] = mh[j] * ph[j] }
                            weights = UnsafePointer(d)
                        }
                        S.gemm(
                            on: library, transA: false, transB: false, m: T, n: D, k: T, alpha: 1,
                            a: weights, lda: T, b: vh, ldb: D, beta: 0, c: oh, ldc: D)
                    }
                }
            }
        }
        q.dtype == .float32 ? forward(Float.self) : forward(Double.self)
        return record(op, out, inputs: [q, k, v]) { g in
            let (dq, dk, dv) = (
                Tensor.uninitialized(q.shape, dtype: q.dtype), Tensor.uninitialized(k.shape, dtype: q.dtype),
                Tensor.uninitialized(k.shape, dtype: q.dtype)
            )
            let scores = Tensor.uninitialized([B, H, T, T], dtype: q.dtype)  // ∂P, then ∂S
            let library = MatrixLibrary.current
            func backward<S: TensorScalar>(_: S.Type) {
                let (qp, kp, vp, gp) = (q.pointer(S.self), k.pointer(S.self), v.pointer(S.self), g.pointer(S.self))
                let (pp, sp) = (probabilities.pointer(S.self), scores.pointer(S.self))
                let (dqp, dkp, dvp) = (dq.pointer(S.self), dk.pointer(S.self), dv.pointer(S.self))
                let scale = 1 / S.sqrt(S(D))
                // One worker owns a (b, key/value head) group: its G query heads add into one ∂k, ∂v.
                Parallel.forEachRange(B * H / G, costPerItem: 4 * G * T * T * D) { groups in
                    var scratch = [S](repeating: 0, count: dropoutMask == nil ? 0 : T * T)  // P̃ of one (b, h)
                    for (group, member) in groups.lazy.flatMap({ g in (0..<G).lazy.map { (g, $0) } }) {
                        let bh = group * G + member
                        let (base, kv) = (bh * T * D, group * T * D)
                        let accumulate: S = member == 0 ? 0 : 1
                        let (ph, sh) = (pp + bh * T * T, sp + bh * T * T)
                        let mh = dropoutMask.map { $0.pointer(S.self) + bh * T * T }
                        // ∂P̃ = ∂O vᵀ ; ∂v = P̃ᵀ ∂O
                        S.gemm(
                            on: library, transA: false, transB: true, m: T, n: T, k: D, alpha: 1,
                            a: gp + base, lda: D, b: vp + kv, ldb: D, beta: 0, c: sh, ldc: T)
                        scratch.withUnsafeMutableBufferPointer { dropped in
                            var weights = UnsafePointer(ph)
                            if let mh, let d = dropped.baseAddress {
                                for j in 0..<(T * T) { d[j] = mh[j] * ph[j] }
                                weights = UnsafePointer(d)
                            }
                            S.gemm(
                                on: library, transA: true, transB: false, m: T, n: D, k: T, alpha: 1,
                                a: weights, lda: T, b: gp + base, ldb: D, beta: accumulate, c: dvp + kv, ldc: D)
                        }
                        // ∂P = ∂P̃ ⊙ M / (1 − p) ; ∂S = P ⊙ (∂P − rowsum(∂P ⊙ P))
                        for i in 0..<T {
                            let (pr, sr, last) = (ph + i * T, sh + i * T, causal ? i : T - 1)
                            if let mh { for j in 0...last { sr[j] *= mh[i * T + j] } }
                            var dot: S = 0
                            for j in 0...last { dot += pr[j] * sr[j] }
                            for j in 0...last { sr[j] = pr[j] * (sr[j] - dot) }
                            for j in (last + 1)..<T { sr[j] = 0 }
                        }
                        // ∂q = ∂S k / √D ; ∂k = ∂Sᵀ q / √D
                        S.gemm(
                            on: library, transA: false, transB: false, m: T, n: D, k: T, alpha: scale,
                            a: sh, lda: T, b: kp + kv, ldb: D, beta: 0, c: dqp + base, ldc: D)
                        S.gemm(
                            on: library, transA: true, transB: false, m: T, n: D, k: T, alpha: scale,
                            a: sh, lda: T, b: qp + base, ldb: D, beta: accumulate, c: dkp + kv, ldc: D)
                    }
                }
            }
            q.dtype == .float32 ? backward(Float.self) : backward(Double.self)
            return [dq, dk, dv]
        }
    }
}

/// Softmax of one score row over the keys `j ≤ i` with `isVisible(j)`; every other entry
/// becomes 0, and so does the whole row when no key is visible.
@inline(__always)
private func maskedSoftmaxRow<S: TensorScalar>(
    _ row: UnsafeMutablePointer<S>, _ n: Int, visibleUpTo i: Int, _ isVisible: (Int) -> Bool
) {
    var m = -S.infinity
    for j in 0...i where isVisible(j) && row[j] > m { m = row[j] }
    if m == -S.infinity {
        row.update(repeating: 0, count: n)
        return
    }
    var total: S = 0
    for j in 0...i {
        let e = isVisible(j) ? S.fastExp(row[j] - m) : 0
        row[j] = e
        total += e
    }
    let inverse = 1 / total
    for j in 0...i { row[j] *= inverse }
    for j in (i + 1)..<n { row[j] = 0 }
}
