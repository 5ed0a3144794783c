#!/usr/bin/env python3
"""Reference directions for Lethe's gradient combiners, from torchjd and LibMTL.

Writes Tests/LetheUnlearningTests/Fixtures/combiners.json. Run with the peers environment:

    /work/peers-env/bin/python scripts/reference/make_combiner_fixture.py --libmtl-source PATH

Pinned references (installed into the running interpreter's environment with pip):
  - torchjd 0.18.0 from PyPI, with its optional solvers (cvxpy 1.9.3, clarabel 0.11.1,
    ecos 2.0.14, quadprog 0.1.14, qpsolvers 4.13.0) and scipy.
  - LibMTL at commit 4336804847eaa5e0b924b743d76beec7ac3fdc97 (2025-05-14) of
    median-research-group/LibMTL. PyPI's LibMTL 1.1.5 (2021) predates Nash_MTL, Aligned_MTL
    and UPGrad, so the script installs the source tree given by --libmtl-source (a checkout
    of that commit) with `pip install --no-deps`. LibMTL's package __init__ imports
    torch_geometric for its trainer only; a stub module stands in for it here.
    Aligned_MTL calls torch.symeig, which torch 2 removed; it is patched to torch.linalg.eigh
    (torchjd made the same change). GradVac shuffles the partners j of each i; the shuffle is
    patched to keep index order, as Lethe (it matters only from three losses on).

Gradients need no storage: both sides generate them from a seed (splitmix64, Irwin–Hall
sums of four uniforms, pure arithmetic, so Python's and Swift's doubles agree bit for bit,
then rounded to float32). Two tensors: "a" (the first dims // 2 entries) and "b".
A reference's direction is stored as its coefficients per tensor (least squares of the
direction on the gradients; the residual is checked), its norm and its first 8 entries;
GradDrop's (not a combination) is stored whole, with the uniform draws it used.
"""
import argparse, json, os, random, subprocess, sys, types

TORCHJD = "torchjd==0.18.0"
SOLVERS = ["cvxpy==1.9.3", "clarabel==0.11.1", "ecos==2.0.14", "quadprog==0.1.14", "qpsolvers==4.13.0", "scipy"]
LIBMTL_COMMIT = "4336804847eaa5e0b924b743d76beec7ac3fdc97"
MASK = (1 << 64) - 1


def install(libmtl_source):
    pip = [sys.executable, "-m", "pip", "install", "--quiet"]
    subprocess.run(pip + [TORCHJD] + SOLVERS, check=True)
    subprocess.run(pip + ["--no-deps", libmtl_source], check=True)


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next() >> 11) * 2.0**-53

    def centred(self):
        # Irwin–Hall: four uniforms, summed left to right, minus 2.
        a = self.uniform()
        a = a + self.uniform()
        a = a + self.uniform()
        a = a + self.uniform()
        return a - 2.0


MIX = {"conflicting": [1.0, -0.8, 0.3, -0.5], "aligned": [1.0, 0.7, 1.2, 0.9]}
SCALES = [1.0, 3.0, 0.2, 1.5]


def gradients(seed, losses, dims, kind):
    """[losses][dims] float32 values: gᵢ = scaleᵢ ⋅ (mixᵢ ⋅ s + 0.5 ⋅ nᵢ)."""
    import numpy as np
    rng = SplitMix64(seed)
    shared = [rng.centred() for _ in range(dims)]
    rows = []
    for i in range(losses):
        noise = [rng.centred() for _ in range(dims)]
        rows.append([SCALES[i] * (MIX[kind][i] * shared[x] + 0.5 * noise[x]) for x in range(dims)])
    return np.array(rows, dtype=np.float32)


def coefficients(J, d, split):
    """Least-squares coefficients of d on J's rows, per tensor (a, b); checks the residual."""
    import numpy as np
    out = []
    for part in (slice(0, split), slice(split, None)):
        A, y = J[:, part].astype(np.float64), d[part].astype(np.float64)
        c = np.linalg.lstsq(A.T, y, rcond=None)[0]
        residual = np.linalg.norm(A.T @ c - y) / max(np.linalg.norm(y), 1e-300)
        assert residual < 1e-5, f"direction not in the gradients' span (residual {residual})"
        out.append([float(v) for v in c])
    return out


