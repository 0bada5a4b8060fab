"""Writes a Hugging Face tokenizer directory that counts tokens exactly as the
embedded server does (src/core/embedded/models/tokenizer.ts: word pieces of up
to six ASCII letters, a plain space joining the piece after it, any other
character alone, GPT-2-style whitespace runs). The peer tools need a tokenizer
by path (no model hub here); with this one, their counts of the embedded
server's text equal the server's usage and our own count.

usage: python make_tokenizer.py OUT_DIR
"""
import json
import os
import sys

from tokenizers import Regex, Tokenizer, models, pre_tokenizers
from transformers import PreTrainedTokenizerFast

PATTERN = r"<\|[a-z_]+\|>| ?[A-Za-z]{1,6}| ?[^\sA-Za-z]|\s+(?!\S)|\s+"


def main(out: str) -> None:
    vocab = {"[UNK]": 0, "<|bos|>": 1, "<|eos|>": 2}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Split(Regex(PATTERN), behavior="isolated")
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", bos_token="<|bos|>", eos_token="<|eos|>")
    fast.model_max_length = 1 << 20
    os.makedirs(out, exist_ok=True)
    fast.save_pretrained(out)
    # A config.json lets tools that read the model config (max length) find one.
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump({"model_type": "llama", "max_position_embeddings": 1 << 20, "vocab_size": len(vocab)}, f)
    check = fast("Hello worlds, extraordinary  x\n", add_special_tokens=False)["input_ids"]
    print(json.dumps({"dir": out, "check_tokens": len(check)}))


if __name__ == "__main__":
    main(sys.argv[1])
