"""Reference numbers of the real SmolLM2-135M-Instruct GGUF (models/, from
scripts/fetch-models.sh) as transformers computes them, for the Swift tests that load the same
file with Lethe (issue 13: "next-token NLL of fixed texts and the first logits row equal to
transformers loading the same GGUF, and a greedy chat answer equal to transformers'").

transformers loads the GGUF with `from_pretrained(folder, gguf_file=...)`: it dequantizes every
tensor to float32 with the `gguf` package and undoes llama.cpp's q/k permutation; its tokenizer
is converted from the file's vocabulary (`convert_gguf_tokenizer`).

Writes Tests/LetheLayersTests/Fixtures/smollm2/expected.json:
    texts: [{text, ids, nll}]          ids as the GGUF tokenizer gives them (no BOS), mean NLL
    first_logits: {ids, top10, indices, values}   the logits at position 0 of texts[0]:
                                      the 10 largest's ids, and every 16th value (float32)
    chat: {message, prompt_ids, answer_ids, answer}   greedy, 24 new tokens, ChatML template

    /work/peers-env/bin/python scripts/reference/make_smollm2_fixture.py
"""

import json
import os

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

ROOT = os.path.join(os.path.dirname(__file__), "../..")
FOLDER = os.path.join(ROOT, "models")
NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
OUT = os.path.join(ROOT, "Tests/LetheLayersTests/Fixtures/smollm2/expected.json")
TEXTS = [
    "The capital of France is Paris, and the capital of Italy is Rome.",
    "Machine unlearning removes the influence of a forget set from a trained model.",
    "In 1969, 3 astronauts flew to the Moon; 2 of them walked on it.",
]
MESSAGE = "What is the capital of France?"

torch.manual_seed(0)
tokenizer = AutoTokenizer.from_pretrained(FOLDER, gguf_file=NAME)
model = AutoModelForCausalLM.from_pretrained(FOLDER, gguf_file=NAME, torch_dtype=torch.float32)
model.eval()

texts = []
first_logits = None
with torch.no_grad():
    for i, text in enumerate(TEXTS):
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        x = torch.tensor([ids])
        out = model(input_ids=x, labels=x)
        texts.append({"text": text, "ids": ids, "nll": float(out.loss)})
        if i == 0:
            row = out.logits[0, 0]
            top = torch.topk(row, 10).indices.tolist()
            sample = list(range(0, row.shape[0], 16))
            first_logits = {"ids": ids, "vocabulary": row.shape[0], "top10": top,
                            "indices": sample, "values": [float(row[j]) for j in sample]}

    messages = [{"role": "user", "content": MESSAGE}]
    prompt = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True)
    if isinstance(prompt, dict) or hasattr(prompt, "keys"):
        prompt = prompt["input_ids"]
    generated = model.generate(torch.tensor([prompt]), max_new_tokens=24, do_sample=False)
    answer_ids = generated[0, len(prompt):].tolist()

chat = {"message": MESSAGE, "prompt_ids": list(prompt), "answer_ids": answer_ids,
        "answer": tokenizer.decode(answer_ids, skip_special_tokens=True)}
with open(OUT, "w") as f:
    json.dump({"model": NAME, "texts": texts, "first_logits": first_logits, "chat": chat}, f)
print(json.dumps({"texts": [(t["nll"], len(t["ids"])) for t in texts], "chat": chat}, indent=1)[:2000])
