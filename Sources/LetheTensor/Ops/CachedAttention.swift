/// Attention of new queries over a key/value cache, for generation (forward only; records no
/// gradient). The Tq queries sit at absolute positions Tk − Tq ..< Tk of a sequence whose
/// first Tk keys are cached:
///
///     Sᵢⱼ = qᵢ ⋅ kⱼ / √D   for j ≤ Tk − Tq + i and keyMask[b, j];  P = softmax(S);  O = P V
///
/// Grouped queries as in `causalSelfAttention`: query head h reads cached head h / (H / Hkv).
/// Shapes: query [B, H, Tq, D]; keys and values [B, Hkv, capacity, D] of which the first
/// `keyLength` positions are filled; keyMask holds B × capacity flags (true = real token).
/// Output [B, H, Tq, D]. With Tq = Tk it equals `causalSelfAttention`.
extension Tensor {
    public static func cachedAttention(
        query q: Tensor, keys: Tensor, values: Tensor, keyLength: Int, keyMask: [Bool]
    ) throws -> Tensor {
        guard q.rank == 4, keys.rank == 4, keys.shape == values.shape, q.dtype == keys.dtype, q.dtype == values.dtype,
            q.shape[0] == keys.shape[0], keys.shape[1] > 0, q.shape[1] % keys.shape[1] == 0, q.shape[3] == keys.shape[3]
        else {
            throw TensorError.shapeMismatch(
                op: "cachedAttention", lhs: q.shape, rhs: keys.shape, reason: "query [B, H, Tq, D] and cache [B, Hkv, capacity, D] with H a multiple of Hkv")
        }
        let (B, H, Tq, D, capacity) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3], keys.shape[2])
        let G = H / keys.shape[1]  // query heads per key/value head
        let Tk = keyLength
        guard Tq <= Tk, Tk <= capacity, keyMask.count == B * capacity else {
            throw TensorError.invalidArgument(
                op: "cachedAttention", reason: "\(Tq) queries, \(Tk) keys, capacity \(capacity), mask of \(keyMask.count)")
        }
        let out = Tensor.uninitialized(q.shape, dtype: q.dtype)
        let offset = Tk - Tq
        let library = MatrixLibrary.current  // read here: task-local values do not reach the workers
        func run<S: TensorScalar>(_: S.Type) {
            let (qp, kp, vp, op) = (q.pointer(S.self), keys.pointer(S.self), values.pointer(S.self), out.pointer(S.self))
            let scale = 1 / S.sqrt(S(D))
            Parallel.forEachRange(B * H, costPerItem: 2 * Tq * Tk * D) { pairs in
                var scores = [S](repeating: 0, count: Tq * Tk)
                scores.withUnsafeMutableBufferPointer { s in
                    guard let sp = s.baseAddress else { return }
                    for bh in pairs {
                        let b = bh / H
                        let kv = (bh / G) * capacity * D
                        let (kh, vh) = (kp + kv, vp + kv)
                        S.gemm(
                            on: library, transA: false, transB: true, m: Tq, n: Tk, k: D, alpha: scale,
                            a: qp + bh * Tq * D, lda: D, b: kh, ldb: D, beta: 0, c: sp, ldc: Tk)
                        for i in 0..<Tq {
                            let row = sp + i * Tk
                            let last = offset + i
                            var m = -S.infinity
                            for j in 0...last where keyMask[b * capacity + j] && row[j] > m { m = row[j] }
                            var total: S = 0
                            for j in 0..<Tk {
                                let visible = j <= last && keyMask[b * capacity + j] && m > -S.infinity
                                row[j] = visible ? S.fastExp(row[j] - m) : 0
                                total += row[j]
                            }
                            if total > 0 { for j in 0..<Tk { row[j] /= total } }
                        }
                        S.gemm(
                            on: library, transA: false, transB: false, m: Tq, n: D, k: Tk, alpha: 1,
                            a: sp, lda: Tk, b: vh, ldb: D, beta: 0, c: op + bh * Tq * D, ldc: D)
                    }
                }
            }
        }
        q.dtype == .float32 ? run(Float.self) : run(Double.self)
        return out
    }
}
