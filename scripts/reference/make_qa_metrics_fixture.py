"""Writes Tests/LetheEvaluationTests/Fixtures/qa_metrics_reference.json: two-sample
Kolmogorov-Smirnov statistics and p-values (scipy.stats.ks_2samp, default method "auto",
exact at these sizes), ROUGE-L of Google's rouge-score package (use_stemmer=False) and
TOFU's aggregate formulas (truth ratio on forget and retain sets, model utility as
scipy.stats.hmean), following locuslab/tofu aggregate_eval_stat.py.

Run: /work/peers-env/bin/pip install scipy rouge-score
     /work/peers-env/bin/python scripts/reference/make_qa_metrics_fixture.py
"""
import json
import pathlib

import numpy as np
import scipy
from rouge_score import rouge_scorer
from scipy.stats import hmean, ks_2samp


def ks_cases(rng):
    cases = []
    specs = [(20, 20, 0.0), (15, 25, 0.3), (40, 40, 1.5), (7, 13, 0.0), (3, 50, 2.0), (60, 45, 0.8)]
    for n1, n2, shift in specs:
        a = rng.standard_normal(n1)
        b = rng.standard_normal(n2) + shift
        cases.append((a, b))
    ties_a = np.round(rng.standard_normal(30), 1)
    ties_b = np.round(rng.standard_normal(18) + 0.4, 1)
    cases.append((ties_a, ties_b))
    same = rng.standard_normal(10)
    cases.append((same, same.copy()))
    out = []
    for a, b in cases:
        r = ks_2samp(a, b)
        out.append({"a": a.tolist(), "b": b.tolist(), "statistic": float(r.statistic), "pvalue": float(r.pvalue)})
    return out


ROUGE_PAIRS = [
    ("Ana Varn was born in Darnholt.", "Ana Varn was born in Darnholt."),
    ("Ana Varn was born in Darnholt.", "She was born in the town of Darnholt in 1987"),
    ("The answer is 1987.", "1987"),
    ("Orvex Mills employs Bo Tallin as a tanner.", "bo tallin works as a tanner, at orvex mills!"),
    ("Café owner Zoë lives in Kiel.", "Zoe lives in KIEL, near the café."),
    ("", "anything at all"),
    ("a b c d e f", ""),
    ("the cat sat on the mat", "the mat sat on the cat"),
    ("It's 3:45 p.m. -- time's up", "its 3 45 p m time s up"),
    ("works lives living worked", "work live lives working"),
]


def rouge_cases():
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)
    out = []
    for target, prediction in ROUGE_PAIRS:
        s = scorer.score(target, prediction)["rougeL"]
        out.append({"target": target, "prediction": prediction,
                    "precision": s.precision, "recall": s.recall, "fmeasure": s.fmeasure})
    return out


def tofu_case(rng):
    """Per-question average NLLs (ground truth, paraphrase, 3 perturbed) for a forget,
    a retain and a world set, and the oracle's forget set; TOFU's aggregates of them."""
    def losses(n, gap):
        gt = rng.uniform(0.2, 2.0, n)
        para = gt + rng.normal(0.1, 0.2, n)
        pert = para[:, None] + gap + rng.normal(0, 0.4, (n, 3))
        return gt, para, pert

    sets = {"forget": losses(12, 0.2), "retain": losses(16, 0.8), "world": losses(10, 0.5), "oracle": losses(12, -0.1)}
    rouge = {k: rng.uniform(0, 1, len(v[0])) for k, v in sets.items()}

    def stat(para, pert):  # aggregate_eval_stat.py: curr_stat_1
        return np.exp(pert.mean(axis=-1) - para)

    res = {}
    gt, para, pert = sets["retain"]
    res["retain_probability"] = float(np.mean(np.exp(-gt)))
    res["retain_truth_ratio"] = float(np.mean(np.maximum(0, 1 - 1 / stat(para, pert))))
    res["retain_rouge"] = float(rouge["retain"].mean())
    gt, para, pert = sets["world"]
    true_p, false_p = np.exp(-gt), np.exp(-pert)
    res["world_probability"] = float(np.mean(true_p / (true_p + false_p.sum(-1))))
    res["world_truth_ratio"] = float(np.mean(np.maximum(0, 1 - 1 / stat(para, pert))))
    res["world_rouge"] = float(rouge["world"].mean())
    gt, para, pert = sets["forget"]
    res["forget_probability"] = float(np.mean(np.exp(-gt)))
    res["forget_truth_ratio"] = float(np.mean(np.minimum(stat(para, pert), 1 / stat(para, pert))))
    res["forget_rouge"] = float(rouge["forget"].mean())
    ks = ks_2samp(stat(sets["forget"][1], sets["forget"][2]), stat(sets["oracle"][1], sets["oracle"][2]))
    res["forget_quality"] = float(ks.pvalue)
    res["model_utility"] = float(hmean([res[k] for k in res if not k.startswith("forget")]))
    data = {k: {"gt": v[0].tolist(), "paraphrased": v[1].tolist(), "perturbed": v[2].tolist(), "rouge": rouge[k].tolist()}
            for k, v in sets.items()}
    return {"sets": data, "expected": res}


def main():
    rng = np.random.default_rng(5)
    out = pathlib.Path(__file__).resolve().parents[2] / "Tests/LetheEvaluationTests/Fixtures/qa_metrics_reference.json"
    doc = {"scipy": scipy.__version__, "ks": ks_cases(rng), "rouge": rouge_cases(), "tofu": tofu_case(rng)}
    out.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
