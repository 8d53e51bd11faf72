"""Reference values for libs/data-checks drift statistics, computed with scipy/numpy the way Evidently does.

Reads a JSON list of cases on stdin and writes a JSON list of results on stdout. Run by
src/drift/drift-reference.spec.ts through the `reference` venv (tools/python/ensure-venv.sh reference).

The Evidently rules are restated here with numpy (Evidently itself is only installed in the benchmark venv):
get_binned_data's Sturges histogram over reference+current when the reference has more than 20 distinct values,
one bin per value otherwise, the empty-bin fill for PSI and KL, chi-square on reference counts scaled to the
current size, and the two-proportion Z-test.
"""
import json
import sys

import numpy as np
from scipy import stats
from scipy.spatial import distance


def binned(ref, cur, feature_type, fill_zeroes):
    ref = np.asarray(ref)
    cur = np.asarray(cur)
    if feature_type == "numerical" and len(np.unique(ref)) > 20:
        bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        p = np.histogram(ref, bins)[0] / len(ref)
        q = np.histogram(cur, bins)[0] / len(cur)
    else:
        keys = sorted(set(ref.tolist()) | set(cur.tolist()))
        rv, rc = np.unique(ref, return_counts=True)
        cv, cc = np.unique(cur, return_counts=True)
        rd = dict(zip(rv.tolist(), rc.tolist()))
        cd = dict(zip(cv.tolist(), cc.tolist()))
        p = np.array([rd.get(k, 0) for k in keys]) / len(ref)
        q = np.array([cd.get(k, 0) for k in keys]) / len(cur)
    if fill_zeroes:
        for a in (p, q):
            m = min(a[a != 0])
            np.place(a, a == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return p, q


def chisquare(ref, cur):
    keys = sorted(set(ref) | set(cur))
    rv, rc = np.unique(ref, return_counts=True)
    cv, cc = np.unique(cur, return_counts=True)
    rd = dict(zip(rv.tolist(), rc.tolist()))
    cd = dict(zip(cv.tolist(), cc.tolist()))
    k = len(cur) / len(ref)
    exp = np.array([rd.get(x, 0) * k for x in keys], dtype=float)
    obs = np.array([cd.get(x, 0) for x in keys], dtype=float)
    if np.any((exp == 0) & (obs > 0)):
        return float("inf"), 0.0
    r = stats.chisquare(obs, exp)
    return float(r.statistic), float(r.pvalue)


def ztest(ref, cur):
    ref = np.asarray(ref)
    cur = np.asarray(cur)
    keys = sorted(set(ref.tolist()) | set(cur.tolist()))
    if len(keys) <= 1:
        return 0.0, 1.0
    first = keys[0]
    x1 = (ref != first).astype(float)
    x2 = (cur != first).astype(float)
    n1, n2 = len(x1), len(x2)
    p1, p2 = float(sum(x1)) / n1, float(sum(x2)) / n2
    P = float(p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(P * (1 - P) * (1.0 / n1 + 1.0 / n2))
    return float(z), float(2 * (1 - stats.norm.cdf(np.abs(z))))


def run(case):
    kind = case["kind"]
    if kind == "kstwo_sf":
        return float(stats.kstwo.sf(case["x"], case["n"]))
    if kind == "chi2_sf":
        return float(stats.chi2.sf(case["x"], case["dof"]))
    ref = np.asarray(case["ref"], dtype=object if case.get("strings") else float)
    cur = np.asarray(case["cur"], dtype=object if case.get("strings") else float)
    if kind == "ks":
        r = stats.ks_2samp(ref, cur)
        return [float(r.statistic), float(r.pvalue)]
    if kind == "wasserstein":
        return float(stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001))
    if kind == "chisquare":
        return list(chisquare(ref.tolist(), cur.tolist()))
    if kind == "z":
        return list(ztest(ref, cur))
    ft = case.get("type", "numerical")
    if kind == "jensenshannon":
        p, q = binned(ref, cur, ft, False)
        return float(distance.jensenshannon(p, q))
    if kind == "psi":
        p, q = binned(ref, cur, ft, True)
        return float(np.sum((p - q) * np.log(p / q)))
    if kind == "kl_div":
        p, q = binned(ref, cur, ft, True)
        return float(stats.entropy(p, q))
    if kind == "hellinger":
        p, q = binned(ref, cur, ft, False)
        return float(np.sqrt(np.sum((np.sqrt(p) - np.sqrt(q)) ** 2) / 2))
    raise ValueError(f"unknown case kind {kind}")


if __name__ == "__main__":
    cases = json.load(sys.stdin)
    json.dump([run(c) for c in cases], sys.stdout)
