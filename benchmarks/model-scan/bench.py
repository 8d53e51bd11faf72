#!/usr/bin/env python3
"""Runs mlsecops scan, picklescan, ModelScan and ModelAudit on the same workloads, whole processes.

Each run is measured with os.wait4: wall time, CPU time (user+sys, children included) and peak RSS
(ru_maxrss; for mlsecops the worker threads live in the same process, so it is the whole scanner).
Each tool gets --timeout seconds per run (default 180); a killed run is reported as a lower bound.
Runs shorter than 20 s are repeated (--repeat, default 5), the tools taking turns, and the fastest is
kept, because the machine is shared. Workload "s" is an empty directory: the start-up floor of each tool.
Usage: bench.py WORKDIR VENV_BIN OUT_JSON [--repeat N] [--timeout S] [--only s,a,b,c] [--tools mlsecops,...]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# ModelAudit phones home (telemetry with network retries) unless told not to: keep it out of the timings.
ENV = {**os.environ, "PROMPTFOO_DISABLE_TELEMETRY": "1", "NO_ANALYTICS": "1"}


def measure(cmd, timeout):
    # A blocking wait4 (a timer kills the run at the limit), so the wall time ends when the process does:
    # polling every 20 ms added up to 20 ms to runs that take a few hundred. stderr goes to a file (a pipe
    # nobody reads while waiting could fill and stall the tool).
    with tempfile.TemporaryFile() as err_file, open(os.devnull, "wb") as null:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=null, stderr=err_file, cwd=ROOT, env=ENV)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, ru = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.monotonic() - start
        exit_code = os.waitstatus_to_exitcode(status)
        # Reaped by wait4 above: tell Popen, which would otherwise think the child still runs.
        proc.returncode = exit_code
        err_file.seek(0)
        err = err_file.read().decode(errors="replace")[-400:]
    measured = {
        "wall_s": round(wall, 3),
        "cpu_s": round(ru.ru_utime + ru.ru_stime, 3),
        "peak_rss_mb": round(ru.ru_maxrss / 1024, 1),
    }
    if wall >= timeout:
        return {"timeout": True, **measured}
    return {**measured, "exit": exit_code, "stderr_tail": err.strip().splitlines()[-1] if err.strip() else ""}


def tools(venv_bin):
    node = ["node", os.path.join(ROOT, "apps/cli/bin/mlsecops.js"), "scan"]
    return {
        "mlsecops": lambda p: node + [p, "--format", "json", "--output", os.devnull],
        "picklescan": lambda p: [os.path.join(venv_bin, "picklescan"), "-p", p],
        "modelscan": lambda p: [os.path.join(venv_bin, "modelscan"), "-p", p],
        "modelaudit": lambda p: [os.path.join(venv_bin, "modelaudit"), "scan", p, "--no-cache", "-f", "json", "-o", os.path.join(ROOT, ".cache", "bench-model-scan", "modelaudit-out.json"), "-q", "-t", "3600", "--max-size", "100GB"],
    }


def size_of(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("work")
    ap.add_argument("venv_bin")
    ap.add_argument("out")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--timeout", type=int, default=180)
    ap.add_argument("--only", default="s,a,b,c")
    ap.add_argument("--tools", default="mlsecops,picklescan,modelscan,modelaudit")
    a = ap.parse_args()
    workloads = {"s": os.path.join(a.work, "empty"), "a": os.path.join(a.work, "corpus"), "b": os.path.join(a.work, "dense.pkl"), "c": os.path.join(a.work, "big_zip.pt")}
    os.makedirs(workloads["s"], exist_ok=True)
    results = {}
    if os.path.exists(a.out):
        with open(a.out) as fh:
            results = json.load(fh)
    for key in a.only.split(","):
        path = workloads[key]
        entry = results.setdefault(key, {"path": os.path.basename(path), "bytes": size_of(path), "files": sum(len(fs) for _, _, fs in os.walk(path)) if os.path.isdir(path) else 1, "runs": {}})
        chosen = {name: cmd for name, cmd in tools(a.venv_bin).items() if name in a.tools.split(",")}
        # Round-robin: repeat r of every tool runs before repeat r + 1 of any, so a slow phase of a shared
        # machine lands on all tools alike instead of on the one that happened to run then.
        runs = {name: [] for name in chosen}
        for r in range(a.repeat):
            for name, cmd in chosen.items():
                done = runs[name]
                if done and (done[0].get("timeout") or done[0]["wall_s"] >= 20):
                    continue
                done.append(measure(cmd(path), a.timeout))
        for name, done in runs.items():
            best = dict(min(done, key=lambda r: r["wall_s"]), runs=len(done))
            entry["runs"][name] = best
            print(key, name, json.dumps(best), file=sys.stderr, flush=True)
        with open(a.out, "w") as fh:
            json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main()
