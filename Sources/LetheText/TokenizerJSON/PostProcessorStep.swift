/// A `tokenizer.json` post-processor: the ids it puts around one encoded text when special
/// tokens are added (`add_special_tokens=True`, the Hugging Face default).
///
///     TemplateProcessing   the `single` template: `$A` is the text's ids, each special token
///                          its `ids` (Llama: `<s> $A`; Llama 3: `<|begin_of_text|> $A`)
///     BertProcessing       cls $A sep;  RobertaProcessing: the same with its tokens
///     ByteLevel            nothing to the ids (it trims offsets, which Lethe does not keep)
///     Sequence             each in order
///
/// Pair templates (`$B`) are not used: Lethe encodes one text at a time.
///
/// Reference: https://github.com/huggingface/tokenizers/tree/main/tokenizers/src/processors
indirect enum PostProcessorStep: Sendable, Equatable {
    /// Ids before and after the text.
    case surround(before: [Int], after: [Int])
    case sequence([PostProcessorStep])

    /// The ids with the special tokens added.
    func apply(_ ids: [Int]) -> [Int] {
        switch self {
        case .surround(let before, let after): return before + ids + after
        case .sequence(let steps): return steps.reduce(ids) { $1.apply($0) }
        }
    }

    /// The ids added before the text, over the whole sequence of steps.
    var addedBefore: [Int] {
        switch self {
        case .surround(let before, _): return before
        case .sequence(let steps): return steps.reversed().flatMap(\.addedBefore)
        }
    }

    /// The ids added after the text, over the whole sequence of steps.
    var addedAfter: [Int] {
        switch self {
        case .surround(_, let after): return after
        case .sequence(let steps): return steps.flatMap(\.addedAfter)
        }
    }

    /// Reads the post-processor object `json`.
    ///
    /// - Throws: `TokenizerError.unsupported` naming the JSON path of an unknown `type` or a
    ///   template piece other than `SpecialToken` / `Sequence`; `.invalidKey` for a special
    ///   token the template uses but does not define.
    init(json: JSONFile) throws {
        let type = try json.componentType()
        switch type {
        case "ByteLevel":
            self = .sequence([])
        case "Sequence":
            self = .sequence(try json.objects("processors").map { try PostProcessorStep(json: $0) })
        case "BertProcessing", "RobertaProcessing":
            self = .surround(before: [try json.tokenPair("cls")], after: [try json.tokenPair("sep")])
        case "TemplateProcessing":
            let specials = try json.object("special_tokens")
            var before: [Int] = []
            var after: [Int] = []
            var seenText = false
            for (index, piece) in try json.objects("single").enumerated() {
                if piece.values["Sequence"] != nil {
                    seenText = true
                } else if let special = try piece.optionalObject("SpecialToken") {
                    let name = try special.string("id")
                    guard let definition = specials.values[name] else {
                        throw special.invalid("id", "\(quoted(name)) is not in \(specials.prefix.dropLast())")
                    }
                    let ids = try specials.nested(definition, key: specials.prefix + name).intArray("ids")
                    if seenText { after += ids } else { before += ids }
                } else {
                    throw TokenizerError.unsupported(
                        path: json.path, key: json.prefix + "single[\(index)]", value: "\(piece.values.keys.sorted())")
                }
            }
            self = .surround(before: before, after: after)
        default:
            throw json.unsupportedType(type)
        }
    }
}

extension JSONFile {
    /// The integers of the array at `key`.
    func intArray(_ key: String) throws -> [Int] {
        guard let list = values[key] as? [Any] else { throw invalid(key, "expected an array of integers") }
        return try list.map { value in
            guard let number = value as? Int else { throw invalid(key, "expected an integer, found \(value)") }
            return number
        }
    }

    /// The id of a `["token", id]` pair (BERT's `cls` and `sep`).
    func tokenPair(_ key: String) throws -> Int {
        guard let pair = values[key] as? [Any], pair.count == 2, let id = pair[1] as? Int else {
            throw invalid(key, "expected [\"token\", id]")
        }
        return id
    }
}
