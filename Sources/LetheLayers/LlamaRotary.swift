import Foundation

/// Rotary position settings of a Llama-family model: the base θ (`rope_theta`) and the
/// `rope_scaling` (transformers 4) / `rope_parameters` (transformers 5) entry. Types:
/// `default`, `linear` (every inverse frequency divided by `factor`) and `llama3` (Llama 3.1's
/// wavelength-dependent scaling); `dynamic`, `yarn`, `longrope` and others are refused.
/// Reference: transformers/modeling_rope_utils.py (`_compute_default_rope_parameters`,
/// `_compute_linear_scaling_rope_parameters`, `_compute_llama3_parameters`).
public struct RotaryConfiguration: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable { case `default`, linear, llama3 }

    public var type: Kind
    public var theta: Double?
    public var factor: Double?
    public var lowFrequencyFactor: Double?
    public var highFrequencyFactor: Double?
    public var originalContextLength: Int?

    public init(
        type: Kind = .default, theta: Double? = 10000, factor: Double? = nil, lowFrequencyFactor: Double? = nil,
        highFrequencyFactor: Double? = nil, originalContextLength: Int? = nil
    ) {
        (self.type, self.theta, self.factor) = (type, theta, factor)
        (self.lowFrequencyFactor, self.highFrequencyFactor, self.originalContextLength) = (lowFrequencyFactor, highFrequencyFactor, originalContextLength)
    }

    enum CodingKeys: String, CodingKey {
        case type = "rope_type"
        case legacyType = "type"
        case theta = "rope_theta"
        case factor
        case lowFrequencyFactor = "low_freq_factor"
        case highFrequencyFactor = "high_freq_factor"
        case originalContextLength = "original_max_position_embeddings"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decodeIfPresent(String.self, forKey: .type) ?? c.decodeIfPresent(String.self, forKey: .legacyType) ?? "default"
        guard let kind = Kind(rawValue: name) else {
            throw LayerError.invalidConfiguration(
                key: "rope_scaling", reason: "rope type \(name) is not implemented (Lethe has default, linear and llama3)")
        }
        type = kind
        theta = try c.decodeIfPresent(Double.self, forKey: .theta)
        factor = try c.decodeIfPresent(Double.self, forKey: .factor)
        lowFrequencyFactor = try c.decodeIfPresent(Double.self, forKey: .lowFrequencyFactor)
        highFrequencyFactor = try c.decodeIfPresent(Double.self, forKey: .highFrequencyFactor)
        originalContextLength = try c.decodeIfPresent(Int.self, forKey: .originalContextLength)
    }

    /// The `rope_scaling` object (without θ, which config.json holds as `rope_theta`).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encodeIfPresent(factor, forKey: .factor)
        try c.encodeIfPresent(lowFrequencyFactor, forKey: .lowFrequencyFactor)
        try c.encodeIfPresent(highFrequencyFactor, forKey: .highFrequencyFactor)
        try c.encodeIfPresent(originalContextLength, forKey: .originalContextLength)
    }

    func validate(headSize: Int) throws {
        func bad(_ reason: String) -> LayerError { .invalidConfiguration(key: "rope_scaling", reason: reason) }
        guard let base = theta, base > 1, base.isFinite else {
            throw LayerError.invalidConfiguration(key: "rope_theta", reason: "must be a finite number above 1, got \(theta.map { "\($0)" } ?? "none")")
        }
        switch type {
        case .default: return
        case .linear:
            guard let factor, factor > 0, factor.isFinite else { throw bad("linear scaling needs a positive factor") }
        case .llama3:
            guard let factor, factor > 0, let low = lowFrequencyFactor, let high = highFrequencyFactor, high > low, low > 0,
                let original = originalContextLength, original > 0
            else {
                throw bad("llama3 scaling needs factor, low_freq_factor < high_freq_factor and original_max_position_embeddings")
            }
        }
    }

    /// inv_freq [D/2] in float32 arithmetic as transformers computes it:
    /// inv_freqᵢ = 1 / θ^(2i/D), then scaled by the rope type.
    public func inverseFrequencies(headSize D: Int) -> [Double] {
        let base = Float(theta ?? 10000)
        var frequencies = stride(from: 0, to: D, by: 2).map { Float(1) / Foundation.powf(base, Float($0) / Float(D)) }
        switch type {
        case .default: break
        case .linear: frequencies = frequencies.map { $0 / Float(factor ?? 1) }
        case .llama3: frequencies = frequencies.map(llama3)
        }
        return frequencies.map(Double.init)
    }

    /// `_compute_llama3_parameters`: wavelengths beyond original/low_freq_factor are slowed by
    /// `factor`, those under original/high_freq_factor kept, those between interpolated.
    private func llama3(_ frequency: Float) -> Float {
        let (factor, low, high) = (Float(factor ?? 1), Float(lowFrequencyFactor ?? 1), Float(highFrequencyFactor ?? 4))
        let original = Float(originalContextLength ?? 8192)
        let (lowWavelength, highWavelength) = (original / low, original / high)
        let wavelength = Float(2 * Double.pi) / frequency
        let scaled = wavelength > lowWavelength ? frequency / factor : frequency
        let smooth = (original / wavelength - low) / (high - low)
        let smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        let medium = !(wavelength < highWavelength) && !(wavelength > lowWavelength)
        return medium ? smoothed : scaled
    }
}
