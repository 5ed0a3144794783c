/// The GPT-2 tokenizer encodes data sets (special tokens in the text are recognised, as
/// Hugging Face's tokenizer does by default).
extension GPT2Tokenizer: TokenEncoder {}
