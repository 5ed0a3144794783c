#!/usr/bin/env python3
"""Golden fixtures for Lethe's tokenizer.json pipeline reader (Tests/LetheTextTests/Fixtures/tokenizer_json/).

Builds small tokenizers of each kind with the Hugging Face `tokenizers` package, trained on the
corpus of the GPT-2 fixture (no hub downloads), saves each as `<kind>/tokenizer.json`, and writes
`<kind>/cases.json`: [{"text", "ids", "plain_ids", "decoded", "decoded_skip"}] where `ids` is
`encode(text).ids` (special tokens added by the post-processor), `plain_ids` the same with
`add_special_tokens=False`, `decoded` = `decode(ids, skip_special_tokens=False)` and
`decoded_skip` = `decode(ids, skip_special_tokens=True)`.

Kinds:
    gpt2       ByteLevel BPE (GPT-2 regex, no prefix space), ByteLevel decoder, <|endoftext|>
    llama3     Split(Llama-3 regex, isolated) + ByteLevel(use_regex=false), ignore_merges,
               ByteLevel decoder, post-processor Sequence[ByteLevel, Template(<|begin_of_text|> $A)]
    qwen2      NFC normalizer, Split(Qwen2 regex) + ByteLevel, ChatML special tokens
    metaspace  Llama-2 / SentencePiece style: Metaspace(prepend_scheme=first, split=false), BPE with
               byte_fallback <0xNN> tokens and fuse_unk, decoder Sequence[Replace, ByteFallback, Fuse,
               Strip], Template(<s> $A)
    normalized normalizer Sequence[NFKC, Replace, Lowercase, Strip], pre-tokenizer Sequence[Whitespace,
               Digits(individual)], BPE with "##" continuing-subword prefix and [UNK], added tokens
               with lstrip / rstrip / single_word / normalized, no decoder
    template   ByteLevel(add_prefix_space=true) after Split("\\n", merged_with_next), Template
               "<bos> $A <eos>", a non-special added token
    llama2legacy  the metaspace model behind Llama 2's first conversion: normalizer Sequence[Prepend("▁"),
               Replace(" ", "▁")], no pre-tokenizer
    smollm     SmolLM / SmolLM2: Sequence[Digits(individual), ByteLevel], ChatML special tokens
    suffix     end_of_word_suffix "</w>", normalizer Sequence[NFD, StripAccents, Lowercase], pre-tokenizer
               Sequence[WhitespaceSplit, Punctuation], BPEDecoder
    exact      hand-made Metaspace vocabulary holding canonically equivalent tokens ("é" and "e\u0301",
               U+00C5 and U+212B), which are different tokens
    split      Sequence[WhitespaceSplit, Split("-", removed), Split(".", contiguous),
               Split(",", merged_with_previous), Punctuation-free Metaspace(always, split=true)],
               decoder Metaspace

`qwen2/tokenizer_config.json` and `llama3/tokenizer_config.json` name BOS/EOS/padding and the chat
template (SmolLM2's ChatML with a default system prompt; Llama 3's). The llama3 vocabulary also
holds whole words that no merge makes (`IGNORE_MERGES_WORDS`), so `ignore_merges` matters.

Also `chat/chat.json`: transformers' `apply_chat_template` on the qwen2 (ChatML, with and without
a default system prompt) and llama3 tokenizers (Llama 3, and Llama 3.1 without tool calling): the
rendered strings and token ids; and `pretokenize/{llama3,qwen2}.json`: the pieces the Llama-3 and
Qwen2 split regexes cut from 1,500 random strings of the characters that tell their alternatives apart;
and `gguf/<kind>-<pre>.json`: the ids transformers' GGUF tokenizer conversion gives the cases of a
committed tokenizer whose vocabulary is handed over as GGUF metadata with that `tokenizer.ggml.pre`.

The trainer breaks ties between equal pair counts in hash order, so a re-run may write other
(equally valid) tokenizers; each tokenizer.json is written together with its cases.json.

    /work/peers-env/bin/python scripts/reference/make_tokenizer_json_fixture.py [tokenizers] [chat] [pretokenize] [gguf]
"""
import json, os, random, sys
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from tokenizers import AddedToken

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "Tests", "LetheTextTests", "Fixtures")
OUT = os.path.join(FIXTURES, "tokenizer_json")
CORPUS = os.path.join(FIXTURES, "tokenizer", "corpus.txt")

