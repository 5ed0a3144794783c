#!/usr/bin/env python3
"""Golden fixture for Lethe's GPT-2 byte-level BPE tokenizer (Tests/LetheTextTests/Fixtures/tokenizer/).

Trains a small GPT-2-style byte-level BPE with the Hugging Face `tokenizers` package on a
deterministic corpus written here (English sentences, names, numbers, code, unicode):
ByteLevel pre-tokenizer (add_prefix_space=False, GPT-2 regex), ByteLevel decoder, all 256
byte symbols in the alphabet, special token <|endoftext|>. Writes

    corpus.txt                 the training text (Lethe's own trainer reads it too)
    tokenizer.json             the Hugging Face file
    vocab.json, merges.txt     the same model in the GPT-2 two-file format
    cases.json                 [{"text", "ids"}]: hand-picked edge cases and seeded random strings,
                               with the Python ids; the hand-picked ones also carry "prefix_ids" (the
                               first half of the ids) and "prefix_decoded" (their decode, where a cut
                               UTF-8 sequence becomes U+FFFD)

    pip install tokenizers
    python3 scripts/reference/make_tokenizer_fixture.py
"""
import json, os, random
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "LetheTextTests", "Fixtures", "tokenizer")
VOCAB_SIZE = 700
SPECIAL = "<|endoftext|>"

NAMES = ["Alice", "Bob", "Zoë", "José", "Łukasz", "Søren", "Amélie", "Dvořák", "Nguyễn", "O'Brien",
         "Mahler", "Ada Lovelace", "Grace Hopper", "李雷", "山田太郎", "Ωmega"]
VERBS = ["reads", "writes", "forgets", "remembers", "trains", "unlearns", "tokenizes", "measures"]
THINGS = ["the model", "a letter", "the tokenizer", "42 files", "the café menu", "her notes",
          "the naïve résumé", "3.14159 radians", "the year 1999", "a 1,000,000-token corpus"]
TAILS = ["today.", "again!", "— quietly.", "in 2024.", "(twice)", "before lunch?", "… and then some.",
         "with 7 friends.", "at 09:30.", "for €12.50."]
CODE = [
    "def encode(text):\n    return [vocab[t] for t in text.split()]\n",
    "for (i, x) in xs.enumerated() { total += x * Float(i) }\n",
    "if (a != b && c <= d) { return -1; }\n",
    "let url = \"https://example.com/a?b=1&c=2\"\n",
    "\tprint(f\"{name!r}: {value:.3f}\")\r\n",
    "x = [1, 2, 3]  # a comment\n",
]
UNICODE = [
    "Ceci n'est pas une pipe. Où est la gare ? Ça va très bien.\n",
    "Schöne Grüße aus Köln, Düsseldorf und München.\n",
    "日本語のテキストも少し含まれています。中文也有一点。\n",
    "Ελληνικά και Русский текст, שלום, مرحبا.\n",
    "Emoji: 😀 🎉 👍🏽 👨‍👩‍👧‍👦 🇫🇷 ❤️\n",
    "Combining: e\u0301 a\u0308 n\u0303; spaces:\u00a0nbsp,\u3000ideographic.\n",
]


def corpus_text():
    rng = random.Random(20240501)
    lines = []
    for i in range(400):
        kind = i % 10
        if kind < 6:
            s = f"{rng.choice(NAMES)} {rng.choice(VERBS)} {rng.choice(THINGS)} {rng.choice(TAILS)}"
            if rng.random() < 0.3:
                s += f" It's {rng.choice(['true', 'late', 'done'])}, they're sure, we've seen it, I'm told, you'll see, he'd agree."
            lines.append(s + "\n")
        elif kind < 8:
            lines.append(rng.choice(CODE))
        else:
            lines.append(rng.choice(UNICODE))
        if i % 50 == 49:
            lines.append(SPECIAL + "\n")
    return "".join(lines)


