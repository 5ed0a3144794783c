import ArgumentParser
import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import LetheText

/// `lethe generate`: continue prompts with a model (greedy at temperature 0, else sampled).
public struct GenerateCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue prompts with a model and print each prompt and its continuation.",
        discussion: """
            --prompts reads a .txt file (one prompt per non-empty line) or JSONL/CSV (the
            prompt, else the text field). Prompts longer than the model's context minus
            --max-new-tokens keep their last tokens. Generation stops at the end-of-text token.
            Text output: "prompt: ..." then "continuation: ..." per prompt, a blank line between;
            --json prints one object per line: {"prompt": .., "continuation": .., "tokens": n}.
            """)

    @Option(help: "A Hugging Face model folder (GPT-2, Llama family), a GGUF file or a Lethe checkpoint (.h5).")
    var model: String
    @Option(help: "tokenizer.json (any Hugging Face BPE pipeline), vocab.json, a folder holding them, or a GGUF file (default: the model's folder, or the GGUF model itself).")
    var tokenizer: String?
    @Option(help: "A prompt (repeatable).")
    var prompt: [String] = []
    @Option(help: "A user message to an instruction-tuned model, rendered with its chat format (repeatable: one conversation each).")
    var chat: [String] = []
    @Option(help: "A system message for --chat.")
    var system: String?
    @Option(help: "The chat format: chatml, llama3 or llama3.1 (default: recognised from the tokenizer's chat_template).")
    var chatFormat: String?
    @Option(help: "A file of prompts (.txt: one per line; .jsonl/.csv: prompt or text field).")
    var prompts: String?
    @Option(help: "New tokens per prompt.")
    var maxNewTokens = 40
    @Option(help: "0 is greedy decoding; above 0 samples.")
    var temperature = 0.0
    @Option(help: "Sample among the k most likely tokens.")
    var topK: Int?
    @Option(help: "Sample among the most likely tokens up to this total probability.")
    var topP: Double?
    @Option(help: "Seed of the sampling.")
    var seed: UInt64 = 0
    @Option(help: "Prompts per batch.")
    var batch = 8
    @Flag(help: "Print JSON lines.")
    var json = false

    public func validate() throws {
        if prompt.isEmpty && prompts == nil && chat.isEmpty { throw ValidationError("give --prompt TEXT (repeatable), --prompts FILE or --chat TEXT") }
        if !chat.isEmpty && (!prompt.isEmpty || prompts != nil) { throw ValidationError("--chat cannot be combined with --prompt or --prompts") }
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
    }

    public func run() throws {
        let tokenizer = try self.tokenizer ?? tokenizerPath(ofModel: model)
        for (option, path) in [("--model", model), ("--tokenizer", tokenizer)] + (prompts.map { [("--prompts", $0)] } ?? [])
        where !FileManager.default.fileExists(atPath: path) {
            throw CommandError("\(option) \(path): no such file or folder")
        }
        var texts = chat.isEmpty ? prompt : chat
        if let prompts {
            texts += try DatasetLoader.load(path: prompts).compactMap { $0.prompt ?? $0.text }
            if texts.isEmpty { throw CommandError("--prompts \(prompts): no prompt in the file") }
        }
        let network = try loadModel(model)
        let encoder = try ModelFile.loadTokenizer(tokenizer)
        try network.requireFits(tokenizer: encoder, tokenizerSource: tokenizer, modelSource: model)
        let context = network.dimensions.contextLength
        guard maxNewTokens >= 0, maxNewTokens < context else {
            throw CommandError("--max-new-tokens must be in 0..<\(context) (the model's context)")
        }
        let configuration = GenerationConfiguration(maxNewTokens: maxNewTokens, temperature: temperature, topK: topK, topP: topP)
        var rng = RandomGenerator(seed: seed)
        for start in stride(from: 0, to: texts.count, by: batch) {
            let chunk = Array(texts[start..<min(texts.count, start + batch)])
            let ids = try chunk.map { text -> [Int] in
                let encoded = try chat.isEmpty ? encoder.encode(text) : chatIDs(text, encoder)
                let tokens = Array(encoded.suffix(context - maxNewTokens))
                if !tokens.isEmpty { return tokens }
                guard let endOfText = encoder.endOfSequenceID else { throw CommandError("an empty prompt needs a tokenizer with an end-of-sequence token") }
                return [endOfText]
            }
            let continuations = try network.generate(prompts: ids, configuration: configuration, rng: &rng)
            for (text, tokens) in zip(chunk, continuations) {
                let continuation = encoder.decode(tokens, skipSpecialTokens: true)
                if json {
                    let object: [String: Any] = ["prompt": text, "continuation": continuation, "tokens": tokens.count]
                    print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
                } else {
                    print("prompt: \(text)\ncontinuation: \(continuation)\n")
                }
            }
        }
    }

    /// A user message (after `--system`, if given) in the model's chat format, ready for the
    /// assistant's answer.
    private func chatIDs(_ message: String, _ tokenizer: any TextTokenizer) throws -> [Int] {
        let format: ChatFormat
        if let pipeline = tokenizer as? PipelineTokenizer {
            format = try pipeline.chatFormat(named: chatFormat)
        } else if let name = chatFormat, let named = ChatFormat(named: name) {
            format = named
        } else {
            throw ValidationError("--chat needs a tokenizer with a chat template, or --chat-format chatml|llama3|llama3.1")
        }
        let messages = (system.map { [ChatMessage(role: "system", content: $0)] } ?? []) + [ChatMessage(role: "user", content: message)]
        return tokenizer.encode(chat: messages, format: format, addGenerationPrompt: true)
    }
}