LLAMA3 = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
IGNORE_MERGES_WORDS = ["unlearning", "Tokenizer"]
QWEN2 = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"

FIXED = [
    "", " ", "  ", "\t", "\n", "\r\n", "\n\n\n", " \n \n", "hello", "Hello world", " Hello world",
    "  Hello  world  ", "hello   world", "trailing spaces   ", "tabs\tand\t\ttabs", "new\nlines\n\nand\n\n\nmore\n",
    "windows\r\nline\r\nendings\r\n", "mixed \t\n \r\n  whitespace\t \n", "a \nb", "x.\n\ny", "!!\n\n",
    "It's", "don't", "IT'S", "JOHN'S", "It'S", "WE'RE they'Ve", "'s 't 're 've 'm 'll 'd", "''s", "rock'n'roll",
    "1", "12", "123", "1234", "1234567890", "3.14159", "1,000,000", "x2 y22 z222", " 42", "phone: +1 (555) 010-9999",
    "café", "cafe\u0301", "naïve résumé", "Zoë Dvořák Łukasz", "Nguyễn", "ﬁne ﬂour Ⅻ ² ½ ｆｕｌｌ",
    "日本語", "中文测试", "こんにちは世界", "한국어", "Ελληνικά", "Русский", "مرحبا", "שלום", "ΣΊΣΥΦΟΣ",
    "😀", "👍🏽", "👨‍👩‍👧‍👦", "🇫🇷🇩🇪", "❤️", "a😀b", " 😀 😀", "😀hello", "...hello", "-- --- ----",
    "a\u00a0b", "\u3000x", "x\u3000\u3000y", "line\u2028sep", "next\u0085line", "zero\u200bwidth",
    "$%^&*()_+-=[]{}|;':\",./<>?", "def f(x):\n    return x ** 2\n", "\u0000\u0001\u001f\u007f",
    "UPPER lower MiXeD", "snake_case and kebab-case", "e.g. i.e. U.S.A.", "a,b,,c", "well-known, fast-moving",
    "a" * 60, "ab" * 30, " " * 20 + "x", "😀" * 10, "1234567890" * 5,
]

CLASSES = {
    "lower": "abcdefghijklmnopqrstuvwxyz", "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "digit": "0123456789",
    "punct": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "space": " ", "ws": "\t\n\r",
    "accent": "éèêëàâäöüñçøåæœÉÀÖÜÑ", "combining": "\u0300\u0301\u0308",
    "cjk": "日本語中文字漢字こんにちはカタカナ한국", "emoji": ["😀", "🎉", "👍🏽", "🇫🇷", "❤️"],
    "unispace": "\u00a0\u3000\u2009", "numeric": "²½Ⅻ٣", "compat": "ﬁﬂｆＡ①",
    "contraction": ["'s", "'t", "'re", "'ll", "'S", "'RE"],
    "word": ["the", " the", "model", " Model", "token", "izer", "forget", "Hello", " world", "2024"],
}


def random_string(rng, specials):
    parts = []
    for _ in range(rng.randint(0, 12)):
        if specials and rng.random() < 0.06:
            parts.append(rng.choice(specials))
            continue
        pool = CLASSES[rng.choice(list(CLASSES))]
        for _ in range(rng.choice([1, 1, 2, 3, 5])):
            parts.append(rng.choice(pool))
    return "".join(parts)


def corpus():
    with open(CORPUS, encoding="utf-8", newline="") as f:
        return f.read().replace("<|endoftext|>\n", "")


def byte_level_trainer(size, specials):
    return trainers.BpeTrainer(vocab_size=size, special_tokens=specials, show_progress=False,
                               initial_alphabet=pre_tokenizers.ByteLevel.alphabet())


