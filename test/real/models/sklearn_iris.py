"""Trains a small scikit-learn classifier on generated data and writes an MLServer model folder.

    python sklearn_iris.py <out-dir>

4 float features, 3 classes (Gaussian blobs, seed 0), LogisticRegression saved with joblib as model.joblib, plus
MLServer's model-settings.json (model name "iris", input tensor "input-0" FP32 [-1, 4]). The same venv trains and
serves it (pickle compatibility). Idempotent: kept when its build id matches.
"""

import json
import os
import sys

BUILD_ID = "sklearn-iris-v1"


def main(out):
    stamp = os.path.join(out, "build-id")
    if os.path.exists(stamp) and open(stamp).read().strip() == BUILD_ID:
        print(f"{out}: already built ({BUILD_ID})")
        return
    import joblib
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    centers = np.array([[5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]])
    x = np.concatenate([c + 0.3 * rng.standard_normal((50, 4)) for c in centers]).astype(np.float32)
    y = np.repeat(np.arange(3), 50)
    model = LogisticRegression(max_iter=500).fit(x, y)
    os.makedirs(out, exist_ok=True)
    joblib.dump(model, os.path.join(out, "model.joblib"))
    settings = {
        "name": "iris",
        "implementation": "mlserver_sklearn.SKLearnModel",
        "inputs": [{"name": "input-0", "datatype": "FP32", "shape": [-1, 4]}],
        "outputs": [{"name": "predict", "datatype": "INT64", "shape": [-1, 1]}],
        "parameters": {"uri": "./model.joblib", "version": "v1"},
    }
    with open(os.path.join(out, "model-settings.json"), "w") as f:
        json.dump(settings, f, indent=2)
    with open(stamp, "w") as f:
        f.write(BUILD_ID + "\n")
    print(json.dumps({"dir": out, "train_accuracy": float(model.score(x, y))}))


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]))
