/// A `tokenizer.json` decoder: turns the token texts of some ids back into text, as Hugging
/// Face `tokenizers`' `decode_chain` does; the final pieces are concatenated.
///
///     ByteLevel          all tokens -> their bytes (ByteLevelAlphabet; a token with another
///                        scalar keeps its UTF-8) -> one text, cut UTF-8 as U+FFFD
///     Metaspace          "▁" -> " ", and in the first token every "▁" dropped (prepend_scheme
///                        always / first)
///     ByteFallback       runs of <0xNN> tokens -> their bytes as UTF-8, or one U+FFFD per byte
///                        when invalid
///     Fuse               all tokens -> one
///     Strip(c, start, stop)  up to `start` leading and `stop` trailing c removed from each token
///     Replace(p, c)      literal p -> c in each token
///     BPEDecoder(suffix) each end-of-word suffix -> " ", or "" in the last token
///     Sequence           each in order
///
/// Reference: https://github.com/huggingface/tokenizers/tree/main/tokenizers/src/decoders
indirect enum TokenDecoderStep: Sendable, Equatable {
    case byteLevel
    case metaspace(replacement: Unicode.Scalar, dropsFirstReplacement: Bool)
    case byteFallback
    case fuse
    case strip(content: Unicode.Scalar, start: Int, stop: Int)
    case replace(pattern: String, content: String)
    /// Each end-of-word suffix becomes a space, or nothing in the last token.
    case endOfWordSuffix(String)
    case sequence([TokenDecoderStep])

    /// The tokens after this step.
    func apply(_ tokens: [String]) -> [String] {
        switch self {
        case .sequence(let steps):
            return steps.reduce(tokens) { $1.apply($0) }
        case .byteLevel:
            return [String(decoding: tokens.flatMap { ByteLevelAlphabet.decode($0) }, as: UTF8.self)]
        case .fuse:
            return [tokens.joined()]
        case .endOfWordSuffix(let suffix):
            return tokens.enumerated().map { index, token in
                replacingLiteral(suffix, with: index == tokens.count - 1 ? "" : " ", in: token)
            }
        case .replace(let pattern, let content):
            return tokens.map { replacingLiteral(pattern, with: content, in: $0) }
        case .metaspace(let replacement, let dropsFirst):
            return tokens.enumerated().map { index, token in
                var scalars = String.UnicodeScalarView()
                for scalar in token.unicodeScalars {
                    if scalar != replacement {
                        scalars.append(scalar)
                    } else if !(index == 0 && dropsFirst) {
                        scalars.append(" ")
                    }
                }
                return String(scalars)
            }
        case .strip(let content, let start, let stop):
            return tokens.map { token in
                let characters = Array(token.unicodeScalars)
                var from = 0
                while from < min(start, characters.count) && characters[from] == content { from += 1 }
                var to = characters.count
                var removed = 0
                while removed < stop && to > from && characters[to - 1] == content {
                    to -= 1
                    removed += 1
                }
                return String(String.UnicodeScalarView(characters[from..<to]))
            }
        case .byteFallback:
            var result: [String] = []
            var pending: [UInt8] = []
            func flush() {
                guard !pending.isEmpty else { return }
                if let text = String(validating: pending, as: UTF8.self) {
                    result.append(text)
                } else {
                    result += Array(repeating: "\u{FFFD}", count: pending.count)
                }
                pending.removeAll()
            }
            for token in tokens {
                if let byte = Self.fallbackByte(token) {
                    pending.append(byte)
                } else {
                    flush()
                    result.append(token)
                }
            }
            flush()
            return result
        }
    }

    /// The byte of a `<0xNN>` token, or `nil`.
    static func fallbackByte(_ token: String) -> UInt8? {
        let bytes = Array(token.utf8)
        guard bytes.count == 6, bytes.starts(with: Array("<0x".utf8)), bytes[5] == 0x3E else { return nil }
        return UInt8(String(decoding: bytes[3..<5], as: UTF8.self), radix: 16)
    }

    /// Reads the decoder object `json`.
    ///
    /// - Throws: `TokenizerError.unsupported` naming the JSON path of an unknown `type`.
    init(json: JSONFile) throws {
        let type = try json.componentType()
        switch type {
        case "ByteLevel": self = .byteLevel
        case "ByteFallback": self = .byteFallback
        case "Fuse": self = .fuse
        case "BPEDecoder": self = .endOfWordSuffix(try json.optionalString("suffix") ?? "</w>")
        case "Metaspace":
            let replacement = try json.optionalString("replacement") ?? "\u{2581}"
            guard replacement.unicodeScalars.count == 1, let character = replacement.unicodeScalars.first else {
                throw json.invalid("replacement", "expected one character, found \(quoted(replacement))")
            }
            let legacyPrefix = try json.optionalBool("add_prefix_space") ?? true
            let scheme = try json.optionalString("prepend_scheme") ?? (legacyPrefix ? "always" : "never")
            self = .metaspace(replacement: character, dropsFirstReplacement: scheme != "never")
        case "Strip":
            let content = try json.string("content")
            guard content.unicodeScalars.count == 1, let character = content.unicodeScalars.first else {
                throw json.invalid("content", "expected one character, found \(quoted(content))")
            }
            self = .strip(content: character, start: try json.optionalInt("start") ?? 0, stop: try json.optionalInt("stop") ?? 0)
        case "Replace":
            self = .replace(pattern: try json.literalPattern("pattern"), content: try json.string("content"))
        case "Sequence":
            self = .sequence(try json.objects("decoders").map { try TokenDecoderStep(json: $0) })
        default:
            throw json.unsupportedType(type)
        }
    }
}
