import Foundation
import LetheTensor
import LetheText

/// `lethe bench tokenizer`: encode throughput (MB of UTF-8 per second) of Lethe's GPT-2
/// byte-level BPE tokenizer beside Hugging Face `tokenizers` (the peer
/// `scripts/reference/tokenizer_speed.py`), on one thread each, for the same tokenizer file and
/// the same text, in the same invocation:
///
///     ratio = Lethe MB/s / HF MB/s, HF taken at its faster mode (whole text or batch of lines)
///
/// The text is generated here from a seed (English-like prose with Zipf-distributed words,
/// names, numbers, contractions, code and some non-Latin scripts and emoji). Without a tokenizer
/// file, one is trained on the text with `BPETrainer`. Lethe times one `encode` call per run,
/// each with a fresh word cache (as a user call is); HF's cache stays warm across its runs.
/// The checksum of the ids, sum (i + 1) * ids[i] mod 2^61, must agree with Python's.
public struct TokenizerBenchmark {
    /// A `tokenizer.json` (or folder) to measure; `nil` trains one on the text.
    public var tokenizerPath: String?
    /// The vocabulary size when training.
    public var vocabularySize = 8192
    /// Size of the generated text.
    public var textMegabytes = 2.0
    public var seed: UInt64 = 0
    public var budget = 0.6
    public var peers: PeerScripts?

    public init(peers: PeerScripts?) { self.peers = peers }

