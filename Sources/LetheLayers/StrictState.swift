import LetheTensor

/// A tensor of a state dict that must equal another one of the same dict (a tied head):
/// accepted only when it does.
public struct TiedTensor {
    public let key: String
    public let value: Tensor
    /// The parameter it must equal.
    public let equals: String
    /// Why, for the error (`Lethe's GPT-2 ties them`).
    public let reason: String

    public init(key: String, value: Tensor, equals: String, reason: String) {
        (self.key, self.value, self.equals, self.reason) = (key, value, equals, reason)
    }
}

extension NamedTensors {
    /// The strict half of every family's `loadState`: `state` holds values by parameter name
    /// (the family has already mapped Hugging Face's keys and set aside `unexpected` ones and
    /// `tied` copies). Every missing, unexpected, mis-shaped or differing tied tensor is reported
    /// together in one `LayerError.stateMismatch` naming `source`; otherwise each value is
    /// copied in (Float64 converted).
    public func assignStrictly(_ state: [String: Tensor], unexpected: [String], tied: [TiedTensor] = [], source: String) throws {
        var unexpected = unexpected
        var missing: [String] = []
        var misshapen: [String] = []
        for (name, target) in zip(names, tensors) {
            guard let value = state[name] else {
                missing.append(name)
                continue
            }
            if value.shape != target.shape { misshapen.append("\(name) has \(value.shape), the model needs \(target.shape)") }
        }
        for tie in tied {
            if let other = state[tie.equals], tie.value.shape != other.shape || tie.value.doubles != other.doubles {
                unexpected.append("\(tie.key) (differs from \(tie.equals); \(tie.reason))")
            }
        }
        guard missing.isEmpty, unexpected.isEmpty, misshapen.isEmpty else {
            throw LayerError.stateMismatch(source: source, missing: missing, unexpected: unexpected.sorted(), misshapen: misshapen)
        }
        for (name, target) in zip(names, tensors) {
            guard let value = state[name] else { continue }
            try target.assign(value.dtype == target.dtype ? value : value.converted(to: target.dtype))
        }
    }
}
