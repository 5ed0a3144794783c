import Foundation
import LetheText
import Testing

/// The built-in chat formats render conversations as transformers' `apply_chat_template` does
/// on the templates they are recognised from (`Fixtures/tokenizer_json/chat/chat.json`).
@Suite struct ChatFormatTests {
    struct Rendering {
        var setup: String
        var kind: String
        var template: String
        var messages: [ChatMessage]
        var addGenerationPrompt: Bool
        var text: String
        var ids: [Int]
    }

    static func renderings() throws -> [Rendering] {
        let data = try Data(contentsOf: URL(fileURLWithPath: TokenizerJSONGoldenTests.path("chat", "chat.json")))
        let list = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        return try list.map { entry in
            let messages = try #require(entry["messages"] as? [[String: String]])
            return Rendering(
                setup: try #require(entry["setup"] as? String), kind: try #require(entry["kind"] as? String),
                template: try #require(entry["template"] as? String),
                messages: messages.map { ChatMessage(role: $0["role"] ?? "", content: $0["content"] ?? "") },
                addGenerationPrompt: try #require(entry["add_generation_prompt"] as? Bool),
                text: try #require(entry["text"] as? String), ids: try #require(entry["ids"] as? [Int]))
        }
    }

    @Test func rendersAsTransformers() throws {
        let renderings = try Self.renderings()
        #expect(renderings.count == 24)
        for r in renderings {
            let tokenizer = try PipelineTokenizer.load(from: TokenizerJSONGoldenTests.path(r.kind))
            let format = try #require(ChatFormat(recognizing: r.template))
            let bos = tokenizer.specialTokenIDs.beginOfSequence.flatMap { tokenizer.token(for: $0) } ?? ""
            let text = format.render(r.messages, addGenerationPrompt: r.addGenerationPrompt, beginOfSequence: bos)
            #expect(text == r.text, "\(r.setup): \(text.debugDescription) != \(r.text.debugDescription)")
            let ids = tokenizer.encode(chat: r.messages, format: format, addGenerationPrompt: r.addGenerationPrompt)
            #expect(ids == r.ids, "\(r.setup)")
        }
    }

    /// The folder's `tokenizer_config.json` gives the template, BOS/EOS and padding.
    @Test func formatComesFromTheTokenizerConfiguration() throws {
        let qwen = try PipelineTokenizer.load(from: TokenizerJSONGoldenTests.path("qwen2", ""))
        let chatML = try qwen.chatFormat()
        #expect(chatML == ChatFormat(style: .chatML, defaultSystemPrompt: "You are a helpful AI assistant named SmolLM, trained by Hugging Face"))
        #expect(qwen.specialTokenIDs == SpecialTokenIDs(endOfSequence: qwen.id(for: "<|im_end|>"), padding: qwen.id(for: "<|endoftext|>")))
        let llama = try PipelineTokenizer.load(from: TokenizerJSONGoldenTests.path("llama3", ""))
        #expect(try llama.chatFormat() == .init(style: .llama3))
        #expect(llama.specialTokenIDs.beginOfSequence == llama.id(for: "<|begin_of_text|>"))
        #expect(llama.specialTokenIDs.endOfSequence == llama.id(for: "<|eot_id|>"))
        #expect(try qwen.chatFormat(named: "llama3").style == .llama3)
        #expect(throws: TokenizerError.self) { try qwen.chatFormat(named: "zephyr") }
        let bare = try PipelineTokenizer(tokenizerJSON: TokenizerJSONGoldenTests.path("gpt2"))
        #expect(throws: TokenizerError.self) { try bare.chatFormat() }
    }

    @Test func recognisesTemplatesByTheirMarkers() {
        #expect(ChatFormat(recognizing: "{{ '<|im_start|>' + message['role'] }}") == ChatFormat(style: .chatML))
        #expect(ChatFormat(recognizing: "{% if x %}<|start_header_id|>{{ role }}<|end_header_id|>{{ c }}<|eot_id|>") == ChatFormat(style: .llama3))
        #expect(ChatFormat(recognizing: "[INST] {{ message['content'] }} [/INST]") == nil)
        // A system turn built from the messages is no default prompt.
        let fromMessages = ChatFormat(recognizing: "{{ '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>' }}")
        #expect(fromMessages == ChatFormat(style: .chatML))
    }

    @Test func llama31DateComesFromTheTemplate() {
        let format = ChatFormat(recognizing: "<|start_header_id|>{%- set date_string = \"01 Jan 2025\" %}Cutting Knowledge Date<|eot_id|>")
        #expect(format == ChatFormat(style: .llama31, date: "01 Jan 2025"))
        #expect(ChatFormat(named: "llama3.1")?.style == .llama31)
    }

    /// Jinja's `trim` strips what Python's `str.isspace` calls space.
    @Test func llama3TrimsContent() {
        let text = ChatFormat(style: .llama3).render(
            [ChatMessage(role: "user", content: "\u{1F}\u{A0} hi \u{3000}\n")], addGenerationPrompt: false)
        #expect(text == "<|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>")
    }
}
