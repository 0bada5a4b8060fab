"""Writes a tiny Llama-architecture model as GGUF for llama.cpp, with the gguf package (no conversion script, no hub).

    python tiny_gguf.py <out.gguf>

The tokenizer is trained here exactly as tiny_llama.py trains vLLM's (same corpus, byte-level BPE, 2048 tokens,
<s> </s> <unk> <pad>, BOS added, same chat template), so both servers count a prompt alike. The weights are
random (numpy, seed 0) in llama.cpp's tensor layout: 2 layers, hidden 256, 4 heads, FFN 688, context 1024, F32.
Idempotent: kept when its build id matches (<out>.build-id).
"""

import os
import sys

BUILD_ID = "tiny-gguf-v1"
HERE = os.path.dirname(os.path.abspath(__file__))


def tokenizer():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    sys.path.insert(0, HERE)
    from tiny_llama import corpus

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=2048, special_tokens=["<s>", "</s>", "<unk>", "<pad>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(corpus(os.path.abspath(os.path.join(HERE, "..", "..", ".."))), trainer=trainer)
    return tok


def main(out):
    stamp = out + ".build-id"
    if os.path.exists(out) and os.path.exists(stamp) and open(stamp).read().strip() == BUILD_ID:
        print(f"{out}: already built ({BUILD_ID})")
        return
    import json

    import gguf
    import numpy as np
    from tiny_llama import CHAT_TEMPLATE

    tok = tokenizer()
    vocab = tok.get_vocab()
    tokens = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    model = json.loads(tok.to_str())["model"]
    merges = [m if isinstance(m, str) else " ".join(m) for m in model["merges"]]
    specials = {"<s>", "</s>", "<unk>", "<pad>"}

    n_vocab, n_embd, n_ff, n_layer, n_head, n_ctx = len(tokens), 256, 688, 2, 4, 1024
    w = gguf.GGUFWriter(out + ".tmp", "llama")
    w.add_name("tiny-llama")
    w.add_context_length(n_ctx)
    w.add_embedding_length(n_embd)
    w.add_block_count(n_layer)
    w.add_feed_forward_length(n_ff)
    w.add_head_count(n_head)
    w.add_head_count_kv(n_head)
    w.add_rope_dimension_count(n_embd // n_head)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("gpt-2")
    w.add_token_list(tokens)
    w.add_token_types([gguf.TokenType.CONTROL if t in specials else gguf.TokenType.NORMAL for t in tokens])
    w.add_token_merges(merges)
    w.add_bos_token_id(vocab["<s>"])
    w.add_eos_token_id(vocab["</s>"])
    w.add_unk_token_id(vocab["<unk>"])
    w.add_pad_token_id(vocab["<pad>"])
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)
    w.add_chat_template(CHAT_TEMPLATE)

    rng = np.random.default_rng(0)
    rand = lambda *shape: (0.02 * rng.standard_normal(shape)).astype(np.float32)
    ones = lambda n: np.ones(n, dtype=np.float32)
    # numpy shapes are (rows, cols) = (out, in), as llama.cpp's converter writes them.
    w.add_tensor("token_embd.weight", rand(n_vocab, n_embd))
    for i in range(n_layer):
        w.add_tensor(f"blk.{i}.attn_norm.weight", ones(n_embd))
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            w.add_tensor(f"blk.{i}.{name}.weight", rand(n_embd, n_embd))
        w.add_tensor(f"blk.{i}.ffn_norm.weight", ones(n_embd))
        w.add_tensor(f"blk.{i}.ffn_gate.weight", rand(n_ff, n_embd))
        w.add_tensor(f"blk.{i}.ffn_up.weight", rand(n_ff, n_embd))
        w.add_tensor(f"blk.{i}.ffn_down.weight", rand(n_embd, n_ff))
    w.add_tensor("output_norm.weight", ones(n_embd))
    w.add_tensor("output.weight", rand(n_vocab, n_embd))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    os.replace(out + ".tmp", out)
    with open(stamp, "w") as f:
        f.write(BUILD_ID + "\n")
    print(f"{out}: {n_vocab} tokens, {n_layer} layers, hidden {n_embd} ({BUILD_ID})")


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]))
