import Foundation

/// L2-regularised binary logistic regression fitted by Newton's method, as scikit-learn's
/// `LogisticRegression(C=C)` defines the optimum (the intercept not penalised):
///
///     minimise  C Σᵢ log(1 + exp(−sᵢ (w·xᵢ + b))) + ½ ‖w‖²        sᵢ = ±1
///
/// Each Newton step solves (Xᵀ D X + P) Δ = −g by Cholesky (D = diag pᵢ(1 − pᵢ), P = diag(1/C,
/// …, 1/C, 0) in units of the loss, X with a column of ones); steps are halved until the
/// objective decreases. Features [n, d] are row-major Doubles. O(n d² + d³) per step, for
/// probes on hidden states (d up to a few thousand).
/// Reference: `scripts/reference/make_probe_fixture.py` (scikit-learn, lbfgs, tight tolerance).
public struct LogisticRegression: Sendable, Equatable {
    /// w [d].
    public var weights: [Double]
    public var intercept: Double

    /// Fits the model.
    /// - Parameters:
    ///   - features: [n, d] row-major.
    ///   - labels: n values, 0 or 1.
    ///   - inverseRegularization: C > 0.
    ///   - iterations: Newton steps at most (stops when the gradient's largest entry is
    ///     below 1e-10 · n).
    /// - Throws: `EvaluationError.invalidArgument` for mismatched sizes, labels other than
    ///   0/1, a non-positive C or a non-finite feature.
    public static func fit(
        features: [Double], labels: [Int], dimension d: Int, inverseRegularization C: Double = 1, iterations: Int = 50
    ) throws -> LogisticRegression {
        let n = labels.count
        guard n > 0, d > 0, features.count == n * d else {
            throw EvaluationError.invalidArgument(name: "probe features", reason: "\(features.count) values for \(n) rows of \(d)")
        }
        guard labels.allSatisfy({ $0 == 0 || $0 == 1 }), C > 0, C.isFinite, features.allSatisfy(\.isFinite) else {
            throw EvaluationError.invalidArgument(name: "probe", reason: "labels must be 0/1, C positive and the features finite")
        }
        let m = d + 1  // the intercept is coordinate d
        var theta = [Double](repeating: 0, count: m)
        func margin(_ i: Int, _ t: [Double]) -> Double {
            var z = t[d]
            for j in 0..<d { z += features[i * d + j] * t[j] }
            return z
        }
        func objective(_ t: [Double]) -> Double {
            var total = 0.0
            for i in 0..<n {
                let z = margin(i, t) * (labels[i] == 1 ? 1 : -1)
                total += z > 0 ? log1p(exp(-z)) : -z + log1p(exp(z))
            }
            return C * total + 0.5 * t[0..<d].reduce(0) { $0 + $1 * $1 }
        }
        var current = objective(theta)
        for _ in 0..<iterations {
            var gradient = [Double](repeating: 0, count: m)
            var hessian = [Double](repeating: 0, count: m * m)
            for i in 0..<n {
                let p = 1 / (1 + exp(-margin(i, theta)))
                let r = C * (p - Double(labels[i]))
                let w = C * p * (1 - p)
                for a in 0..<m {
                    let xa = a == d ? 1 : features[i * d + a]
                    gradient[a] += r * xa
                    guard w > 0 else { continue }
                    for b in 0...a { hessian[a * m + b] += w * xa * (b == d ? 1 : features[i * d + b]) }
                }
            }
            for j in 0..<d {
                gradient[j] += theta[j]
                hessian[j * m + j] += 1
            }
            hessian[d * m + d] += 1e-12
            if gradient.map(abs).max() ?? 0 < 1e-10 * Double(n) { break }
            guard let step = choleskySolve(hessian, gradient, size: m) else { break }
            var scale = 1.0
            var accepted = false
            while scale > 1e-8 {
                let candidate = zip(theta, step).map { $0 - scale * $1 }
                let value = objective(candidate)
                if value <= current {
                    (theta, current, accepted) = (candidate, value, true)
                    break
                }
                scale /= 2
            }
            if !accepted { break }
        }
        return LogisticRegression(weights: Array(theta[0..<d]), intercept: theta[d])
    }

    /// P(label 1 | x) for each row of `features` [n, d].
    public func probabilities(_ features: [Double]) -> [Double] {
        let d = weights.count
        return stride(from: 0, to: features.count, by: d).map { start in
            var z = intercept
            for j in 0..<d { z += features[start + j] * weights[j] }
            return 1 / (1 + exp(-z))
        }
    }

    /// Solves A x = b for a symmetric positive definite A whose lower triangle is filled
    /// (row-major [size, size]); nil when A is not positive definite.
    static func choleskySolve(_ a: [Double], _ b: [Double], size m: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for j in 0...i {
                var s = a[i * m + j]
                for k in 0..<j { s -= l[i * m + k] * l[j * m + k] }
                if i == j {
                    guard s > 0 else { return nil }
                    l[i * m + i] = s.squareRoot()
                } else {
                    l[i * m + j] = s / l[j * m + j]
                }
            }
        }
        var y = b
        for i in 0..<m {
            for k in 0..<i { y[i] -= l[i * m + k] * y[k] }
            y[i] /= l[i * m + i]
        }
        for i in stride(from: m - 1, through: 0, by: -1) {
            for k in (i + 1)..<m { y[i] -= l[k * m + i] * y[k] }
            y[i] /= l[i * m + i]
        }
        return y
    }
}
