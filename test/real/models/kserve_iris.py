"""KServe Python model server (no Kubernetes) serving a scikit-learn classifier trained here.

    python kserve_iris.py --model_name iris --http_port 8080 --grpc_port 8081

The model is trained on start (4 float features, 3 Gaussian classes, seed 0; a fraction of a second), so there is
no pickle to keep in step with the venv. Both protocols: v1 `POST /v1/models/iris:predict {"instances": [[…]]}`
answers `{"predictions": [class, …]}`; v2 `POST /v2/models/iris/infer` takes input "input-0" FP32 [-1, 4] and
answers output "predict" INT64 [-1].
"""

import argparse
import uuid

import numpy as np
from kserve import InferRequest, InferResponse, InferOutput, Model, ModelServer, model_server
from sklearn.linear_model import LogisticRegression


class Iris(Model):
    def __init__(self, name):
        super().__init__(name)
        self.model = None
        self.ready = False

    def load(self):
        rng = np.random.default_rng(0)
        centers = np.array([[5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]])
        x = np.concatenate([c + 0.3 * rng.standard_normal((50, 4)) for c in centers]).astype(np.float32)
        self.model = LogisticRegression(max_iter=500).fit(x, np.repeat(np.arange(3), 50))
        self.ready = True
        return self.ready

    def get_input_types(self):
        return [{"name": "input-0", "datatype": "FP32", "shape": [-1, 4]}]

    def get_output_types(self):
        return [{"name": "predict", "datatype": "INT64", "shape": [-1]}]

    async def predict(self, payload, headers=None, response_headers=None):
        if isinstance(payload, InferRequest):
            x = payload.inputs[0].as_numpy().reshape(-1, 4)
            y = self.model.predict(x).astype(np.int64)
            out = InferOutput(name="predict", shape=list(y.shape), datatype="INT64", data=y.tolist())
            return InferResponse(model_name=self.name, infer_outputs=[out], response_id=payload.id or str(uuid.uuid4()))
        x = np.asarray(payload["instances"], dtype=np.float32).reshape(-1, 4)
        return {"predictions": self.model.predict(x).tolist()}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(parents=[model_server.parser])
    args, _ = parser.parse_known_args()
    m = Iris(args.model_name)
    m.load()
    ModelServer().start([m])
