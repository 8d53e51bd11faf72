#!/usr/bin/env python3
"""Rewrites the `## model-scan` section of docs/benchmarks.md from results.json, machine.txt and
(optionally) detect.json. Usage: report.py WORKDIR"""
import json
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOC = os.path.join(ROOT, "docs", "benchmarks.md")
NAMES = {"s": "start-up (empty directory)", "a": "(a) corpus", "b": "(b) opcode-dense pickle", "c": "(c) PyTorch-zip-shaped file"}
TOOLS = ["mlsecops", "picklescan", "modelscan", "modelaudit"]


def fmt_run(r):
    if r is None:
        return "| not run |  |  |  |"
    if r.get("timeout"):
        return f"| timeout (> {r['wall_s']} s) | {r['cpu_s']} | {r['peak_rss_mb']} | killed |"
    note = {0: "0", 1: "1 (findings)", 2: "2 (error)"}.get(r.get("exit"), str(r.get("exit")))
    return f"| {r['wall_s']} | {r['cpu_s']} | {r['peak_rss_mb']} | {note} |"


def ratio(ours, other, key):
    if not ours or not other or ours.get(key, 0) <= 0:
        return "n/a"
    prefix = ">" if other.get("timeout") else ""
    return f"{prefix}{other[key] / ours[key]:.1f}x"