def gpt2():
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator([corpus()], trainer=byte_level_trainer(600, ["<|endoftext|>"]))
    return tok, ["<|endoftext|>"]


def llama3():
    specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]
    tok = Tokenizer(models.BPE(ignore_merges=True))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator([corpus()], trainer=byte_level_trainer(700, specials))
    bos = tok.token_to_id("<|begin_of_text|>")
    tok.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(single="<|begin_of_text|> $A", pair="<|begin_of_text|> $A:0 <|begin_of_text|>:1 $B:1",
                                      special_tokens=[("<|begin_of_text|>", bos)])])
    # Whole words in the vocabulary that no merge makes: only ignore_merges gives them one id.
    data = json.loads(tok.to_str())
    for word in IGNORE_MERGES_WORDS:
        data["model"]["vocab"]["Ġ" + word] = len(data["model"]["vocab"]) + len(specials)
    tok = Tokenizer.from_str(json.dumps(data))
    return tok, specials + [" " + w for w in IGNORE_MERGES_WORDS]


def qwen2():
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    tok.train_from_iterator([corpus()], trainer=byte_level_trainer(650, specials))
    return tok, specials


def metaspace():
    pre = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False)
    trainer_tok = Tokenizer(models.BPE())
    trainer_tok.pre_tokenizer = pre
    trainer_tok.train_from_iterator([corpus()], trainer=trainers.BpeTrainer(
        vocab_size=500, show_progress=False, limit_alphabet=70))
    trained = json.loads(trainer_tok.to_str())["model"]
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for b in range(256):
        vocab[f"<0x{b:02X}>"] = len(vocab)
    for token, _ in sorted(trained["vocab"].items(), key=lambda kv: kv[1]):
        if token not in vocab:
            vocab[token] = len(vocab)
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in trained["merges"]]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token="<unk>", fuse_unk=True, byte_fallback=True))
    tok.pre_tokenizer = pre
    tok.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(),
                                     decoders.Strip(content=" ", left=1, right=0)])
    tok.add_special_tokens([AddedToken("<unk>", special=True, normalized=False),
                            AddedToken("<s>", special=True, normalized=False),
                            AddedToken("</s>", special=True, normalized=False)])
    tok.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", 1)])
    return tok, ["<s>", "</s>", "<unk>"]


def normalized():
    specials = ["[UNK]", "[CLS]", "[SEP]"]
    tok = Tokenizer(models.BPE(unk_token="[UNK]", continuing_subword_prefix="##"))
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Replace("’", "'"),
                                           normalizers.Lowercase(), normalizers.Strip(left=True, right=True)])
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Whitespace(), pre_tokenizers.Digits(individual_digits=True)])
    tok.train_from_iterator([corpus()], trainer=trainers.BpeTrainer(
        vocab_size=600, special_tokens=specials, show_progress=False, limit_alphabet=80, continuing_subword_prefix="##"))
    tok.add_special_tokens([AddedToken("[MASK]", special=True, lstrip=True, normalized=False)])
    tok.add_tokens([AddedToken("Lethe", normalized=True), AddedToken("<sep>", rstrip=True, normalized=False),
                    AddedToken("cat", single_word=True, normalized=True)])
    return tok, ["[CLS]", "[SEP]", "[MASK]", " [MASK]", "Lethe", "LETHE", "<sep>", "<sep>  ", "cat", " cat ", "cats"]


def template():
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split("\n", behavior="merged_with_next"),
        pre_tokenizers.ByteLevel(add_prefix_space=True, use_regex=True)])
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator([corpus()], trainer=byte_level_trainer(550, ["<bos>", "<eos>", "<pad>"]))
    tok.add_tokens([AddedToken("<|note|>", normalized=False)])
    tok.post_processor = processors.TemplateProcessing(
        single="<bos> $A <eos>", special_tokens=[("<bos>", tok.token_to_id("<bos>")), ("<eos>", tok.token_to_id("<eos>"))])
    return tok, ["<bos>", "<eos>", "<pad>", "<|note|>"]


