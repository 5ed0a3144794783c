"""Reference values for LetheEvaluation's ROC metrics and zlib lengths.

Writes Tests/LetheEvaluationTests/Fixtures/mia_reference.json: fixed score vectors with
heavy ties, scikit-learn's roc_auc_score and roc_curve(drop_intermediate=False) on them
(members labelled 1, higher score = member, Lethe's convention), the TPR at FPR budgets
(largest TPR with FPR <= budget), scipy's Mann-Whitney U / (n1 n0), and the lengths of
zlib.compress(text.encode("utf-8")) for a few texts.

Usage: peers-env/bin/python scripts/reference/make_mia_fixture.py
Needs: numpy, scikit-learn, scipy (pip; for this script only).
"""

import json
import pathlib
import zlib

import numpy as np
import scipy
import sklearn
from scipy.stats import mannwhitneyu
from sklearn.metrics import roc_auc_score, roc_curve

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/LetheEvaluationTests/Fixtures/mia_reference.json"
BUDGETS = [0.001, 0.01, 0.05, 0.1, 0.25]


def case(name, members, non_members):
    members = [float(x) for x in members]
    non_members = [float(x) for x in non_members]
    labels = [1] * len(members) + [0] * len(non_members)
    scores = members + non_members
    fpr, tpr, thresholds = roc_curve(labels, scores, drop_intermediate=False)
    u = mannwhitneyu(members, non_members, alternative="two-sided").statistic
    return {
        "name": name,
        "members": members,
        "non_members": non_members,
        "auc": float(roc_auc_score(labels, scores)),
        "mann_whitney_auc": float(u) / (len(members) * len(non_members)),
        "fpr": [float(x) for x in fpr],
        "tpr": [float(x) for x in tpr],
        "thresholds": [float(x) for x in thresholds[1:]],  # the first is +inf
        "tpr_at_fpr": {str(b): float(tpr[fpr <= b + 1e-12].max()) for b in BUDGETS},
    }


def main():
    rng = np.random.default_rng(3)
    cases = [
        case("hand ties", [3, 2, 2, 1, 5], [2, 1, 1, 0, 2, 3]),
        case("all tied", [1, 1, 1], [1, 1]),
        case("perfect", [4, 5, 6], [1, 2, 3]),
        case("inverted", [1, 2], [3, 4, 5]),
        # Integer scores: heavy ties, members shifted up.
        case("integer 300x300", rng.integers(0, 12, 300) + (rng.random(300) < 0.4), rng.integers(0, 12, 300)),
        # Rounded normals, 1000 non-members so FPR 0.1% is one false positive.
        case("rounded normals 200x1000", np.round(rng.normal(0.8, 1, 200), 1), np.round(rng.normal(0, 1, 1000), 1)),
        # Loss-like NLLs negated (higher = member).
        case("negated nll", -np.round(rng.gamma(4, 0.5, 150), 2), -np.round(rng.gamma(4, 0.6, 170), 2)),
    ]
    texts = [
        "",
        "a",
        "hello hello hello hello world",
        "The quick brown fox jumps over the lazy dog. " * 7,
        "Zürich, 東京 and naïve café — unicode text; ünïcödé!",
        "".join(chr(33 + (i * 37) % 90) for i in range(500)),
    ]
    fixture = {
        "generator": "scripts/reference/make_mia_fixture.py",
        "versions": {"numpy": np.__version__, "scikit-learn": sklearn.__version__, "scipy": scipy.__version__},
        "convention": "members labelled 1; higher score = member; tpr_at_fpr = max TPR with FPR <= budget over "
        "roc_curve(drop_intermediate=False)",
        "cases": cases,
        "zlib": [{"text": t, "length": len(zlib.compress(t.encode("utf-8")))} for t in texts],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
