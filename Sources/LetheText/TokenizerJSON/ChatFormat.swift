/// One message of a conversation: a role (`system`, `user`, `assistant`) and its text.
public struct ChatMessage: Sendable, Equatable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// How an instruction-tuned model expects a conversation as text: the chat templates Lethe
/// renders itself (no Jinja interpreter), equal to transformers' `apply_chat_template` on the
/// templates they are recognised from.
///
///     chatml   (SmolLM2, Qwen2, ...)  for each message:  <|im_start|>{role}\n{content}<|im_end|>\n
///              generation prompt:                         <|im_start|>assistant\n
///              a conversation without a system message first gets `defaultSystemPrompt`, if set
///     llama3   {bos} then for each:   <|start_header_id|>{role}<|end_header_id|>\n\n{content, trimmed}<|eot_id|>
///              generation prompt:     <|start_header_id|>assistant<|end_header_id|>\n\n
///     llama3.1 (3.1, 3.2, 3.3) as llama3, after a system turn that always comes first:
///              <|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n
///              Today Date: {date}\n\n{the first system message, trimmed, or nothing}<|eot_id|>
///              (tool calling is not rendered; `date` is the template's fallback, "26 Jul 2024":
///              transformers renders today's date for Llama 3.2's template, so name the day
///              explicitly to match it)
///
/// References: the `chat_template` of HuggingFaceTB/SmolLM2-135M-Instruct, of
/// meta-llama/Meta-Llama-3-8B-Instruct and of meta-llama/Llama-3.1-8B-Instruct (`tokenizer_config.json`).
public struct ChatFormat: Sendable, Equatable {
    /// The template family.
    public enum Style: String, Sendable, CaseIterable {
        case chatML = "chatml"
        case llama3 = "llama3"
        case llama31 = "llama3.1"
    }

    public var style: Style
    /// The system message a ChatML template puts first when the conversation has none
    /// (SmolLM2: "You are a helpful AI assistant named SmolLM, trained by Hugging Face").
    public var defaultSystemPrompt: String?
    /// The "Today Date" of a Llama 3.1 system turn.
    public var date: String

    public init(style: Style, defaultSystemPrompt: String? = nil, date: String = "26 Jul 2024") {
        self.style = style
        self.defaultSystemPrompt = defaultSystemPrompt
        self.date = date
    }

    /// The format named `chatml`, `llama3` or `llama3.1` (as a recipe names it), or `nil`.
    public init?(named name: String) {
        guard let style = Style(rawValue: name.lowercased()) else { return nil }
        self.init(style: style)
    }

    /// The format of a `chat_template`, recognised by its markers (`<|im_start|>`; or
    /// `<|start_header_id|>` with `<|eot_id|>`, and `Cutting Knowledge Date` for Llama 3.1), with a
    /// ChatML template's literal default system message and a Llama 3.1 template's fallback date;
    /// `nil` for templates of other families.
    public init?(recognizing template: String) {
        if template.contains("<|im_start|>") {
            self.init(style: .chatML, defaultSystemPrompt: Self.literalSystemPrompt(in: template))
        } else if template.contains("<|start_header_id|>") && template.contains("<|eot_id|>") {
            guard template.contains("Cutting Knowledge Date") else {
                self.init(style: .llama3)
                return
            }
            self.init(style: .llama31, date: Self.fallbackDate(in: template) ?? "26 Jul 2024")
        } else {
            return nil
        }
    }

