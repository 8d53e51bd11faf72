"""Writes the drift benchmark's CSV pair: 1,000,000 rows x 20 mixed columns each, seeded, about half drifted.

Usage: python generate.py OUT_DIR [ROWS]
"""
import sys
from pathlib import Path

import numpy as np
import pandas as pd


def frame(rows: int, seed: int, drift: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    d = 1.0 if drift else 0.0
    cols = {}
    for i in range(8):
        # f0-f3 drift (mean shift / wider spread); f4-f7 do not.
        shift = 0.25 * d if i < 2 else 0.0
        scale = 1.0 + (0.3 * d if 2 <= i < 4 else 0.0)
        cols[f"f{i}"] = np.round(rng.normal(shift, scale, rows), 4)
    cols["w0"] = rng.integers(0, 100_000 + int(30_000 * d), rows)
    cols["w1"] = rng.integers(0, 100_000, rows)
    base = np.array([0.3, 0.25, 0.2, 0.1, 0.1, 0.05])
    moved = np.array([0.15, 0.25, 0.2, 0.2, 0.1, 0.1])
    for i in range(4):
        p = moved if (drift and i < 2) else base
        cols[f"k{i}"] = rng.choice(6, rows, p=p)
    cats = np.array([f"cat_{j}" for j in range(8)])
    for i in range(3):
        p = np.full(8, 1 / 8)
        if drift and i == 0:
            p = np.array([0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05])
        cols[f"s{i}"] = rng.choice(cats, rows, p=p)
    cols["b0"] = (rng.random(rows) < (0.55 if drift else 0.4)).astype(int)
    n0 = np.round(rng.normal(10, 2, rows), 3)
    n0[rng.random(rows) < 0.05] = np.nan
    cols["n0"] = n0
    cols["x0"] = np.round(rng.lognormal(0.3 * d, 1.0, rows), 4)
    return pd.DataFrame(cols)


if __name__ == "__main__":
    out = Path(sys.argv[1])
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    out.mkdir(parents=True, exist_ok=True)
    frame(rows, 1, False).to_csv(out / "reference.csv", index=False)
    frame(rows, 2, True).to_csv(out / "current.csv", index=False)