def step_record(J, d, split, seed):
    import numpy as np
    d = np.asarray(d, dtype=np.float64)
    return {"seed": seed, "coefficients": coefficients(J, d, split), "norm": float(np.linalg.norm(d)),
            "head": [float(v) for v in d[:8]]}


def per_scope(J, split, granularity, aggregate):
    """The direction, aggregating the whole matrix or each tensor's columns on their own."""
    import numpy as np
    if granularity == "model":
        return aggregate(J)
    return np.concatenate([aggregate(J[:, :split]), aggregate(J[:, split:])])


def torchjd_direction(aggregator):
    import numpy as np, torch
    return lambda J: aggregator(torch.tensor(J.astype(np.float64))).numpy()


class LibMTLHarness:
    """LibMTL's weighting methods expect a trainer around them; this one has two shared
    parameters (tensors a and b) and linear losses Lᵢ = gᵢ ⋅ θ + offsetᵢ, so each loss's
    gradient is exactly gᵢ and the combined direction is left in θ.grad."""

    @staticmethod
    def make(cls, losses, dims, split):
        import torch, torch.nn as nn

        class Harness(cls):
            def __init__(self):
                super().__init__()
                self.task_num, self.device, self.rep_grad = losses, torch.device("cpu"), False
                self.task_name = [f"t{i}" for i in range(losses)]
                self.shared = nn.ParameterList([nn.Parameter(torch.zeros(split)), nn.Parameter(torch.zeros(dims - split))])
                self.epoch, self.epochs = 0, 1

            def get_share_params(self):
                return self.shared.parameters()

            def zero_grad_share_params(self):
                for p in self.shared:
                    if p.grad is not None:
                        p.grad.zero_()

        h = Harness()
        h.init_param()
        return h

    @staticmethod
    def step(h, J, offsets, **kwargs):
        import numpy as np, torch
        split = h.shared[0].numel()
        for p in h.shared:
            p.grad = None
        g = torch.tensor(J)
        losses = torch.stack([(g[i, :split] * h.shared[0]).sum() + (g[i, split:] * h.shared[1]).sum() + offsets[i]
                              for i in range(len(J))])
        h.backward(losses, **kwargs)
        return torch.cat([p.grad.reshape(-1) for p in h.shared]).detach().numpy().astype(np.float64)


def nash_exact(G, start):
    """The paper's α: Ĝα = 1/α, by damped Newton on ½αᵀĜα − Σ log α (float64)."""
    import numpy as np
    a = np.array(start, dtype=np.float64)
    F = lambda x: 0.5 * x @ G @ x - np.log(x).sum()
    for _ in range(200):
        r = G @ a - 1 / a
        if np.max(np.abs(a * (G @ a) - 1)) < 1e-13:
            break
        step = np.linalg.solve(G + np.diag(1 / a**2), -r)
        t = 1.0
        while t > 1e-12 and (np.any(a + t * step <= 0) or F(a + t * step) > F(a) + 1e-4 * t * r @ step):
            t /= 2
        a = a + t * step
    return a


