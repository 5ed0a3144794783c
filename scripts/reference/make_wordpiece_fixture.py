#!/usr/bin/env python3
"""Golden WordPiece ids for Lethe's BERT tokenizer, from transformers' BertTokenizerFast (the
`tokenizers` package) built locally from a small vocab.txt: no hub.

Writes Tests/LetheTextTests/Fixtures/wordpiece/:
  uncased/vocab.txt                      a vocab.txt-only folder (BertTokenizerFast defaults:
                                         lowercase, strip accents, CJK spacing)
  cased/vocab.txt, cased/tokenizer_config.json   do_lower_case false (accents kept)
  cased_stripped/...                     do_lower_case false, strip_accents true
  expected.json                          per folder and case: text, pair, max_length, ids,
                                         token_type_ids, tokens, decode(ids, skip_special_tokens)

Run: /work/peers-env/bin/python scripts/reference/make_wordpiece_fixture.py
"""
import json, os, shutil
import tokenizers
import transformers
from transformers import BertTokenizerFast

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "LetheTextTests", "Fixtures", "wordpiece")
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = ["the", "un", "##aff", "##able", "hello", "world", "cafe", "café", "resume", "naive", "jump", "##ed", "##ing",
         "##s", "don", "t", "Hello", "World", "Café", "Über", "uber", "über", "中", "国", "人", "日", "本", "が", "##が",
         "straße", "strasse", "σ", "ς", "Σ", "α", "##σ", "##ς", "i", "##i", "##̇", "x", "##x", "12", "##3", "ok", "é", "##é", "e", "##e"]
LETTERS = [c for c in "abcdefghijklmnopqrstuvwxyz"] + ["##" + c for c in "abcdefghijklmnopqrstuvwxyz"]
PUNCT = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + ["¿", "¡", "«", "»", "—", "…", "、", "。", "€"]
VOCAB = list(dict.fromkeys(SPECIALS + WORDS + LETTERS + PUNCT))  # no repeats: an id per line

TEXTS = [
    "Hello, world!",
    "unaffable",
    "The café's résumé was naïve.",
    "Über straße STRASSE",
    "中国人 日本が好き",
    "don't jump!!! jumped... jumping?",
    "  leading\tand\ntrailing   whitespace  ",
    "control\u0000chars\ufffd and\u200bzero width\u0007bell",
    "a" * 101,
    "x" * 100,
    "qqqqzzz unknownword $12,3€",
    "¿Qué? ¡Sí! «quotes» — dash… 、。",
    "ΣΑΣ σς İi",
    "ΑΣ Σ",
    "[CLS] hello [MASK] world [SEP]",
    "hello[MASK]world [mask]",
    "e\u0301 cafe\u0301",
    "",
    "emoji 🙂 here",
]
PAIRS = [("Hello, world!", "unaffable jumping"), ("the cafe", ""), ("中国", "jumped? ok.")]
TRUNCATIONS = [("Hello, world! jumping jumped the cafe", None, 6), ("jumping jumped the cafe world hello", "ok ok", 9),
               ("ok", "jumping jumped the cafe world hello hello", 8), ("jump jump jump jump", "ok ok ok ok ok", 7)]
FOLDERS = {"uncased": {}, "cased": {"do_lower_case": False}, "cased_stripped": {"do_lower_case": False, "strip_accents": True}}

expected = {"versions": {"transformers": transformers.__version__, "tokenizers": tokenizers.__version__}}
for folder, config in FOLDERS.items():
    path = os.path.join(OUT, folder)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    with open(os.path.join(path, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(VOCAB) + "\n")
    if config:
        with open(os.path.join(path, "tokenizer_config.json"), "w") as f:
            json.dump(config, f, indent=1)
    tokenizer = BertTokenizerFast.from_pretrained(path)  # a local folder: vocab.txt (+ tokenizer_config.json)
    assert len(tokenizer.get_vocab()) == len(VOCAB), "the vocab.txt was not read"
    cases = []
    for text, pair, max_length in [(t, None, None) for t in TEXTS] + [(a, b, None) for a, b in PAIRS] + TRUNCATIONS:
        kwargs = {"truncation": True, "max_length": max_length} if max_length else {}
        encoding = tokenizer(text, pair, **kwargs) if pair is not None else tokenizer(text, **kwargs)
        ids = encoding["input_ids"]
        cases.append({"text": text, "pair": pair, "max_length": max_length, "ids": ids,
                      "token_type_ids": encoding["token_type_ids"], "tokens": tokenizer.convert_ids_to_tokens(ids),
                      "decoded": tokenizer.decode(ids, skip_special_tokens=True)})
    expected[folder] = cases
with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
    json.dump(expected, f, indent=1, ensure_ascii=False)
print("wrote", sum(len(v) for k, v in expected.items() if k != "versions"), "cases")
