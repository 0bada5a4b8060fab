"""Ray Serve: one application, "llm", at a route prefix ("/" unless given; the embedded Ray Serve personality's
`routePrefix`):
a FastAPI ingress deployment serving the OpenAI API (/v1/models, /v1/chat/completions, /v1/completions, JSON and
SSE) with a tiny model built here: a random bigram table (seeded numpy weights) over a small word vocabulary,
one whitespace-separated word per token (as the embedded personality counts). Local Ray, one CPU, no dashboard.
usage: rayserve_app.py <port> [route prefix]   (foreground; SIGTERM shuts Ray down: raylet, GCS and the actors)
"""
import json
import signal
import sys
import time
import uuid

import numpy as np
import ray
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from ray import serve

MODEL = "tiny-llm"
VOCAB = (
    "the a model server token request answer batch queue latency fast small random ray serve route replica "
    "deployment proxy stream word text input output cpu core".split()
)
api = FastAPI()


@serve.deployment(ray_actor_options={"num_cpus": 0})
@serve.ingress(api)
class TinyLlm:
    def __init__(self):
        rng = np.random.default_rng(0)
        self.w = rng.standard_normal((len(VOCAB), len(VOCAB))).astype(np.float32)

    def generate(self, prompt, n, temperature):
        words = prompt.split()
        prev = VOCAB.index(words[-1]) if words and words[-1] in VOCAB else len(words) % len(VOCAB)
        rng = np.random.default_rng()
        for _ in range(n):
            logits = self.w[prev]
            if temperature and temperature > 0:
                p = np.exp((logits - logits.max()) / temperature)
                prev = int(rng.choice(len(VOCAB), p=p / p.sum()))
            else:
                prev = int(np.argmax(logits))
            yield VOCAB[prev]

    @api.get("/v1/models")
    def models(self):
        return {"object": "list", "data": [{"id": MODEL, "object": "model", "created": 0, "owned_by": "ray"}]}

    async def complete(self, req: Request, chat: bool):
        body = await req.json()
        if body.get("model", MODEL) != MODEL:
            return JSONResponse(
                {"error": {"message": f"The model `{body.get('model')}` does not exist.", "type": "NotFoundError",
                           "code": 404}}, status_code=404)
        if chat:
            prompt = " ".join(str(m.get("content", "")) for m in body.get("messages", []))
        else:
            prompt = body.get("prompt", "")
            prompt = " ".join(prompt) if isinstance(prompt, list) else str(prompt)
        n = int(body.get("max_tokens") or body.get("max_completion_tokens") or 16)
        usage = {"prompt_tokens": len(prompt.split()), "completion_tokens": n,
                 "total_tokens": len(prompt.split()) + n}
        rid = ("chatcmpl-" if chat else "cmpl-") + uuid.uuid4().hex
        obj = "chat.completion" if chat else "text_completion"
        created = int(time.time())
        words = self.generate(prompt, n, body.get("temperature", 1.0))
        if not body.get("stream"):
            text = " ".join(words)
            choice = ({"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "length"}
                      if chat else {"index": 0, "text": text, "finish_reason": "length"})
            return {"id": rid, "object": obj, "created": created, "model": MODEL, "choices": [choice], "usage": usage}
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))

        def sse():
            for k, w in enumerate(words):
                piece = w if k == 0 else " " + w
                fin = "length" if k == n - 1 else None
                choice = ({"index": 0, "delta": {"role": "assistant", "content": piece} if k == 0 else
                           {"content": piece}, "finish_reason": fin}
                          if chat else {"index": 0, "text": piece, "finish_reason": fin})
                chunk = {"id": rid, "object": obj + (".chunk" if chat else ""), "created": created, "model": MODEL,
                         "choices": [choice]}
                yield f"data: {json.dumps(chunk)}\n\n"
            if include_usage:
                yield "data: " + json.dumps({"id": rid, "object": obj + (".chunk" if chat else ""),
                                             "created": created, "model": MODEL, "choices": [],
                                             "usage": usage}) + "\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(sse(), media_type="text/event-stream")

    @api.post("/v1/chat/completions")
    async def chat(self, req: Request):
        return await self.complete(req, True)

    @api.post("/v1/completions")
    async def completions(self, req: Request):
        return await self.complete(req, False)


def main():
    port = int(sys.argv[1])
    route = sys.argv[2] if len(sys.argv) > 2 else "/"
    # Ray registers ray.shutdown at exit: SIGTERM exits through it (stops raylet, GCS and the Serve actors).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False)
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    serve.run(TinyLlm.bind(), name="llm", route_prefix=route)
    print(f"Ray {ray.__version__}: application llm at http://127.0.0.1:{port}{route}", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
