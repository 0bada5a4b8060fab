"""A tiny word-level text generator (random weights, seeded): embedding + GRU + linear over VOCAB."""

import torch
from torch import nn

VOCAB = (
    "the a model server answers requests with tokens and tensors over http grpc while queues batch work on two cores "
    "latency throughput memory cache prompt output stream chunk worker handler archive metrics health ready live "
    "image text vector label class score first last fast slow small large local remote inference engine"
).split()


class TextGenerator(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(len(VOCAB), 32)
        self.gru = nn.GRU(32, 32, batch_first=True)
        self.out = nn.Linear(32, len(VOCAB))

    def ids(self, text):
        known = {w: i for i, w in enumerate(VOCAB)}
        return [known.get(w, sum(map(ord, w)) % len(VOCAB)) for w in text.lower().split()] or [0]

    @torch.no_grad()
    def generate(self, prompt, max_new_tokens):
        """Greedy decoding; yields one word per step."""
        x = torch.tensor([self.ids(prompt)])
        h = None
        for _ in range(max_new_tokens):
            y, h = self.gru(self.embed(x), h)
            nxt = int(self.out(y[0, -1]).argmax())
            yield VOCAB[nxt]
            x = torch.tensor([[nxt]])
