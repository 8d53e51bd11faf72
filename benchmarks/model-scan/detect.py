#!/usr/bin/env python3
"""Per-file verdicts of each scanner on the generated fixture corpus (known bypasses, malformed, benign).

Exit codes are read the way CI would: 0 = passed, 1 = findings, anything else = error. Usage:
  detect.py FIXTURE_DIR VENV_BIN OUT_JSON
"""
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# ModelAudit phones home (telemetry with network retries) unless told not to: keep it out of the timings.
ENV = {**os.environ, "PROMPTFOO_DISABLE_TELEMETRY": "1", "NO_ANALYTICS": "1"}


def main():
    fixtures, venv_bin, out = sys.argv[1:4]
    manifest = json.load(open(os.path.join(fixtures, "manifest.json")))
    tools = {
        "picklescan": lambda p: [os.path.join(venv_bin, "picklescan"), "-p", p],
        "modelscan": lambda p: [os.path.join(venv_bin, "modelscan"), "-p", p],
        "modelaudit": lambda p: [os.path.join(venv_bin, "modelaudit"), "scan", p, "--no-cache", "-q"],
    }

    def run(job):
        tool, name = job
        r = subprocess.run(tools[tool](os.path.join(fixtures, name)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, timeout=600, env=ENV)
        return tool, name, r.returncode

    # mlsecops: one run, per-file verdicts from its JSON.
    ours = subprocess.run(["node", os.path.join(ROOT, "apps/cli/bin/mlsecops.js"), "scan", fixtures, "--format", "json"], capture_output=True, cwd=ROOT)
    verdicts = {r["path"][len(fixtures) + 1:]: r["verdict"] for r in json.loads(ours.stdout)["results"]}
    rows = {name: {"expected": e["verdict"], "mlsecops": {"safe": 0, "unsafe": 1, "inconclusive": 1}[verdicts[name]]} for name, e in manifest.items()}
    jobs = [(t, n) for t in tools for n in manifest]
    with ThreadPoolExecutor(max_workers=2) as ex:
        for tool, name, code in ex.map(run, jobs):
            rows[name][tool] = code
    summary = {}
    for tool in ["mlsecops", *tools]:
        s = {"blocked_bad": 0, "missed_bad": 0, "errors_on_bad": 0, "false_positive": 0, "benign": 0, "bad": 0}
        for name, r in rows.items():
            code = r[tool]
            if r["expected"] == "safe":
                s["benign"] += 1
                s["false_positive"] += code != 0
            else:
                s["bad"] += 1
                s["blocked_bad"] += code == 1
                s["errors_on_bad"] += code not in (0, 1)
                s["missed_bad"] += code == 0
        summary[tool] = s
    json.dump({"summary": summary, "files": rows}, open(out, "w"), indent=1)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