def split():
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.WhitespaceSplit(),
        pre_tokenizers.Split("-", behavior="removed"),
        pre_tokenizers.Split(".", behavior="contiguous"),
        pre_tokenizers.Split(",", behavior="merged_with_previous"),
        pre_tokenizers.Split("'", behavior="isolated", invert=True),
        pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)])
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.train_from_iterator([corpus()], trainer=trainers.BpeTrainer(
        vocab_size=500, special_tokens=["<unk>"], show_progress=False, limit_alphabet=90))
    return tok, ["<unk>"]


def llama2legacy():
    """Llama 2's original conversion: normalizer Prepend("▁") + Replace(" ", "▁"), no pre-tokenizer."""
    tok, specials = metaspace()
    data = json.loads(tok.to_str())
    data["normalizer"] = {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "▁"},
                                                              {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]}
    data["pre_tokenizer"] = None
    return Tokenizer.from_str(json.dumps(data)), specials


def smollm():
    """SmolLM / SmolLM2: Digits(individual) then ByteLevel, ChatML special tokens."""
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Digits(individual_digits=True),
                                                 pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)])
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    tok.train_from_iterator([corpus()], trainer=byte_level_trainer(600, specials))
    return tok, specials


def suffix():
    """Word-final symbols spelled with an end-of-word suffix (original BPE / CLIP style)."""
    tok = Tokenizer(models.BPE(unk_token="<unk>", end_of_word_suffix="</w>"))
    tok.normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.StripAccents(), normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Punctuation()])
    tok.decoder = decoders.BPEDecoder(suffix="</w>")
    tok.train_from_iterator([corpus()], trainer=trainers.BpeTrainer(
        vocab_size=500, special_tokens=["<unk>"], show_progress=False, limit_alphabet=70, end_of_word_suffix="</w>"))
    return tok, ["<unk>"]


def exact():
    """Tokens that differ only by Unicode canonical equivalence are different tokens."""
    chars = ["<unk>", "▁", "e", "\u0301", "\u00e9", "A", "\u030a", "\u00c5", "\u212b", "a", "b", " "]
    vocab = {c: i for i, c in enumerate(chars)}
    merges = [("e", "\u0301"), ("A", "\u030a"), ("▁", "\u00e9"), ("▁", "e\u0301"), ("▁", "\u212b"), ("a", "b")]
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    return tok, ["\u00e9", "e\u0301", "\u00c5", "\u212b", "A\u030a", "ab \u00e9 e\u0301 \u00c5 \u212b A\u030a"]


KINDS = {"gpt2": gpt2, "llama3": llama3, "qwen2": qwen2, "metaspace": metaspace, "normalized": normalized,
         "template": template, "split": split, "exact": exact, "llama2legacy": llama2legacy, "smollm": smollm,
         "suffix": suffix}


def write_cases(name, tok, specials):
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    tok.save(os.path.join(folder, "tokenizer.json"), pretty=False)
    rng = random.Random(hash(name) % 1000 if False else sum(map(ord, name)))
    extra = [f"{s}" for s in specials] + [f"Hello{s}world {s} x" for s in specials[:2]] + [f"  {specials[0]}\n{specials[-1]}end"]
    texts = FIXED + extra + [random_string(rng, specials) for _ in range(150)]
    cases = []
    for t in texts:
        enc = tok.encode(t)
        ids = enc.ids
        cases.append({"text": t, "ids": ids, "plain_ids": tok.encode(t, add_special_tokens=False).ids,
                      "decoded": tok.decode(ids, skip_special_tokens=False),
                      "decoded_skip": tok.decode(ids, skip_special_tokens=True)})
    with open(os.path.join(folder, "cases.json"), "w", encoding="utf-8") as f:
        f.write("[\n" + ",\n".join(json.dumps(c, ensure_ascii=False) for c in cases) + "\n]\n")
    roundtrip = sum(c["decoded"] == c["text"] for c in cases)
    print(f"{name}: vocab {tok.get_vocab_size()}, {len(cases)} cases, {roundtrip} decode to their text")
    return tok


