import Foundation

extension PeerScripts {
    /// Hugging Face `tokenizers` on one thread, from `scripts/reference/tokenizer_speed.py`:
    /// median seconds of `encode(text)` on the whole text (`whole_s`) and of
    /// `encode_batch(lines)` (`lines_s`), the byte and token counts, and the checksum
    /// sum (i + 1) * ids[i] mod 2^61 of the whole-text ids. `nil` when the peer cannot run.
    public func huggingFaceTokenizerSpeed(tokenizer: String, text: String, repeats: Int = 3) -> [String: Any]? {
        let script = scriptsDirectory + "/tokenizer_speed.py"
        let arguments = [script, "--tokenizer", tokenizer, "--text", text, "--repeats", "\(repeats)"]
        guard let line = run(arguments, environment: ["TOKENIZERS_PARALLELISM": "false", "RAYON_NUM_THREADS": "1"]),
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else { return nil }
        return object
    }
}
