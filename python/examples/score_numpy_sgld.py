"""A plain numpy SGLD estimate of the local learning coefficient on data
drawn by ``rlct.sample`` from models whose λ is known, scored against the
answer key. No torch needed.

    python python/examples/score_numpy_sgld.py [--steps 4000] [--seed 0]

The estimator is the usual one (Lau et al. 2023): with the tempered,
localised posterior ∝ exp(−nβ L_n(w) − γ/2 ‖w − w*‖²),
λ̂ = nβ (E[L_n(w)] − L_n(w*)), sampled by SGLD on minibatches. For
reduced-rank regression y = B A x the loss is L_n = mean ‖y − BAx‖² / 2.
The defaults follow rlct's `tuned` preset in spirit: a large data set
(n = 10⁶) at a fixed nβ = 1000, because at nβ = n / log n on small n the
data's own noise term (of order nβ/√n) dominates the estimate (README,
"LLC estimator validation"). The score shows what such a plain sampler
gets right and where it is biased (m > 1 rows run low).
"""

import argparse
import json

import numpy as np

import rlct


def sgld_llc(X, Y, A0, B0, rng, steps, eps, gamma, batch, chains, nbeta):
    n = X.shape[0]

    def loss(A, B, idx):
        R = Y[idx] - X[idx] @ A.T @ B.T
        return 0.5 * np.mean(np.sum(R * R, axis=1))

    full = np.arange(n)
    l0 = loss(A0, B0, full)
    per_chain = []
    for _ in range(chains):
        A, B = A0.copy(), B0.copy()
        draws = []
        for t in range(steps):
            idx = rng.integers(0, n, size=batch)
            x, y = X[idx], Y[idx]
            R = y - x @ A.T @ B.T  # (b, N)
            # ∇_A, ∇_B of mean ‖y − BAx‖²/2
            gB = -(R.T @ (x @ A.T)) / batch
            gA = -(B.T @ R.T @ x) / batch
            A = A - eps / 2 * (nbeta * gA + gamma * (A - A0)) + np.sqrt(eps) * rng.standard_normal(A.shape)
            B = B - eps / 2 * (nbeta * gB + gamma * (B - B0)) + np.sqrt(eps) * rng.standard_normal(B.shape)
            if t >= steps // 2 and t % 10 == 0:
                draws.append(loss(A, B, idx) - loss(A0, B0, idx) + l0)
        per_chain.append(nbeta * (np.mean(draws) - l0))
    per_chain = np.array(per_chain)
    return per_chain.mean(), per_chain.std(ddof=1) / np.sqrt(chains)


def truth(mod):
    """The true A0 (H×M), B0 (N×H) of rlct's rrr family: [I_r 0; 0 0]."""
    p = mod.as_dict()
    fam = p["family"]
    M, N, H, r = (int(v) for v in fam[4:-1].split(","))
    A0 = np.zeros((H, M))
    B0 = np.zeros((N, H))
    for i in range(r):
        A0[i, i] = 1.0
        B0[i, i] = 1.0
    return A0, B0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--nbeta", type=float, default=1000.0)
    ap.add_argument("--eps", type=float, default=1e-4)
    ap.add_argument("--gamma", type=float, default=1.0)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    families = ["rrr(2,2,2,0)", "rrr(3,3,2,0)", "rrr(3,3,2,1)", "rrr(2,2,1,0)"]
    key = rlct.answer_key(families)
    estimates = []
    for fam in families:
        mod = rlct.model(fam)
        X, Y = rlct.sample(mod, args.n, seed=args.seed)
        A0, B0 = truth(mod)
        lam, se = sgld_llc(X, Y, A0, B0, rng, args.steps, eps=args.eps, gamma=args.gamma, batch=256, chains=4,
                           nbeta=args.nbeta)
        estimates.append({"family": fam, "lambda_hat": float(lam), "stderr": float(se), "estimator": "numpy-sgld"})
    result = rlct.score(estimates, key=key)
    for r in result["rows"]:
        print(f"{r['family']:<14} λ = {r['lambda']:<4} m = {r['multiplicity']}  λ̂ = {r['lambda_hat']:.3f} ± "
              f"{r['stderr']:.3f}  rel. err {100 * r['relative_error']:+.1f} %  z {r['z']:+.2f}")
    print(json.dumps(result["summary"]))


if __name__ == "__main__":
    main()