SMOLLM2_TEMPLATE = ("{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
                    "{{ '<|im_start|>system\\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\\n' }}"
                    "{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
                    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")
CHATML_TEMPLATE = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
                   "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")
LLAMA3_TEMPLATE = ("{% set loop_messages = messages %}{% for message in loop_messages %}"
                   "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}"
                   "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
                   "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}")

# Llama 3.1's template without its tool-calling branches (which Lethe does not render): the first
# system message (trimmed) goes into a system turn that always carries the knowledge and today dates.
LLAMA31_TEMPLATE = ("{{- bos_token }}{%- if not date_string is defined %}{%- set date_string = \"26 Jul 2024\" %}{%- endif %}"
                    "{%- if messages[0]['role'] == 'system' %}{%- set system_message = messages[0]['content']|trim %}"
                    "{%- set messages = messages[1:] %}{%- else %}{%- set system_message = \"\" %}{%- endif %}"
                    "{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}"
                    "{{- \"Cutting Knowledge Date: December 2023\\n\" }}{{- \"Today Date: \" + date_string + \"\\n\\n\" }}"
                    "{{- system_message }}{{- \"<|eot_id|>\" }}"
                    "{%- for message in messages %}{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}{%- endfor %}"
                    "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}")

CONVERSATIONS = [
    [{"role": "user", "content": "What is the capital of France?"}],
    [{"role": "system", "content": "You answer briefly."}, {"role": "user", "content": "Name a prime.\n"},
     {"role": "assistant", "content": "  Seven. "}, {"role": "user", "content": "Another one, über schnell 😀"}],
    [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello! How can I help?"}],
]


def chat(tokenizers_by_kind):
    from transformers import PreTrainedTokenizerFast
    out = []
    setups = [("chatml-default-system", "qwen2", SMOLLM2_TEMPLATE, dict(eos_token="<|im_end|>")),
              ("chatml", "qwen2", CHATML_TEMPLATE, dict(eos_token="<|im_end|>")),
              ("llama3", "llama3", LLAMA3_TEMPLATE, dict(bos_token="<|begin_of_text|>", eos_token="<|eot_id|>")),
              ("llama3.1", "llama3", LLAMA31_TEMPLATE, dict(bos_token="<|begin_of_text|>", eos_token="<|eot_id|>"))]
    for name, kind, template, special in setups:
        fast = PreTrainedTokenizerFast(tokenizer_object=tokenizers_by_kind[kind], **special)
        fast.chat_template = template
        for messages in CONVERSATIONS:
            for generation in (False, True):
                text = fast.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation)
                ids = fast.apply_chat_template(messages, tokenize=True, add_generation_prompt=generation)
                if hasattr(ids, "keys"):  # a BatchEncoding in recent transformers
                    ids = ids["input_ids"]
                out.append({"setup": name, "kind": kind, "template": template, "messages": messages,
                            "add_generation_prompt": generation, "text": text, "ids": list(ids)})
    configs = {"qwen2": {"bos_token": None, "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>", "chat_template": SMOLLM2_TEMPLATE},
               "llama3": {"bos_token": "<|begin_of_text|>", "eos_token": {"content": "<|eot_id|>", "special": True},
                          "chat_template": LLAMA3_TEMPLATE}}
    for kind, config in configs.items():
        with open(os.path.join(OUT, kind, "tokenizer_config.json"), "w", encoding="utf-8") as f:
            json.dump(config, f, ensure_ascii=False, indent=1)
    folder = os.path.join(OUT, "chat")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "chat.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
    print(f"chat: {len(out)} rendered conversations")


SCANNER_CLASSES = [" ", "  ", "\t", "\n", "\r\n", "\r", "\u00a0", "\u3000", "a", "Z", "é", "ß", "日本", "ſ", "ǅ", "x\u0301",
                   "0", "12", "345", "²", "٣", "Ⅻ", "'", "'s", "'S", "'re", "'LL", "'ſ", "'x", "!", "...", "-", "_", "😀",
                   "👍🏽", "\u200b", "\u0000", "(", "\"", "$", "€"]


