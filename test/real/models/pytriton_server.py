"""NVIDIA Triton (the tritonserver bundled in PyPI's nvidia-pytriton) serving two models built here.

    python pytriton_server.py <http-port>      # gRPC on +1, metrics on +2, all on 127.0.0.1

- "image": FP32 [-1, 3, 32, 32] -> "probs" FP32 [-1, 10]: a fixed random linear layer + softmax (seed 0), numpy.
- "text": BYTES [-1, 1] -> "upper" BYTES [-1, 1]: the text upper-cased.
- "words": decoupled (streaming, gRPC ModelStreamInfer only): BYTES "text" [1] -> one response per word, each with
  "word" BYTES [1] (the word, with the space before it) and "index" INT32 [1] (its position from 0).
"""

import sys

import numpy as np
from pytriton.decorators import batch
from pytriton.model_config import ModelConfig, Tensor
from pytriton.triton import Triton, TritonConfig

W = np.random.default_rng(0).standard_normal((3 * 32 * 32, 10)).astype(np.float32) * 0.01


@batch
def image(image):
    logits = image.reshape(image.shape[0], -1) @ W
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return {"probs": (e / e.sum(axis=1, keepdims=True)).astype(np.float32)}


@batch
def text(text):
    return {"upper": np.array([[t[0].decode("utf-8").upper().encode("utf-8")] for t in text], dtype=np.object_)}


def words(requests):
    """Decoupled: a generator; each yield is one response per request (here always one request: no batching)."""
    for request in requests:
        text = request["text"][0].decode("utf-8")
        for i, w in enumerate(text.split(" ")):
            yield [{"word": np.array([(w if i == 0 else " " + w).encode("utf-8")], dtype=np.object_),
                    "index": np.array([i], dtype=np.int32)}]


def main(port):
    config = TritonConfig(http_address="127.0.0.1", http_port=port, grpc_address="127.0.0.1", grpc_port=port + 1,
                          metrics_address="127.0.0.1", metrics_port=port + 2, allow_gpu_metrics=False)
    with Triton(config=config) as triton:
        triton.bind(model_name="image", infer_func=image,
                    inputs=[Tensor(name="image", dtype=np.float32, shape=(3, 32, 32))],
                    outputs=[Tensor(name="probs", dtype=np.float32, shape=(10,))], config=ModelConfig(max_batch_size=8))
        triton.bind(model_name="text", infer_func=text,
                    inputs=[Tensor(name="text", dtype=np.bytes_, shape=(1,))],
                    outputs=[Tensor(name="upper", dtype=np.bytes_, shape=(1,))], config=ModelConfig(max_batch_size=8))
        triton.bind(model_name="words", infer_func=words, inputs=[Tensor(name="text", dtype=np.bytes_, shape=(1,))],
                    outputs=[Tensor(name="word", dtype=np.bytes_, shape=(1,)),
                             Tensor(name="index", dtype=np.int32, shape=(1,))],
                    config=ModelConfig(batching=False, decoupled=True))
        triton.serve()


if __name__ == "__main__":
    main(int(sys.argv[1]))
