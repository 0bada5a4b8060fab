"""Builds TorchServe's model store here: an image classifier and a text generator, tiny torch models with seeded
random weights, each packed by torch-model-archiver into a .mar.

    python torchserve_models.py <model-store>

- image.mar: a small CNN (3x224x224 -> 10 classes) saved as TorchScript, served by TorchServe's own built-in
  `image_classifier` handler (decode, resize 256, crop 224, normalize; top-5 {label: probability} with the labels of
  index_to_name.json).
- text.mar: a word-level generator (embedding + GRU + linear over a 64-word vocabulary) with the custom handler
  torchserve/text_handler.py, which streams one HTTP chunk per generated word (send_intermediate_predict_response).
Idempotent: kept when its build id matches.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

BUILD_ID = "torchserve-models-v1"
HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = ["tench", "goldfish", "great white shark", "tiger shark", "hammerhead", "electric ray", "stingray", "cock", "hen", "ostrich"]


def archive(store, name, serialized, handler, extra):
    subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "torch-model-archiver"), "--model-name", name, "--version", "1.0",
         "--serialized-file", serialized, "--handler", handler, "--extra-files", ",".join(extra),
         "--export-path", store, "--force"],
        check=True,
    )


def main(store):
    stamp = os.path.join(store, "build-id")
    if os.path.exists(stamp) and open(stamp).read().strip() == BUILD_ID:
        print(f"{store}: already built ({BUILD_ID})")
        return
    import torch
    from torch import nn

    sys.path.insert(0, os.path.join(HERE, "torchserve"))
    from text_model import TextGenerator, VOCAB

    os.makedirs(store, exist_ok=True)
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        image = nn.Sequential(
            nn.Conv2d(3, 8, kernel_size=7, stride=4), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, len(LABELS))
        ).eval()
        torch.jit.script(image).save(os.path.join(tmp, "image.pt"))
        with open(os.path.join(tmp, "index_to_name.json"), "w") as f:
            json.dump({str(i): label for i, label in enumerate(LABELS)}, f)
        archive(store, "image", os.path.join(tmp, "image.pt"), "image_classifier", [os.path.join(tmp, "index_to_name.json")])

        text = TextGenerator().eval()
        torch.save(text.state_dict(), os.path.join(tmp, "text.pt"))
        archive(store, "text", os.path.join(tmp, "text.pt"), os.path.join(HERE, "torchserve", "text_handler.py"),
                [os.path.join(HERE, "torchserve", "text_model.py")])
    with open(stamp, "w") as f:
        f.write(BUILD_ID)
    print(f"{store}: built image.mar, text.mar ({BUILD_ID})")


if __name__ == "__main__":
    main(sys.argv[1])