FIXED = [
    "", " ", "  ", "\t", "\n", "\r\n", "hello", "Hello world", " Hello world", "  Hello  world  ",
    "hello   world", "trailing spaces   ", "tabs\tand\t\ttabs", "new\nlines\n\nand\n\n\nmore\n",
    "windows\r\nline\r\nendings\r\n", "mixed \t\n \r\n  whitespace\t \n",
    "It's", "don't", "we're", "they've", "I'm", "you'll", "he'd", "IT'S", "JOHN'S", "It'S",
    "'s 't 're 've 'm 'll 'd", "''s", "rock'n'roll", "o'clock's",
    "1234567890", "3.14159", "1,000,000", "x2 y22 z222", " 42", "phone: +1 (555) 010-9999",
    "café", "cafe\u0301", "naïve résumé", "Zoë Dvořák Łukasz", "Nguyễn",
    "日本語", "中文测试", "こんにちは世界", "한국어", "Ελληνικά", "Русский", "مرحبا", "שלום",
    "😀", "👍🏽", "👨‍👩‍👧‍👦", "🇫🇷🇩🇪", "❤️", "a😀b", " 😀 😀",
    "<|endoftext|>", "Hello<|endoftext|>World", "end.<|endoftext|>\n<|endoftext|> start",
    "<|endoftext|><|endoftext|>", "<|endoftext", "<|endoftext|>  ", " <|endoftext|>",
    "a\u00a0b", "a\u00a0 b", "\u3000x", "x\u3000\u3000y", "line\u2028sep", "next\u0085line", "zero\u200bwidth",
    "Ⅻ and ² and ٣", "ǅemal ʰaspirated", "$%^&*()_+-=[]{}|;':\",./<>?", "...!!!???", "--", " --- ",
    "def f(x):\n    return x ** 2\n", "for i in 0..<10 { print(i) }",
    "\u0000\u0001\u001f\u007f", "Ünïcödé ëvërÿwhérè", "ß ẞ ﬁ ﬂ", "A\u030aB\u0327",
    "x\U0003248d's \u088f're",  # letters new in Unicode 17: unassigned for tokenizers 0.23 (Unicode 16)
    # pieces longer than Lethe's short-merge limit (48 symbols) take its heap path
    "a" * 80, "ab" * 50, "-" * 100, " " * 70 + "x", "the" * 30, "Supercalifragilisticexpialidocious" * 3,
    "日本語" * 20, "😀" * 30, "1234567890" * 8,
]

CLASSES = {
    "lower": "abcdefghijklmnopqrstuvwxyz", "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "digit": "0123456789",
    "punct": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "space": " ", "ws": "\t\n\r\u000b\u000c",
    "accent": "éèêëàâäöüñçøåæœÉÀÖÜÑ", "combining": "\u0300\u0301\u0302\u0303\u0308\u0327",
    "cjk": "日本語中文字漢字こんにちはカタカナ한국", "emoji": ["😀", "🎉", "👍🏽", "👨‍👩‍👧", "🇫🇷", "❤️", "🙂"],
    "unispace": "\u00a0\u3000\u2028\u0085\u2009\u200b", "numeric": "²³½Ⅻ٣४", "letters": "ǅʰßΩЖאع",
    "contraction": ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'T", "'RE"],
    "word": ["the", " the", "model", " Model", "token", "izer", "forget", "Hello", " world", "2024"],
    "special": [SPECIAL],
}


def random_string(rng):
    parts = []
    for _ in range(rng.randint(0, 14)):
        name = rng.choice(list(CLASSES))
        if name == "special" and rng.random() < 0.7:
            name = "word"
        pool = CLASSES[name]
        for _ in range(rng.choice([1, 1, 1, 2, 3, 5])):
            parts.append(rng.choice(pool))
    return "".join(parts)


def main():
    os.makedirs(OUT, exist_ok=True)
    text = corpus_text()
    with open(os.path.join(OUT, "corpus.txt"), "w", encoding="utf-8", newline="") as f:
        f.write(text)

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB_SIZE, special_tokens=[SPECIAL],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tokenizer.train_from_iterator([text], trainer=trainer)
    tokenizer.save(os.path.join(OUT, "tokenizer.json"), pretty=False)
    tokenizer.model.save(OUT)  # vocab.json + merges.txt

    rng = random.Random(7)
    texts = FIXED + [random_string(rng) for _ in range(300)]
    cases = []
    for index, t in enumerate(texts):
        ids = tokenizer.encode(t).ids
        assert tokenizer.decode(ids, skip_special_tokens=False) == t, t
        case = {"text": t, "ids": ids}
        if index < len(FIXED):
            case["prefix_ids"] = ids[: len(ids) // 2]
            case["prefix_decoded"] = tokenizer.decode(case["prefix_ids"], skip_special_tokens=False)
        cases.append(case)
    with open(os.path.join(OUT, "cases.json"), "w", encoding="utf-8") as f:
        f.write("[\n" + ",\n".join(json.dumps(c, ensure_ascii=False) for c in cases) + "\n]\n")
    print(f"{len(cases)} cases, vocab {tokenizer.get_vocab_size()}, corpus {len(text.encode())} bytes -> {OUT}")


if __name__ == "__main__":
    main()
