/// Whole-set kernels for gradient combiners: per-tensor Gramians of several gradient sets
/// in one pass, and a weighted sum of sets in one pass (the PCGrad family reduces to these,
/// as torchjd shows: every combiner here is a function of the Gramian).
extension NamedTensors {
    /// Per-tensor Gramians: `result[k][i][j] = Σ_{x ∈ tensor k} sets[i][x] ⋅ sets[j][x]`,
    /// accumulated in Double (products too). All sets must share this layout.
    public static func gramians(_ sets: [NamedTensors]) throws -> [[[Double]]] {
        guard let first = sets.first else { return [] }
        for set in sets.dropFirst() { try first.flat.checkSameLayout(set.flat, op: "gramians") }
        let n = sets.count
        return first.tensors.indices.map { k in
            var g = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
            for i in 0..<n {
                for j in i..<n {
                    let value = sets[i].tensors[k].dotDouble(sets[j].tensors[k])
                    g[i][j] = value
                    g[j][i] = value
                }
            }
            return g
        }
    }

    /// Per tensor k: `self[k] = Σ_i coefficients[k][i] ⋅ sets[i][k]`, one parallel pass.
    public func assignCombination(_ sets: [NamedTensors], coefficients: [[Double]]) throws {
        for set in sets { try flat.checkSameLayout(set.flat, op: "assignCombination") }
        guard coefficients.count == tensors.count, coefficients.allSatisfy({ $0.count == sets.count }) else {
            throw TensorError.invalidArgument(op: "assignCombination", reason: "one coefficient per set and tensor")
        }
        for (k, target) in tensors.enumerated() {
            let out = target.floatPointer
            let inputs = sets.map { $0.tensors[k].floatPointer }
            let c = coefficients[k].map(Float.init)
            Parallel.forEachRange(target.count, costPerItem: 2 * sets.count) { range in
                if inputs.count == 2 {
                    let (a, b, ca, cb) = (inputs[0], inputs[1], c[0], c[1])
                    for x in range { out[x] = ca * a[x] + cb * b[x] }
                    return
                }
                for x in range { out[x] = 0 }
                for (input, weight) in zip(inputs, c) {
                    for x in range { out[x] += weight * input[x] }
                }
            }
        }
    }
}
