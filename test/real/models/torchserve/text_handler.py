"""TorchServe handler of the tiny text generator: the body is the prompt as text, or JSON
{"prompt" | "data": "...", "max_new_tokens": N} (default 32). It streams one HTTP chunk per word, as TorchServe's
streaming handlers do (send_intermediate_predict_response for every word but the last, which the handler returns)."""

import json
import os

import torch
from ts.handler_utils.utils import send_intermediate_predict_response
from ts.torch_handler.base_handler import BaseHandler

from text_model import TextGenerator

DEFAULT_MAX_TOKENS = 32


class TextHandler(BaseHandler):
    def initialize(self, context):
        model_dir = context.system_properties.get("model_dir")
        self.model = TextGenerator()
        self.model.load_state_dict(torch.load(os.path.join(model_dir, "text.pt"), map_location="cpu"))
        self.model.eval()
        self.initialized = True

    def handle(self, data, context):
        row = data[0]
        body = row.get("data") or row.get("body")
        if isinstance(body, (bytes, bytearray)):
            body = body.decode("utf-8")
        if isinstance(body, str):
            try:
                body = json.loads(body)
            except ValueError:
                pass
        if isinstance(body, dict):
            prompt = body.get("prompt") or body.get("data") or body.get("text") or ""
            max_new = body.get("max_new_tokens") or body.get("max_tokens") or DEFAULT_MAX_TOKENS
        else:
            prompt, max_new = str(body), DEFAULT_MAX_TOKENS
        # Each word is sent when the next one exists, so the last one can be the handler's return value.
        held = None
        for i, word in enumerate(self.model.generate(prompt, int(max_new))):
            if held is not None:
                send_intermediate_predict_response([held], context.request_ids, "Intermediate Prediction success", 200, context)
            held = word if i == 0 else " " + word
        return [held or ""]
