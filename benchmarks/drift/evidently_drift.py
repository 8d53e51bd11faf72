"""Runs Evidently's DataDriftPreset on a CSV pair and prints per-column results and timings as JSON.

Usage: python evidently_drift.py REFERENCE.csv CURRENT.csv
"""
import json
import sys
import time

t0 = time.perf_counter()
import pandas as pd  # noqa: E402
from evidently import Report  # noqa: E402
from evidently.presets import DataDriftPreset  # noqa: E402

t_import = time.perf_counter()
ref = pd.read_csv(sys.argv[1])
cur = pd.read_csv(sys.argv[2])
t_read = time.perf_counter()
snapshot = Report([DataDriftPreset()]).run(cur, ref)
t_run = time.perf_counter()

columns = []
share = None
for m in snapshot.dict()["metrics"]:
    cfg = m["config"]
    if cfg["type"].endswith("DriftedColumnsCount"):
        share = m["value"]["share"]
    elif cfg["type"].endswith("ValueDrift"):
        method = cfg["method"]
        value = m["value"]
        threshold = cfg["threshold"]
        if "p_value" in method:
            drift = value <= threshold if method.startswith("K-S") else value < threshold
        else:
            drift = value >= threshold
        columns.append({"column": cfg["column"], "method": method, "value": value, "threshold": threshold, "drift": bool(drift)})
json.dump(
    {
        "columns": columns,
        "driftShare": share,
        "seconds": {"import": t_import - t0, "read_csv": t_read - t_import, "report": t_run - t_read},
    },
    sys.stdout,
)
