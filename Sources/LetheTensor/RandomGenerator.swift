import Foundation

/// The one source of randomness in Lethe: a seedable xoshiro256** generator (Blackman and
/// Vigna 2018), seeded through SplitMix64. A value type passed `inout` where randomness is
/// needed (initialisation, dropout, shuffling, sampling); no hidden global state. Its `state`
/// can be saved in a checkpoint and restored exactly.
public struct RandomGenerator: RandomNumberGenerator, Sendable, Equatable {
    /// The four words of generator state.
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// Restores a generator from a saved `stateWords`.
    /// - Throws: `TensorError.invalidArgument` unless there are four words, not all zero.
    public init(stateWords: [UInt64]) throws {
        guard stateWords.count == 4, stateWords.contains(where: { $0 != 0 }) else {
            throw TensorError.invalidArgument(
                op: "RandomGenerator", reason: "state needs four words, not all zero")
        }
        state = (stateWords[0], stateWords[1], stateWords[2], stateWords[3])
    }

    /// The state as four words, for checkpoints.
    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    /// Uniform in [0, 1), 53 random bits.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Standard normal (Box-Muller; one value per call, so the stream is simple to replay).
    public mutating func nextNormal() -> Double {
        let u1 = max(nextUniform(), .leastNonzeroMagnitude)
        let u2 = nextUniform()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * .pi * u2)
    }

    /// A child generator for an independent stream (e.g. one per data loader), advancing self.
    public mutating func split() -> RandomGenerator { RandomGenerator(seed: next()) }

    public static func == (a: RandomGenerator, b: RandomGenerator) -> Bool {
        a.stateWords == b.stateWords
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

extension Tensor {
    /// Values drawn from N(mean, std²).
    public static func randomNormal(
        _ shape: [Int], mean: Double = 0, std: Double = 1, dtype: DType = .float32,
        using rng: inout RandomGenerator, requiresGrad: Bool = false
    ) -> Tensor {
        let out = Tensor(zeros: shape, dtype: dtype, requiresGrad: requiresGrad)
        out.fill { mean + std * rng.nextNormal() }
        return out
    }

    /// Values drawn uniformly from [low, high).
    public static func randomUniform(
        _ shape: [Int], low: Double = 0, high: Double = 1, dtype: DType = .float32,
        using rng: inout RandomGenerator, requiresGrad: Bool = false
    ) -> Tensor {
        let out = Tensor(zeros: shape, dtype: dtype, requiresGrad: requiresGrad)
        out.fill { low + (high - low) * rng.nextUniform() }
        return out
    }

    /// Overwrites the elements in order with values from `next`.
    public func fill(_ next: () -> Double) {
        switch dtype {
        case .float32:
            let p = pointer(Float.self)
            for i in 0..<count { p[i] = Float(next()) }
        case .float64:
            let p = pointer(Double.self)
            for i in 0..<count { p[i] = next() }
        }
    }
}