    /// The conversation as the model's prompt text.
    ///
    /// - Parameters:
    ///   - addGenerationPrompt: end with the header of an assistant turn, for the model to answer.
    ///   - beginOfSequence: the BOS token's text, which the Llama-3 template writes first.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool, beginOfSequence: String = "") -> String {
        var text = ""
        switch style {
        case .chatML:
            if let system = defaultSystemPrompt, messages.first?.role != "system" {
                text += "<|im_start|>system\n\(system)<|im_end|>\n"
            }
            for message in messages { text += "<|im_start|>\(message.role)\n\(message.content)<|im_end|>\n" }
            if addGenerationPrompt { text += "<|im_start|>assistant\n" }
        case .llama3:
            text += beginOfSequence
            for message in messages {
                text += "<|start_header_id|>\(message.role)<|end_header_id|>\n\n\(Self.trimmed(message.content))<|eot_id|>"
            }
            if addGenerationPrompt { text += "<|start_header_id|>assistant<|end_header_id|>\n\n" }
        case .llama31:
            var turns = messages[...]
            var system = ""
            if let first = turns.first, first.role == "system" {
                system = Self.trimmed(first.content)
                turns = turns.dropFirst()
            }
            text += beginOfSequence + "<|start_header_id|>system<|end_header_id|>\n\n"
            text += "Cutting Knowledge Date: December 2023\nToday Date: \(date)\n\n\(system)<|eot_id|>"
            for message in turns {
                text += "<|start_header_id|>\(message.role)<|end_header_id|>\n\n\(Self.trimmed(message.content))<|eot_id|>"
            }
            if addGenerationPrompt { text += "<|start_header_id|>assistant<|end_header_id|>\n\n" }
        }
        return text
    }

    /// The date of `set date_string = "..."` in a Llama 3.1 template.
    static func fallbackDate(in template: String) -> String? {
        guard let start = template.range(of: "set date_string = \""),
            let end = template.range(of: "\"", range: start.upperBound..<template.endIndex)
        else { return nil }
        return String(template[start.upperBound..<end.lowerBound])
    }

    /// Jinja's `trim` (Python's `str.strip()`): leading and trailing whitespace, as `str.isspace`
    /// has it (White_Space plus the separators U+001C...U+001F).
    static func trimmed(_ text: String) -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
        }
        var scalars = Substring(text).unicodeScalars
        while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
        while let last = scalars.last, isSpace(last) { scalars.removeLast() }
        return String(scalars)
    }

    /// The literal text of `'<|im_start|>system\n...<|im_end|>` in a template (a default system
    /// message), with the Jinja string escapes `\n`, `\'`, `\\` read; `nil` when the system turn
    /// is built from a variable.
    static func literalSystemPrompt(in template: String) -> String? {
        for opening in ["<|im_start|>system\\n", "<|im_start|>system\n"] {
            guard let start = template.range(of: opening), let end = template.range(of: "<|im_end|>", range: start.upperBound..<template.endIndex)
            else { continue }
            let literal = template[start.upperBound..<end.lowerBound]
            if literal.contains(where: { "'\"+{}".contains($0) }) { continue }
            var text = ""
            var escaped = false
            for character in literal {
                if escaped {
                    text.append(character == "n" ? "\n" : character == "t" ? "\t" : character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else {
                    text.append(character)
                }
            }
            return text
        }
        return nil
    }
}

extension TextTokenizer {
    /// The ids of a conversation rendered by `format`, without the post-processor's tokens (the
    /// template writes its own BOS), as transformers' `apply_chat_template(tokenize=True)` gives them.
    public func encode(chat messages: [ChatMessage], format: ChatFormat, addGenerationPrompt: Bool) -> [Int] {
        let bos = specialTokenIDs.beginOfSequence.flatMap { token(for: $0) } ?? ""
        return encode(format.render(messages, addGenerationPrompt: addGenerationPrompt, beginOfSequence: bos), addingSpecialTokens: false)
    }
}

extension PipelineTokenizer {
    /// The chat format named `name` (`chatml`, `llama3`, `llama3.1`), or else the one recognised from the
    /// tokenizer's `chat_template`.
    ///
    /// - Throws: `TokenizerError.invalidArgument` for an unknown name, or when no name is given
    ///   and the tokenizer has no template Lethe recognises.
    public func chatFormat(named name: String? = nil) throws -> ChatFormat {
        if let name {
            guard let format = ChatFormat(named: name) else {
                let known = ChatFormat.Style.allCases.map(\.rawValue).joined(separator: ", ")
                throw TokenizerError.invalidArgument("chat format \(quoted(name)) is not one of \(known)")
            }
            return format
        }
        guard let template = chatTemplate else {
            throw TokenizerError.invalidArgument("\(path): the tokenizer has no chat template; name a chat format (chatml, llama3, llama3.1)")
        }
        guard let format = ChatFormat(recognizing: template) else {
            throw TokenizerError.invalidArgument(
                "\(path): chat_template is neither ChatML nor Llama 3 (no <|im_start|> or <|start_header_id|>); name a chat format")
        }
        return format
    }
}
