#!/usr/bin/env python3
"""Golden RoBERTa tokenizer ids for Lethe, from transformers' RobertaTokenizerFast built locally
(no hub) from the GPT-2 tokenizer fixture's vocab.json + merges.txt with RoBERTa's special tokens
(<s> 0, <pad> 1, </s> 2, <unk> 3, the BPE vocabulary after them, <mask> last), as transformers 5
builds it from those two files (<mask> without lstrip), and with <mask> lstrip as the hub's
roberta-base tokenizer.json declares it.

Writes Tests/LetheTextTests/Fixtures/roberta/: vocab.json, merges.txt, expected.json (text, pair,
max_length, ids, token_type_ids per case).

Run: /work/peers-env/bin/python scripts/reference/make_roberta_tokenizer_fixture.py
"""
import json, os, shutil
import tokenizers
import transformers
from transformers import RobertaTokenizerFast

HERE = os.path.dirname(__file__)
SOURCE = os.path.join(HERE, "..", "..", "Tests", "LetheTextTests", "Fixtures", "tokenizer")
OUT = os.path.join(HERE, "..", "..", "Tests", "LetheTextTests", "Fixtures", "roberta")
os.makedirs(OUT, exist_ok=True)
gpt2 = json.load(open(os.path.join(SOURCE, "vocab.json"), encoding="utf-8"))
vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
for token, index in sorted(gpt2.items(), key=lambda item: item[1]):
    vocab[token] = len(vocab)
vocab["<mask>"] = len(vocab)
with open(os.path.join(OUT, "vocab.json"), "w", encoding="utf-8") as f:
    json.dump(vocab, f, ensure_ascii=False)
shutil.copy(os.path.join(SOURCE, "merges.txt"), os.path.join(OUT, "merges.txt"))
tokenizer = RobertaTokenizerFast.from_pretrained(OUT)  # a local folder: vocab.json + merges.txt
assert len(tokenizer.get_vocab()) == len(vocab), "the vocabulary was not read"

CASES = [("Hello world", None, None), (" leading space and naïve résumé", None, None),
         ("The <mask> sat.", None, None), ("a<mask>b  <mask>", None, None), ("<s>raw</s> <pad><unk>", None, None),
         ("<|endoftext|> is plain text here", None, None), ("", None, None), ("李雷 remembers 1,000,000 tokens 🙂", None, None),
         ("First sentence.", "Second one, longer than the first.", None), ("pair", "", None),
         ("one two three four five six seven", None, 6), ("alpha beta gamma delta", "epsilon zeta", 9)]
cases = []
for text, pair, max_length in CASES:
    kwargs = {"truncation": True, "max_length": max_length} if max_length else {}
    encoding = tokenizer(text, pair, **kwargs) if pair is not None else tokenizer(text, **kwargs)
    cases.append({"text": text, "pair": pair, "max_length": max_length, "ids": encoding["input_ids"],
                  "token_type_ids": encoding.get("token_type_ids", [0] * len(encoding["input_ids"])),
                  "tokens": tokenizer.convert_ids_to_tokens(encoding["input_ids"])})
# The hub's roberta-base declares <mask> with lstrip (its tokenizer.json); transformers 5 builds
# it without from vocab.json + merges.txt alone. Both are recorded.
from tokenizers import AddedToken
stripping = RobertaTokenizerFast.from_pretrained(OUT, mask_token=AddedToken("<mask>", lstrip=True, normalized=False, special=True))
mask_cases = [{"text": text, "ids": stripping(text)["input_ids"]} for text in ["The <mask> sat.", "a<mask>b  <mask>", "x \t<mask>"]]
with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
    json.dump({"versions": {"transformers": transformers.__version__, "tokenizers": tokenizers.__version__},
               "cases": cases, "mask_lstrip_cases": mask_cases}, f, indent=1, ensure_ascii=False)
print(mask_cases)
for c in cases:
    print(repr(c["text"]), repr(c["pair"]), c["tokens"])
