"""Writes Tests/LetheEvaluationTests/Fixtures/probe_reference.json: the optimum of
L2-regularised logistic regression as scikit-learn fits it (LogisticRegression(C=C), lbfgs,
intercept not penalised, tol 1e-12), for LogisticRegression.swift (the residual probe).

Run: /work/peers-env/bin/pip install scikit-learn
     /work/peers-env/bin/python scripts/reference/make_probe_fixture.py
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression


def main():
    rng = np.random.default_rng(4)
    cases = []
    for n, d, C, noise in [(40, 5, 1.0, 1.0), (60, 12, 0.3, 0.5), (30, 3, 10.0, 2.0)]:
        x = rng.standard_normal((n, d))
        w = rng.standard_normal(d)
        y = (x @ w + 0.3 + noise * rng.standard_normal(n) > 0).astype(int)
        model = LogisticRegression(C=C, tol=1e-12, max_iter=100000).fit(x, y)
        cases.append({
            "n": n, "d": d, "c": C, "features": x.reshape(-1).tolist(), "labels": y.tolist(),
            "weights": model.coef_[0].tolist(), "intercept": float(model.intercept_[0]),
            "probabilities": model.predict_proba(x)[:, 1].tolist(),
        })
    out = pathlib.Path(__file__).resolve().parents[2] / "Tests/LetheEvaluationTests/Fixtures/probe_reference.json"
    out.write_text(json.dumps({"sklearn": sklearn.__version__, "cases": cases}, indent=1) + "\n")
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