def pretokenize():
    """The Llama-3 and Qwen2 split regexes on many random strings: the pieces tokenizers cuts."""
    rng = random.Random(2024)
    texts = ["".join(rng.choice(SCANNER_CLASSES) for _ in range(rng.randint(1, 16))) for _ in range(1500)]
    folder = os.path.join(OUT, "pretokenize")
    os.makedirs(folder, exist_ok=True)
    for name, regex in (("llama3", LLAMA3), ("qwen2", QWEN2)):
        split = pre_tokenizers.Split(Regex(regex), behavior="isolated", invert=False)
        cases = [{"text": t, "pieces": [piece for piece, _ in split.pre_tokenize_str(t)]} for t in texts]
        with open(os.path.join(folder, f"{name}.json"), "w", encoding="utf-8") as f:
            f.write("[\n" + ",\n".join(json.dumps(c, ensure_ascii=False) for c in cases) + "\n]\n")
    print(f"pretokenize: {len(texts)} texts for each of llama3, qwen2")


GGUF_READINGS = [("gpt2", "smollm"), ("smollm", "smollm"), ("llama3", "llama-bpe"), ("qwen2", "qwen2"), ("gpt2", "gpt2")]


def gguf():
    """transformers' reading of a GGUF-embedded vocabulary (`convert_gguf_tokenizer`, given the
    metadata values a GGUF file would hold): each committed tokenizer's vocabulary spelled as GGUF
    arrays (ids without a token: "" of type 5 UNUSED; added tokens: type 3 CONTROL if special,
    else 4 USER_DEFINED), encoded under a `tokenizer.ggml.pre` name."""
    from transformers.integrations.gguf.gguf_tokenizer_mapping import convert_gguf_tokenizer
    folder = os.path.join(OUT, "gguf")
    os.makedirs(folder, exist_ok=True)
    for kind, pre in GGUF_READINGS:
        data = json.load(open(os.path.join(OUT, kind, "tokenizer.json"), encoding="utf-8"))
        vocab = data["model"]["vocab"]
        tokens = [""] * (max(vocab.values()) + 1)
        types = [5] * len(tokens)
        for token, index in vocab.items():
            tokens[index], types[index] = token, 1
        for added in data["added_tokens"]:
            types[added["id"]] = 3 if added["special"] else 4
        merges = [" ".join(m) if isinstance(m, list) else m for m in data["model"]["merges"]]
        tokenizer_dict = {"tokenizer_type": "gpt2", "pre_tokenizer_type": pre, "tokens": tokens, "merges": merges,
                          "token_type": types}
        backend, _ = convert_gguf_tokenizer("llama", tokenizer_dict)
        texts = [c["text"] for c in json.load(open(os.path.join(OUT, kind, "cases.json"), encoding="utf-8"))]
        cases = [{"text": t, "ids": backend.encode(t, add_special_tokens=False).ids} for t in texts]
        with open(os.path.join(folder, f"{kind}-{pre}.json"), "w", encoding="utf-8") as f:
            f.write("[\n" + ",\n".join(json.dumps(c, ensure_ascii=False) for c in cases) + "\n]\n")
    print(f"gguf: {len(GGUF_READINGS)} readings")


def main():
    """With no argument, everything; `chat` re-renders the chat references on the committed
    tokenizers; `pretokenize` writes only the split-pattern cases; `gguf` only transformers'
    readings of the committed tokenizers as GGUF vocabularies."""
    parts = set(sys.argv[1:]) or {"tokenizers", "chat", "pretokenize", "gguf"}
    if "tokenizers" in parts:
        built = {}
        for name, make in KINDS.items():
            tok, specials = make()
            built[name] = write_cases(name, tok, specials)
    else:
        built = {kind: Tokenizer.from_file(os.path.join(OUT, kind, "tokenizer.json")) for kind in ("qwen2", "llama3")}
    if "chat" in parts:
        chat(built)
    if "pretokenize" in parts:
        pretokenize()
    if "gguf" in parts:
        gguf()


if __name__ == "__main__":
    main()
