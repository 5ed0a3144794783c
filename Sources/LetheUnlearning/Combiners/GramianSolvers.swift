import Foundation

/// Small dense solvers on m × m Gramians (m = number of losses, a handful), in Double, that
/// the Gramian combiners share. Every one is exact or converges to machine precision except
/// Frank–Wolfe, which stops where its reference stops. No allocation-heavy linear algebra: m
/// is tiny, so plain loops over `[[Double]]` are the clearest and cost microseconds.
enum GramianSolvers {
    static func identity(_ m: Int) -> [[Double]] { (0..<m).map { i in (0..<m).map { $0 == i ? 1 : 0 } } }

    static func multiply(_ a: [[Double]], _ x: [Double]) -> [Double] {
        a.map { row in zip(row, x).reduce(0) { $0 + $1.0 * $1.1 } }
    }

    static func dot(_ x: [Double], _ y: [Double]) -> Double { zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } }

    /// xᵀ G x.
    static func quadratic(_ g: [[Double]], _ x: [Double]) -> Double { dot(x, multiply(g, x)) }

    /// G / tr(G), the Gramian of the Frobenius-normalised matrix (torchjd `normalize`); all
    /// zeros when tr(G) < eps.
    static func normalized(_ g: [[Double]], eps: Double) -> [[Double]] {
        let trace = g.indices.reduce(0) { $0 + g[$1][$1] }
        return g.map { row in row.map { trace < eps ? 0 : $0 / trace } }
    }

    /// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations:
    /// A = V diag(λ) Vᵀ, eigenvectors in the columns of V (unsorted).
    static func symmetricEigen(_ matrix: [[Double]]) -> (values: [Double], vectors: [[Double]]) {
        var a = matrix
        let n = a.count
        var v = identity(n)
        for _ in 0..<64 {
            var off = 0.0
            var scale = 0.0
            for p in 0..<n {
                scale += a[p][p] * a[p][p]
                for q in (p + 1)..<max(p + 1, n) { off += a[p][q] * a[p][q] }
            }
            if off <= 1e-32 * scale || off == 0 { break }
            for p in 0..<max(0, n - 1) {
                for q in (p + 1)..<n where a[p][q] != 0 {
                    let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                    let t = abs(theta) > 1e150
                        ? 1 / (2 * theta) : (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot()
                    let s = t * c
                    for k in 0..<n {
                        let (akp, akq) = (a[k][p], a[k][q])
                        (a[k][p], a[k][q]) = (c * akp - s * akq, s * akp + c * akq)
                    }
                    for k in 0..<n {
                        let (apk, aqk) = (a[p][k], a[q][k])
                        (a[p][k], a[q][k]) = (c * apk - s * aqk, s * apk + c * aqk)
                    }
                    for k in 0..<n {
                        let (vkp, vkq) = (v[k][p], v[k][q])
                        (v[k][p], v[k][q]) = (c * vkp - s * vkq, s * vkp + c * vkq)
                    }
                }
            }
        }
        return ((0..<n).map { a[$0][$0] }, v)
    }

    /// Moore–Penrose pseudo-inverse of a symmetric matrix: Σ over |λ| > rtol ⋅ max|λ| of
    /// v vᵀ / λ, with rtol = m ⋅ ε(Double) as `torch.linalg.pinv`'s default.
    static func pseudoInverse(_ g: [[Double]]) -> [[Double]] {
        let n = g.count
        let (values, vectors) = symmetricEigen(g)
        let cutoff = Double(n) * Double.ulpOfOne * (values.map(abs).max() ?? 0)
        var result = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for (e, lambda) in values.enumerated() where abs(lambda) > cutoff {
            for i in 0..<n { for j in 0..<n { result[i][j] += vectors[i][e] * vectors[j][e] / lambda } }
        }
        return result
    }

    /// Solves A x = b for symmetric positive-definite A by Cholesky; nil when a pivot falls
    /// below 1e-13 of A's largest diagonal entry (A singular to working precision).
    static func solvePositiveDefinite(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = a.count
        let largest = (0..<n).map { a[$0][$0] }.max() ?? 0
        guard largest > 0 else { return nil }
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i][j]
                for k in 0..<j { sum -= l[i][k] * l[j][k] }
                if i == j {
                    guard sum > 1e-13 * largest else { return nil }
                    l[i][i] = sum.squareRoot()
                } else {
                    l[i][j] = sum / l[j][j]
                }
            }
        }
        var y = b
        for i in 0..<n {
            for k in 0..<i { y[i] -= l[i][k] * y[k] }
            y[i] /= l[i][i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<max(i + 1, n) { y[i] -= l[k][i] * y[k] }
            y[i] /= l[i][i]
        }
        return y
    }

    /// The rows and columns `rows` of `a`.
    static func submatrix(_ a: [[Double]], _ rows: [Int]) -> [[Double]] { rows.map { i in rows.map { a[i][$0] } } }

    /// The weights v of the projection of Jᵀu onto the dual cone {x : Jx ≥ 0} of J's rows,
    /// given G = JJᵀ (Jacobian descent, Quinton & Rey 2024, Proposition 1):
    ///
    ///     v = argmin  vᵀ G v   subject to  v ≥ u
    ///
    /// solved exactly by enumerating active sets A (vₐ = uₐ): on the free set F,
    /// G_FF v_F = −G_FA u_A; the KKT point has v_F ≥ u_F and (G v)_A ≥ 0. G must be positive
    /// definite (UPGrad regularises it). Returns v and whether it differs from u.
    static func projectOntoDualCone(_ u: [Double], gramian g: [[Double]]) -> (weights: [Double], moved: Bool) {
        let m = u.count
        let scale = max(u.map(abs).max() ?? 0, 1e-300)
        var best: (v: [Double], objective: Double, allActive: Bool)?
        for mask in 0..<(1 << m) {
            let free = (0..<m).filter { mask & (1 << $0) != 0 }
            let active = (0..<m).filter { mask & (1 << $0) == 0 }
            var v = u
            if !free.isEmpty {
                let rhs = free.map { i in -active.reduce(0) { $0 + g[i][$1] * u[$1] } }
                guard let solved = solvePositiveDefinite(submatrix(g, free), rhs) else { continue }
                for (index, i) in free.enumerated() { v[i] = solved[index] }
            }
            let gv = multiply(g, v)
            let tolerance = 1e-12 * scale * (g.indices.map { g[$0][$0] }.max() ?? 1)
            guard free.allSatisfy({ v[$0] >= u[$0] - 1e-12 * scale }), active.allSatisfy({ gv[$0] >= -tolerance }) else { continue }
            let objective = dot(v, gv)
            if let current = best, current.objective <= objective { continue }
            best = (v, objective, free.isEmpty)
        }
        guard let best else { return (u, false) }
        return (best.v, !best.allActive)
    }

    /// The minimum-norm point of the convex hull of the gradients, min_{α ∈ Δ} αᵀGα, by
    /// Frank–Wolfe (Sener & Koltun 2018, Algorithm 2; torchjd `MGDAWeighting`): from α = 1/m,
    /// t = argminₜ (Gα)ₜ, exact line search γ toward eₜ, stop when γ < `tolerance` or after
    /// `maxIterations`. With two losses one step reaches the exact minimiser (Algorithm 1).
    static func minimumNormFrankWolfe(_ g: [[Double]], tolerance: Double, maxIterations: Int) -> [Double] {
        let m = g.count
        var alpha = [Double](repeating: 1 / Double(m), count: m)
        for _ in 0..<maxIterations {
            let ga = multiply(g, alpha)
            var t = 0
            for i in 1..<max(1, m) where ga[i] < ga[t] { t = i }
            let (a, b, c) = (ga[t], dot(alpha, ga), g[t][t])
            let gamma = c <= a ? 1 : (b <= a ? 0 : (b - a) / (b + c - 2 * a))
            alpha = alpha.enumerated().map { ($1 * (1 - gamma)) + ($0 == t ? gamma : 0) }
            if gamma < tolerance { break }
        }
        return alpha
    }

    /// The Nash bargaining weights (Navon et al. 2022, section 3): the α > 0 with
    ///
    ///     G α = 1 / α        (element-wise)
    ///
    /// the unique minimiser of the strictly convex F(α) = ½ αᵀGα − Σᵢ log αᵢ, found by damped
    /// Newton steps (Hessian G + diag(1/α²)) from `start`. Converged when
    /// maxᵢ |αᵢ(Gα)ᵢ − 1| < 1e-10; nil when it does not converge in `maxIterations` (e.g. a
    /// zero gradient, or gradients with zero in their conic hull, where no solution exists).
    static func nashBargaining(_ g: [[Double]], start: [Double], maxIterations: Int = 100) -> [Double]? {
        let m = g.count
        var alpha = start.map { $0 > 0 && $0.isFinite ? $0 : 1 }
        func objective(_ x: [Double]) -> Double { 0.5 * quadratic(g, x) - x.reduce(0) { $0 + Foundation.log($1) } }
        for _ in 0..<maxIterations {
            let ga = multiply(g, alpha)
            if zip(alpha, ga).allSatisfy({ abs($0 * $1 - 1) < 1e-10 }) { return alpha }
            let gradient = (0..<m).map { ga[$0] - 1 / alpha[$0] }
            var hessian = g
            for i in 0..<m { hessian[i][i] += 1 / (alpha[i] * alpha[i]) }
            guard let newton = solvePositiveDefinite(hessian, gradient.map { -$0 }) else { return nil }
            let slope = dot(gradient, newton)
            let current = objective(alpha)
            var step = 1.0
            var next = alpha
            while step > 1e-12 {
                next = (0..<m).map { alpha[$0] + step * newton[$0] }
                if next.allSatisfy({ $0 > 0 }), objective(next) <= current + 1e-4 * step * slope { break }
                step /= 2
            }
            guard step > 1e-12, next.allSatisfy({ $0.isFinite && $0 < 1e150 }) else { return nil }
            alpha = next
        }
        let ga = multiply(g, alpha)
        return zip(alpha, ga).allSatisfy({ abs($0 * $1 - 1) < 1e-8 }) ? alpha : nil
    }
}