def section(work):
    res = json.load(open(os.path.join(work, "results.json")))
    machine = open(os.path.join(work, "machine.txt")).read().strip().splitlines()
    out = ["## model-scan", ""]
    out += [
        "`mlsecops scan` against picklescan 1.0.5, ModelScan 0.8.8 and ModelAudit 0.2.54 (pinned in",
        "`tools/python/requirements-bench-model-scan.txt`, bench-only venv), whole processes with start-up",
        "included, one after the other on the same inputs (`benchmarks/model-scan/run.sh`; inputs from",
        "`gen_workloads.py`, standard library only). Wall time, CPU time (user+sys) and peak RSS come from",
        "`wait4`; for mlsecops the worker threads are in the measured process. Ratios are other/ours (higher",
        "is better for us). The Python scanners pick files by extension and skip formats they do not know,",
        "so on (a) they do less work than we do; on (c) picklescan reads only `data.pkl`.",
        "",
        "Run: `bash benchmarks/model-scan/run.sh` (builds, makes the venv and the inputs under",
        "`.cache/bench-model-scan` — about 1.9 GB, delete afterwards — measures, compares verdicts on the",
        "fixture corpus and rewrites this section). Each run has a 180 s limit (a killed run is a lower",
        "bound); runs under 20 s are repeated five times, the tools taking turns, and the fastest is shown. Workloads: an empty",
        "directory (each tool's start-up floor); (a) 2,000 files: PyTorch pickles and zips,",
        "legacy PyTorch, scikit-learn-like pickles, joblib, npy, npz, safetensors, GGUF, ONNX, Keras v3 and",
        "h5, SavedModel, 5% malicious; (b) one protocol-4 pickle of 12.6 million (int, str, float) tuples in",
        "batches of 1,000, 300 MiB; (c) a stored PyTorch zip, 17 tensor members of 64 MiB, 1.06 GiB.",
        "",
        "Machine: " + "; ".join(machine) + ". The machine was shared with other engineers' test runs during the",
        "measurement (see load), so wall times are noisy. Throughput is files (or bytes) per second of wall",
        "time, whole process: that is the target's measure, and the issue asks for parallel scanning, so our",
        "CPU time counts every thread we run and is shown for cost, not as the throughput comparison.",
        "",
    ]
    for key in ["s", "a", "b", "c"]:
        if key not in res:
            continue
        e = res[key]
        runs = e["runs"]
        title = NAMES[key] if key == "s" else f"{NAMES[key]}: {e['files']} file(s), {e['bytes'] / 2**20:.0f} MiB"
        out += [f"### {title}", ""]
        out += ["| tool | wall s | CPU s | peak RSS MB | exit |", "|---|---|---|---|---|"]
        for t in TOOLS:
            out.append(f"| {t} " + fmt_run(runs.get(t)))
        ours = runs.get("mlsecops")
        out += ["", "| vs | wall-time ratio | CPU-time ratio |", "|---|---|---|"]
        for t in TOOLS[1:]:
            out.append(f"| {t} | {ratio(ours, runs.get(t), 'wall_s')} | {ratio(ours, runs.get(t), 'cpu_s')} |")
        out.append("")
    out += ["### Against the targets", ""]
    for key in ["a", "b"]:
        runs = res.get(key, {}).get("runs", {})
        ours, ps = runs.get("mlsecops"), runs.get("picklescan")
        if ours and ps:
            cpu = ps["cpu_s"] / ours["cpu_s"]
            wall = ps["wall_s"] / ours["wall_s"]
            verdict = "met" if wall >= 10 else "not met"
            out.append(
                f"- {NAMES[key]}: {wall:.1f}x picklescan's throughput (wall time, whole process): target (10x)"
                f" {verdict}. By CPU time, all our threads counted: {cpu:.1f}x."
            )
    floor = res.get("s", {}).get("runs", {})
    a_runs = res.get("a", {}).get("runs", {})
    if floor.get("mlsecops") and floor.get("picklescan") and a_runs.get("mlsecops") and a_runs.get("picklescan"):
        ours_f, ps_f = floor["mlsecops"]["wall_s"], floor["picklescan"]["wall_s"]
        ours_a, ps_a = a_runs["mlsecops"]["wall_s"], a_runs["picklescan"]["wall_s"]
        out.append(
            f"- Start-up: {ours_f} s wall for `mlsecops scan` on an empty directory ({100 * ours_f / ours_a:.0f}% of our (a)),"
            f" {ps_f} s for picklescan ({100 * ps_f / ps_a:.0f}% of its (a)). Past start-up, (a) takes us"
            f" {max(0.0, ours_a - ours_f):.2f} s against picklescan's {max(0.0, ps_a - ps_f):.2f} s"
            f" ({(ps_a - ps_f) / max(0.01, ours_a - ours_f):.1f}x)."
        )
    out += [
        "- How (a) is scanned: every file is opened once and its first 16 KiB read; everything else is read",
        "  where a parser asks for it (zip end record and central directory from the tail, each local header",
        "  with the member's first bytes, `.npy` headers inflated from a 1 KiB prefix of a deflated member).",
        "  Tensor payloads are never read (docs/adr/0105); pickles are parsed in full, first by the fast pass",
        "  (integer stack, proves benign pickles; anything else goes to the full machine, docs/adr/0106). The",
        "  main thread scans the pickle-like files and one helper thread, started at once, the structured ones",
        "  (protobuf, Keras, HDF5, safetensors, GGUF), so each thread warms half the parsers (docs/adr/0107);",
        "  our CPU time therefore includes a second thread's start-up and is not a like-for-like comparison",
        "  with the single-threaded Python scanners: wall time is the throughput figure. The Python",
        "  scanners open only the extensions they know. The corpus has 225 distinct contents among its 2,000",
        "  files (most kinds repeat one file); no tool here, ours included, caches results by content, so",
        "  every file is scanned in full.",
        "- Noise: on this shared 2-CPU machine the same (a) run varies by about 10% between runs (other",
        "  tenants, page-cache reclaim); each number is the best of the repeats in one run.",
        "- (c) is a file where the Python scanners read one small member: all tools are start-up bound. We",
        "  read every member's local header and first bytes (a hidden pickle would be parsed) and the pickle,",
        "  on a helper thread: files over 8 MiB always get one, for its bounded heap, and its start-up shows.",
    ]
    killed = [(k, res[k]["runs"]["modelaudit"]) for k in res if k != "s" and res[k]["runs"].get("modelaudit", {}).get("timeout")]
    if killed:
        busy = all(r["cpu_s"] >= 0.8 * r["wall_s"] for _, r in killed)
        how = (
            "computing all along (CPU time close to the wall time)"
            if busy
            else "partly waiting (CPU time well below the wall time: its per-file workers and timeouts)"
        )
        out.append(
            f"- ModelAudit was killed at the time limit on {', '.join(NAMES[k] for k, _ in killed)}; it was {how}:"
            " read those ratios as lower bounds. (Until November 2026 the harness piped each tool's stderr"
            " without reading it while waiting; ModelAudit, which writes much there, then stalled and showed"
            " little CPU time. stderr now goes to a file.)"
        )
    peaks = [res[k]["runs"]["mlsecops"]["peak_rss_mb"] for k in res if "mlsecops" in res[k]["runs"]]
    if peaks:
        out.append(f"- Peak memory of mlsecops over all inputs: {max(peaks)} MB (target: under 256 MB).")
    out.append("")
    det = os.path.join(work, "detect.json")
    if os.path.exists(det):
        rows = json.load(open(det))["files"]
        out += ["### Verdicts on the generated fixture corpus", "",
                "Same files as the unit tests (`libs/model-scanner/fixtures/generate_fixtures.py`): known bypasses,",
                "malformed files and the benign set, one process per file (mlsecops: one run over the folder).",
                "Exit 1 = blocked, 0 = passed, anything else = the tool failed.", "",
                "| tool | bad files blocked (exit 1) | bad files passed (exit 0) | tool errors on bad files | benign files flagged (exit 1) | tool errors on benign files |",
                "|---|---|---|---|---|---|"]
        for t in TOOLS:
            bad = [r[t] for r in rows.values() if r["expected"] != "safe" and t in r]
            good = [r[t] for r in rows.values() if r["expected"] == "safe" and t in r]
            if not bad:
                continue
            out.append(f"| {t} | {sum(c == 1 for c in bad)}/{len(bad)} | {sum(c == 0 for c in bad)} | {sum(c not in (0, 1) for c in bad)} | {sum(c == 1 for c in good)}/{len(good)} | {sum(c not in (0, 1) for c in good)} |")
        missed = {t: sorted(n for n, r in rows.items() if r["expected"] != "safe" and r.get(t) == 0) for t in TOOLS[1:]}
        for t, names in missed.items():
            if names:
                out.append("")
                out.append(f"{t} passed: " + ", ".join(f"`{n}`" for n in names) + ".")
        out.append("")
    return "\n".join(out)


def main():
    work = sys.argv[1]
    text = open(DOC).read() if os.path.exists(DOC) else "# Benchmarks\n"
    new = section(work)
    start = text.find("\n## model-scan\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + new
    else:
        end = text.find("\n## ", start + 1)
        text = text[: start + 1] + new + ("\n" + text[end + 1:] if end >= 0 else "")
    open(DOC, "w").write(text.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
