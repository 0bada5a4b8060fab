"""Builds a tiny Llama-architecture model with random weights and a locally trained tokenizer.

    python tiny_llama.py <out-dir>

No model hub: the byte-level BPE tokenizer is trained here on English text from the words below and this
repository's README, and the weights are random (seed 0) in the real LlamaForCausalLM layout, saved as
safetensors. The tokenizer carries a chat template so /v1/chat/completions works. Idempotent: an existing
<out-dir>/config.json with the same build id is kept.
"""

import json
import os
import sys

BUILD_ID = "tiny-llama-v1"


def corpus(repo_root):
    words = (
        "the of and to in is it that for on with as was at by be this are or from an but not have one all were "
        "they when we there can more if out so up said what about into them some could time than first been its "
        "who now people my made over did down only way find use may water long little very after words called "
        "just where most know get through back much go good new write our me man too any day same right look "
        "think also around another came come work three word must because does part even place well such here "
        "take why help put years different away again off went old number great tell men say small every found "
        "still between name should home big give air line set own under read last never us left end along while "
        "might next sound below saw both few"
    ).split()
    lines = [" ".join(words[i:] + words[:i]) for i in range(len(words))]
    readme = os.path.join(repo_root, "README.md")
    if os.path.exists(readme):
        with open(readme, encoding="utf-8") as f:
            lines += [l for l in f.read().splitlines() if l.strip()]
    return lines


CHAT_TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}{{ eos_token }}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)


def main(out):
    stamp = os.path.join(out, "build-id")
    if os.path.exists(stamp) and open(stamp).read().strip() == BUILD_ID:
        print(f"{out}: already built ({BUILD_ID})")
        return
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    repo_root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    specials = ["<s>", "</s>", "<unk>", "<pad>"]
    trainer = trainers.BpeTrainer(vocab_size=2048, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(corpus(repo_root), trainer=trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>",
                                   pad_token="<pad>", add_bos_token=True)
    fast.chat_template = CHAT_TEMPLATE
    os.makedirs(out, exist_ok=True)
    fast.save_pretrained(out)
    # A BOS in front of every prompt, as Llama tokenizers do (post-processor, so /tokenize counts it too).
    from tokenizers import processors
    bos = fast.convert_tokens_to_ids("<s>")
    tok.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s> $B", special_tokens=[("<s>", bos)])
    tok.save(os.path.join(out, "tokenizer.json"))

    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=len(fast), hidden_size=256, intermediate_size=688, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=1024,
                      bos_token_id=bos, eos_token_id=fast.convert_tokens_to_ids("</s>"),
                      pad_token_id=fast.convert_tokens_to_ids("<pad>"), tie_word_embeddings=False,
                      torch_dtype="float32")
    model = LlamaForCausalLM(cfg)
    model.save_pretrained(out, safe_serialization=True)
    with open(stamp, "w") as f:
        f.write(BUILD_ID + "\n")
    print(json.dumps({"dir": out, "vocab": len(fast), "params": sum(p.numel() for p in model.parameters())}))


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]))
