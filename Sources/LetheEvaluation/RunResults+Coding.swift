import Foundation

/// A key of results.json: `label` or a suite's name.
struct ResultsKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension RunResults: Codable {
    /// Reads `label` and every other key as a suite's summary; a legacy top-level
    /// `privLeak` (results.json of older runs) moves into the membership report.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: ResultsKey.self)
        label = try container.decode(String.self, forKey: ResultsKey("label"))
        suites = [:]
        var legacyPrivLeak: [String: Double]?
        for key in container.allKeys where key.stringValue != "label" {
            if key.stringValue == "privLeak" {
                legacyPrivLeak = try container.decodeIfPresent([String: Double].self, forKey: key)
            } else if try !container.decodeNil(forKey: key) {
                suites[key.stringValue] = try container.decode(SuiteSummary.self, forKey: key)
            }
        }
        if let legacyPrivLeak, privLeak == nil { privLeak = legacyPrivLeak }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: ResultsKey.self)
        try container.encode(label, forKey: ResultsKey("label"))
        for (name, summary) in suites where !Self.reservedNames.contains(name) {
            try container.encode(summary, forKey: ResultsKey(name))
        }
    }
}

extension SuiteSummary: Codable {
    /// The payload itself (`PerplexityResult`, `MembershipReport`, ...), or
    /// `{"metrics": {...}}` for a plugin suite.
    public func encode(to encoder: Encoder) throws {
        switch self {
        case let .perplexity(r): try r.encode(to: encoder)
        case let .membership(r): try r.encode(to: encoder)
        case let .toxicity(r): try r.encode(to: encoder)
        case let .classification(r): try r.encode(to: encoder)
        case let .generic(m): try ["metrics": m].encode(to: encoder)
        }
    }

    /// Decodes by the key it is stored under (`perplexity`, `membership`, `toxicity`,
    /// `classification`); under any other name by its shape: `metrics` → a plugin suite,
    /// `attacks` → membership, `convention` → perplexity, `protocolName` → toxicity, else
    /// classification metrics per test set.
    public init(from decoder: Decoder) throws {
        let keys = Set(try decoder.container(keyedBy: ResultsKey.self).allKeys.map(\.stringValue))
        let kind: String
        switch decoder.codingPath.last?.stringValue {
        case let name? where ["perplexity", "membership", "toxicity", "classification"].contains(name): kind = name
        default:
            kind =
                keys == ["metrics"] ? "metrics"
                : keys.contains("attacks") ? "membership"
                : keys.contains("convention") ? "perplexity" : keys.contains("protocolName") ? "toxicity" : "classification"
        }
        switch kind {
        case "perplexity": self = .perplexity(try PerplexityResult(from: decoder))
        case "membership": self = .membership(try MembershipReport(from: decoder))
        case "toxicity": self = .toxicity(try RunResults.ToxicitySummary(from: decoder))
        case "metrics": self = .generic(try [String: [String: Double]](from: decoder)["metrics"] ?? [:])
        default: self = .classification(try [String: ClassificationMetrics](from: decoder))
        }
    }
}