def cagrad_exact(J, c):
    """CAGrad's direction with w* polished by SLSQP at ftol 1e-15, started from torchjd's
    solution and kept only where its objective is no worse (torchjd's Clarabel solution can
    be 1e-5 off: two calls on the same Gramian, scaled, gave different w*)."""
    import numpy as np, torch
    from scipy.optimize import minimize
    import torchjd.aggregation as jd
    J = J.astype(np.float64)
    m = len(J)
    G = J @ J.T
    G = G / np.trace(G)
    b = G @ np.ones(m) / m
    sqrt_phi = c * np.sqrt(np.ones(m) / m @ b)
    objective = lambda w: w @ b + sqrt_phi * np.sqrt(max(w @ G @ w, 0.0))
    weights = jd.CAGrad(c=c).weighting(torch.tensor(G)).numpy()
    start = np.clip(weights - 1 / m, 0, None)
    start = start / start.sum() if start.sum() > 0 else np.ones(m) / m
    best = start
    for x0 in [start] + list(np.eye(m)) + [np.ones(m) / m]:
        r = minimize(objective, x0, method="SLSQP", bounds=[(0, 1)] * m,
                     constraints={"type": "eq", "fun": lambda x: x.sum() - 1}, options={"ftol": 1e-15, "maxiter": 1000})
        w = np.clip(r.x, 0, None)
        w = w / w.sum()
        if objective(w) < objective(best):
            best = w
    norm = np.sqrt(best @ G @ best)
    return (np.ones(m) / m + sqrt_phi / norm * best) @ J


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--libmtl-source", required=True, help=f"a checkout of LibMTL at {LIBMTL_COMMIT}")
    parser.add_argument("--no-install", action="store_true")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "../../Tests/LetheUnlearningTests/Fixtures/combiners.json"))
    args = parser.parse_args()
    if not args.no_install:
        install(args.libmtl_source)
    import numpy as np, torch
    sys.modules.setdefault("torch_geometric", types.ModuleType("torch_geometric"))
    torch.symeig = lambda M, eigenvectors=True: torch.linalg.eigh(M)
    import LibMTL.weighting as libmtl
    import torchjd, torchjd.aggregation as jd
    sys.modules["LibMTL.weighting.GradVac"].random.shuffle = lambda items: None  # the module `random` itself
    import importlib.metadata as md

    cases = []

    def case(combiner, options, reference, losses, dims, kind, seeds, directions, tolerance=1e-5, note=None, offsets=None):
        split = dims // 2
        steps = []
        for seed, d in zip(seeds, directions):
            steps.append(step_record(gradients(seed, losses, dims, kind), d, split, seed))
        entry = {"combiner": combiner, "options": options, "reference": reference, "losses": losses, "dims": dims,
                 "kind": kind, "tolerance": tolerance, "steps": steps}
        if offsets is not None:
            entry["loss_values"] = offsets
        if note:
            entry["note"] = note
        cases.append(entry)

    shapes = [(2, 10, "conflicting", 1), (2, 1000, "aligned", 2), (3, 100, "conflicting", 3), (4, 10000, "conflicting", 4),
              (4, 10, "aligned", 5), (3, 10000, "aligned", 6), (2, 10000, "conflicting", 7)]
    offsets = [2.0, 0.5, 1.3, 0.8]

    def both_granularities(name, options, reference, make_aggregate, shapes_model=shapes, shapes_tensor=shapes[:3], tolerance=1e-5):
        for granularity, chosen in (("model", shapes_model), ("tensor", shapes_tensor)):
            for losses, dims, kind, seed in chosen:
                J = gradients(seed, losses, dims, kind)
                d = per_scope(J, dims // 2, granularity, make_aggregate())
                case(name, dict(options, granularity=granularity), reference, losses, dims, kind, [seed], [d], tolerance)

    # torchjd, Gramian weightings (float64)
    both_granularities("upgrad", {}, "torchjd 0.18.0 UPGrad()", lambda: torchjd_direction(jd.UPGrad()))
    both_granularities("mgda", {}, "torchjd 0.18.0 MGDA()", lambda: torchjd_direction(jd.MGDA()))
    both_granularities("imtl_g", {}, "torchjd 0.18.0 IMTLG()", lambda: torchjd_direction(jd.IMTLG()))
    both_granularities("cagrad", {"c": 0.4}, "torchjd 0.18.0 CAGrad(c=0.4): Clarabel, accurate to about 1e-5 here",
                       lambda: torchjd_direction(jd.CAGrad(c=0.4)), tolerance=1e-4)
    both_granularities("cagrad", {"c": 0.4}, "the exact CAGrad optimum (SLSQP at ftol 1e-15 from torchjd's point, no worse than it)",
                       lambda: lambda J: cagrad_exact(J, 0.4))
    both_granularities("aligned_mtl", {"reduction": "mean"}, "torchjd 0.18.0 AlignedMTL()", lambda: torchjd_direction(jd.AlignedMTL()))
    for mode in ("median", "rmse"):
        losses, dims, kind, seed = shapes[3]
        J = gradients(seed, losses, dims, kind)
        case("aligned_mtl", {"reduction": "mean", "scale_mode": mode}, f"torchjd 0.18.0 AlignedMTL(scale_mode='{mode}')",
             losses, dims, kind, [seed], [torchjd_direction(jd.AlignedMTL(scale_mode=mode))(J)])

    # LibMTL (float32 internally)
    def libmtl_case(name, options, cls, kwargs, chosen, reference, tolerance=1e-5, note=None):
        for losses, dims, kind, seed in chosen:
            J = gradients(seed, losses, dims, kind)
            h = LibMTLHarness.make(cls, losses, dims, dims // 2)
            d = LibMTLHarness.step(h, J, offsets[:losses], **kwargs)
            case(name, options, reference, losses, dims, kind, [seed], [d], tolerance, note, offsets[:losses])

    ref = f"LibMTL@{LIBMTL_COMMIT[:10]}"
    two = [s for s in shapes if s[0] == 2]
    libmtl_case("upgrad", {}, libmtl.UPGrad, {"UPGrad_norm_eps": 1e-4, "UPGrad_reg_eps": 1e-4}, shapes, f"{ref} UPGrad")
    libmtl_case("imtl_g", {}, libmtl.IMTL, {}, shapes, f"{ref} IMTL (first step: loss scales 0)")
    libmtl_case("aligned_mtl", {}, libmtl.Aligned_MTL, {}, shapes, f"{ref} Aligned_MTL (torch.symeig → eigh)")
    for gn, option in (("none", "none"), ("l2", "l2"), ("loss", "loss"), ("loss+", "loss+")):
        libmtl_case("mgda", {"normalization": option}, libmtl.MGDA, {"mgda_gn": gn}, [two[0], two[2]], f"{ref} MGDA(mgda_gn={gn})",
                    note="two conflicting losses: LibMTL's closed form, γ inside its [0.001, 0.999] clip")
    for rescale, option in ((0, "none"), (1, "c_squared"), (2, "c")):
        libmtl_case("cagrad", {"c": 0.4, "rescale": option}, libmtl.CAGrad, {"calpha": 0.4, "rescale": rescale}, shapes[:4],
                    f"{ref} CAGrad(calpha=0.4, rescale={rescale})", tolerance=1e-4,
                    note="SLSQP (scipy defaults) and 1e-8 added under LibMTL's square roots: agreement to 1e-4")

    # GradVac: a sequence of steps (the EMA), model and per tensor (group_type 0 and 2)
    for granularity, group in (("model", 0), ("tensor", 2)):
        for losses, dims, kind, seed in (shapes[0], shapes[2], shapes[3]):
            J0 = gradients(seed, losses, dims, kind)
            h = LibMTLHarness.make(libmtl.GradVac, losses, dims, dims // 2)
            seeds = [seed, seed + 100, seed + 200, seed + 300]
            kinds = [kind, "aligned", kind, "conflicting"]
            ds = []
            for s, k in zip(seeds, kinds):
                ds.append(LibMTLHarness.step(h, gradients(s, losses, dims, k), offsets[:losses], GradVac_beta=0.3, GradVac_group_type=group))
            entry_steps = [step_record(gradients(s, losses, dims, k), d, dims // 2, s) for s, k, d in zip(seeds, kinds, ds)]
            for record, k in zip(entry_steps, kinds):
                record["kind"] = k
            cases.append({"combiner": "gradvac", "options": {"beta": 0.3, "granularity": granularity},
                          "reference": f"{ref} GradVac(beta=0.3, group_type={group}), partners in index order",
                          "losses": losses, "dims": dims, "kind": kind, "tolerance": 1e-5, "steps": entry_steps})

    # Nash-MTL: the paper's exact solution (Lethe's target) and torchjd's (an approximate solver)
    for every in (1, 2):
        for losses, dims, kind, seed in (shapes[0], shapes[2], shapes[3], shapes[5]):
            seeds = [seed, seed + 100, seed + 200]
            kinds = [kind, "aligned", kind]
            agg = jd.NashMTL(n_tasks=losses, max_norm=1.0, update_weights_every=every)
            alpha, exact_steps, jd_steps, failed = np.ones(losses), [], [], 0
            for t, (s, k) in enumerate(zip(seeds, kinds)):
                J = gradients(s, losses, dims, k).astype(np.float64)
                G = J @ J.T
                if t % every == 0:
                    alpha = nash_exact(G / np.linalg.norm(G), alpha)
                w = alpha * min(1.0, 1.0 / np.sqrt(alpha @ G @ alpha))
                exact_steps.append(step_record(J, w @ J, dims // 2, s) | {"kind": k})
                before = np.array(agg.weighting.prvs_alpha, dtype=np.float64)
                record = step_record(J, agg(torch.tensor(J)).numpy(), dims // 2, s) | {"kind": k}
                if t > 0 and t % every == 0 and np.array_equal(before, agg.weighting.prvs_alpha):
                    failed += 1  # ECOS failed and torchjd kept its last α: not the paper's step
                    break  # its later steps start from another state
                jd_steps.append(record)
            base = {"combiner": "nash_mtl", "options": {"update_weights_every": every}, "losses": losses, "dims": dims, "kind": kind}
            cases.append(base | {"reference": "the paper's Gα = 1/α, by Newton in float64 (this script)", "tolerance": 1e-5, "steps": exact_steps})
            cases.append(base | {"reference": f"torchjd 0.18.0 NashMTL(max_norm=1.0, update_weights_every={every}): "
                                 "CVXPY/ECOS, stopped at ‖Gα − 1/α‖ < 1e-3" + (f"; its steps from step {len(jd_steps) + 1} on are left "
                                 "out: ECOS failed there and torchjd kept its last α" if failed else ""),
                                 "tolerance": 1e-3, "steps": jd_steps})

    # GradDrop: torchjd's aggregator, with the uniforms it drew
    drops = []
    for losses, dims, kind, seed, leak in ((2, 10, "conflicting", 11, 0.0), (3, 100, "conflicting", 12, 0.0),
                                           (2, 1000, "aligned", 13, 0.0), (4, 300, "conflicting", 14, 0.25)):
        J = gradients(seed, losses, dims, kind)
        torch.manual_seed(seed)
        uniforms = torch.rand(dims, dtype=torch.float32)
        torch.manual_seed(seed)
        agg = jd.GradDrop(leak=torch.full((losses,), leak)) if leak else jd.GradDrop()
        d = agg(torch.tensor(J))
        drops.append({"losses": losses, "dims": dims, "kind": kind, "seed": seed, "leak": leak,
                      "reference": "torchjd 0.18.0 GradDrop()", "uniforms": [float(u) for u in uniforms],
                      "direction": [float(v) for v in d]})

    versions = {"torchjd": md.version("torchjd"), "torch": torch.__version__, "numpy": np.__version__,
                "LibMTL": f"{md.version('LibMTL')} @ {LIBMTL_COMMIT}", "cvxpy": md.version("cvxpy"),
                "quadprog": md.version("quadprog"), "ecos": md.version("ecos"), "scipy": md.version("scipy")}
    out = {"generator": "splitmix64; centred = u1+u2+u3+u4-2; g_i = scale_i*(mix_i*s + 0.5*n_i) as float32",
           "mix": MIX, "scales": SCALES, "versions": versions, "cases": cases, "graddrop": drops}
    with open(args.out, "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"{len(cases)} cases, {len(drops)} graddrop cases -> {os.path.normpath(args.out)}")


if __name__ == "__main__":
    main()