    /// Runs the benchmark, printing through `log`, and returns the summary object that
    /// `lethe` prints as the last line (JSON).
    public func run(log: (String) -> Void) throws -> [String: Any] {
        let text = Self.sampleText(bytes: Int(textMegabytes * 1_000_000), seed: seed)
        let megabytes = Double(text.utf8.count) / 1e6
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lethe-bench-tokenizer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let textFile = folder.appendingPathComponent("text.txt").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: textFile))

        let tokenizer: GPT2Tokenizer
        var tokenizerFile = tokenizerPath ?? ""
        if let tokenizerPath {
            tokenizer = try GPT2Tokenizer.load(from: tokenizerPath)
            if !tokenizerPath.hasSuffix(".json") { tokenizerFile = tokenizerPath + "/tokenizer.json" }
        } else {
            let start = Date()
            var trainer = BPETrainer(vocabularySize: vocabularySize)
            trainer.add(text)
            tokenizer = try trainer.train()
            try tokenizer.save(to: folder.path)
            tokenizerFile = folder.appendingPathComponent("tokenizer.json").path
            log(String(format: "trained %d tokens on the text in %.2f s", tokenizer.vocabularySize, Date().timeIntervalSince(start)))
        }
        log(String(format: "Lethe tokenizer benchmark: %.2f MB of text, vocabulary %d, 1 thread", megabytes, tokenizer.vocabularySize))

        var ids: [Int] = []
        let whole = medianSeconds(budget: budget, repeats: 5) { ids = tokenizer.encode(text) }
        let lines = Self.lines(text)
        let batch = medianSeconds(budget: budget, repeats: 5) { _ = tokenizer.encode(batch: lines) }
        let checksum = Self.checksum(ids)
        let roundTrip = tokenizer.decode(ids) == text
        log(String(format: "lethe encode(text)         %8.2f MB/s   %d tokens", megabytes / whole, ids.count))
        log(String(format: "lethe encode(batch: lines) %8.2f MB/s", megabytes / batch))

        var summary: [String: Any] = [
            "bench": "tokenizer", "text_mb": megabytes, "vocab_size": tokenizer.vocabularySize, "tokens": ids.count,
            "lethe_mb_per_s": megabytes / whole, "lethe_batch_mb_per_s": megabytes / batch, "round_trip": roundTrip,
        ]
        if let peer = peers?.huggingFaceTokenizerSpeed(tokenizer: tokenizerFile, text: textFile),
            let wholeSeconds = peer["whole_s"] as? Double, let linesSeconds = peer["lines_s"] as? Double
        {
            let best = megabytes / min(wholeSeconds, linesSeconds)
            let matches = (peer["tokens"] as? Int) == ids.count && (peer["checksum"] as? UInt64) == checksum
            log(String(format: "hf tokenizers encode(text) %8.2f MB/s", megabytes / wholeSeconds))
            log(String(format: "hf tokenizers encode_batch %8.2f MB/s", megabytes / linesSeconds))
            log(String(format: "ratio vs hf (faster mode)  %8.2f   ids identical: %@", (megabytes / whole) / best, matches ? "yes" : "NO"))
            summary["hf_tokenizers_mb_per_s"] = best
            summary["hf_tokenizers_whole_mb_per_s"] = megabytes / wholeSeconds
            summary["hf_tokenizers_lines_mb_per_s"] = megabytes / linesSeconds
            summary["hf_tokenizers_version"] = peer["version"]
            summary["ratio_vs_hf_tokenizers"] = (megabytes / whole) / best
            summary["ids_match_hf"] = matches
        } else {
            log("hf tokenizers: unavailable (pip install tokenizers)")
            summary["hf_tokenizers"] = "unavailable"
        }
        return summary
    }

    /// sum over i of (i + 1) * ids[i], mod 2^61 (the peer computes the same).
    static func checksum(_ ids: [Int]) -> UInt64 {
        var sum: UInt64 = 0
        for (index, id) in ids.enumerated() { sum = (sum &+ UInt64(index + 1) &* UInt64(id)) % (1 << 61) }
        return sum
    }

    /// The lines of `text`, each keeping its "\n".
    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) + "\n" }
        if let last = lines.popLast(), last != "\n" { lines.append(String(last.dropLast())) }
        return lines
    }

    // MARK: - Sample text

    private static let functionWords = [
        "the", "of", "and", "to", "a", "in", "is", "it", "that", "was", "for", "on", "with", "as", "he", "she", "they",
        "at", "by", "this", "from", "or", "had", "not", "but", "what", "all", "were", "when", "we", "there", "can",
        "an", "your", "which", "their", "said", "if", "will", "each", "about", "how", "up", "out", "then", "them",
    ]
    private static let syllables = [
        "ka", "lo", "mi", "ter", "an", "re", "sol", "vi", "du", "en", "or", "pa", "ri", "tha", "st", "qua", "ex", "ing",
        "ed", "ly", "mor", "gan", "bel", "cor", "tion", "ver", "al", "is", "un", "der", "com", "pro", "na", "fe", "zu",
    ]
    private static let extras = [
        "it's", "don't", "they're", "we've", "I'm", "you'll", "he'd", "Zoë", "José", "Łukasz", "naïve", "café",
        "résumé", "Dvořák", "O'Brien", "e.g.", "(see above)", "\"quoted\"", "—", "...", "&", "#42", "50%", "$3.99",
    ]
    private static let specials = [
        "    let total = values.reduce(0, +) / Double(count)  // mean\n",
        "def encode(text):\n    return [vocab[t] for t in text.split()]\n",
        "日本語のテキストと中文的句子。\n", "Ελληνικά και Русский текст.\n", "Emoji: 😀 🎉 👍🏽 👨‍👩‍👧 ❤️\n",
    ]

    /// Deterministic English-like text of about `bytes` UTF-8 bytes.
    public static func sampleText(bytes: Int, seed: UInt64) -> String {
        var rng = RandomGenerator(seed: seed)
        var words = functionWords
        while words.count < 4000 {
            let count = 1 + Int(rng.next() % 3)
            words.append((0..<count).map { _ in syllables[Int(rng.next() % UInt64(syllables.count))] }.joined())
        }
        var cumulative: [Double] = []  // Zipf: weight 1 / (rank + 1)
        var total = 0.0
        for rank in words.indices {
            total += 1 / Double(rank + 1)
            cumulative.append(total)
        }
        func word() -> String {
            let u = rng.nextUniform() * total
            var low = 0
            var high = words.count - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] < u { low = middle + 1 } else { high = middle }
            }
            return words[low]
        }
        var text = ""
        text.reserveCapacity(bytes + 1000)
        while text.utf8.count < bytes {
            if rng.nextUniform() < 0.06 {
                text += specials[Int(rng.next() % UInt64(specials.count))] + "\n"
                continue
            }
            for sentence in 0..<(3 + Int(rng.next() % 6)) {
                var parts: [String] = []
                for index in 0..<(6 + Int(rng.next() % 18)) {
                    let u = rng.nextUniform()
                    var part = u < 0.05 ? String(rng.next() % 3000) : u < 0.1 ? extras[Int(rng.next() % UInt64(extras.count))] : word()
                    if index == 0, let first = part.first { part = first.uppercased() + part.dropFirst() }
                    if rng.nextUniform() < 0.07 { part += "," }
                    parts.append(part)
                }
                text += (sentence == 0 ? "" : " ") + parts.joined(separator: " ") + [".", ".", ".", "!", "?"][Int(rng.next() % 5)]
            }
            text += "\n\n"
        }
        return text
    }
}
