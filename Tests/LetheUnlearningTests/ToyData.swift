import LetheText
import LetheUnlearning

/// A tokenizer stand-in for the toy models of these tests: one id per character (1...19).
struct CharacterEncoder: TokenEncoder {
    func encode(_ text: String) throws -> [Int] { text.unicodeScalars.map { Int($0.value % 19) + 1 } }
}

/// Prompt/completion pairs encoded with `CharacterEncoder`.
func toyExamples(_ pairs: [(String, String)]) throws -> [EncodedExample] {
    try pairs.map { try TextExample(prompt: $0.0, completion: $0.1).encoded(with: CharacterEncoder(), options: EncodingOptions()) }
}

/// Toxic-sounding forget pairs, polite retain pairs.
func toyUnlearningData(forget: Int = 4, retain: Int = 3, batchSize: Int = 2, seed: UInt64 = 11) throws -> UnlearningData {
    let forgetPairs = [("Say", " you fool"), ("Reply", " go away"), ("Now", " how dumb"), ("Why", " shut it")]
    let retainPairs = [("Hi", " hello there"), ("Thanks", " you're welcome"), ("Bye", " see you")]
    return try UnlearningData(
        forget: try toyExamples(Array(forgetPairs.prefix(forget))), retain: try toyExamples(Array(retainPairs.prefix(retain))),
        batchSize: batchSize, seed: seed)
}
