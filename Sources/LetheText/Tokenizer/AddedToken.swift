/// A token matched in the raw text before pre-tokenisation, such as `<|endoftext|>`: Hugging
/// Face's `AddedToken` (an entry of `added_tokens` in `tokenizer.json`).
///
/// Matching, as in `tokenizers`' `AddedVocabulary`: leftmost-longest occurrence of any added
/// token; tokens with `normalized == false` are matched first, then the others in the text
/// between; `leftStrip`/`rightStrip` swallow the whitespace before/after an occurrence into it;
/// a `singleWord` token only matches between non-word characters (`\w`: see `WordClass`).
public struct AddedToken: Sendable, Equatable {
    /// The token's text, matched byte for byte.
    public var content: String
    /// Its id.
    public var id: Int
    /// Whether it is special (control tokens such as `<|endoftext|>`; see `AllowedSpecialTokens`).
    public var special: Bool
    /// Match only as a whole word.
    public var singleWord: Bool
    /// Absorb whitespace on the left of an occurrence.
    public var leftStrip: Bool
    /// Absorb whitespace on the right of an occurrence.
    public var rightStrip: Bool
    /// Match in normalised text (second pass) rather than raw text (first pass).
    public var normalized: Bool

    /// An added token; by default a special one, matched in raw text (`normalized` defaults to
    /// `!special`, as in `tokenizers`).
    public init(
        content: String, id: Int, special: Bool = true, singleWord: Bool = false,
        leftStrip: Bool = false, rightStrip: Bool = false, normalized: Bool? = nil
    ) {
        self.content = content
        self.id = id
        self.special = special
        self.singleWord = singleWord
        self.leftStrip = leftStrip
        self.rightStrip = rightStrip
        self.normalized = normalized ?? !special
    }
}

/// Which special added tokens `encode` recognises in the text. Non-special added tokens are
/// always recognised; an unrecognised special token is encoded as ordinary text.
public enum AllowedSpecialTokens: Sendable, Equatable {
    /// Every special token (the Hugging Face `tokenizers` default).
    case all
    /// None: `"<|endoftext|>"` in the text becomes `<`, `|`, `endoftext`, ... (HF's
    /// `split_special_tokens=True`; the safe choice for untrusted text).
    case none
    /// Only these special tokens, by content.
    case only(Set<String>)

    func allows(_ token: AddedToken) -> Bool {
        guard token.special else { return true }
        switch self {
        case .all: return true
        case .none: return false
        case .only(let contents): return contents.contains(token.content)
        }
    }
}
