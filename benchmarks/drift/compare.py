"""Compares `mlsecops drift --format json` output with evidently_drift.py output; prints a Markdown table.

Usage: python compare.py OURS.json EVIDENTLY.json
"""
import json
import sys

METHOD = {
    "wasserstein": "Wasserstein distance (normed)",
    "jensenshannon": "Jensen-Shannon distance",
    "ks": "K-S p_value",
    "chisquare": "chi-square p_value",
    "z": "Z-test p_value",
    "psi": "PSI",
}

ours = json.load(open(sys.argv[1]))
ev = json.load(open(sys.argv[2]))
evc = {c["column"]: c for c in ev["columns"]}
rows = []
same_verdicts = 0
worst = 0.0
for c in ours["columns"]:
    e = evc.get(c["column"])
    mine = c["pValue"] if c["pValue"] is not None else c["statistic"]
    if e is None:
        rows.append(f"| {c['column']} | {c['method']} | {mine:.6g} | - | - | {c['drift']} | - |")
        continue
    rel = abs(mine - e["value"]) / max(abs(mine), abs(e["value"]), 1e-300)
    worst = max(worst, rel)
    same_method = METHOD.get(c["method"]) == e["method"]
    same = c["drift"] == e["drift"]
    same_verdicts += same
    rows.append(
        f"| {c['column']} | {c['method']}{'' if same_method else ' (Evidently: ' + e['method'] + ')'} | {mine:.10g} | {e['value']:.10g} | {rel:.1e} | {c['drift']} | {e['drift']} |"
    )
print("| column | method | ours | Evidently | rel. diff | drift (ours) | drift (Evidently) |")
print("|---|---|---|---|---|---|---|")
print("\n".join(rows))
print()
print(
    f"Same verdict on {same_verdicts}/{len(ours['columns'])} columns; largest relative difference {worst:.1e}; "
    f"drift share ours {ours['driftShare']:.2f}, Evidently {ev['driftShare']:.2f}."
)
