#!/usr/bin/env python3
"""Generates the model-scan benchmark workloads (standard library only, nothing executed).

  (a) corpus/: about 2,000 model files of every supported format (a few hundred MB), 5% malicious
  (b) dense.pkl: one opcode-dense pickle of about 300 MB (millions of small objects)
  (c) big_zip.pt: a PyTorch-zip-shaped file of at least 1 GiB (data.pkl plus stored tensor members)

Usage: gen_workloads.py OUT_DIR [--dense-mb 300] [--zip-mb 1100] [--files 2000]
"""
import argparse
import json
import os
import struct
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "libs", "model-scanner", "fixtures"))
import generate_fixtures as g  # noqa: E402


def torch_zip_file(path, n_tensors, tensor_bytes, pickle_bytes=None, chunk=1 << 20):
    """A stored PyTorch zip with n data members of tensor_bytes each (written in chunks)."""
    names = [f"layer{i}.weight" for i in range(n_tensors)]
    numel = max(1, tensor_bytes // 4)
    data_pkl = pickle_bytes or g.torch_state_dict(names=names, numel=numel)
    pattern = struct.pack("<256f", *[i / 7.0 + 0.1 for i in range(256)])
    block = pattern * (chunk // len(pattern))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        zf.writestr("archive/data.pkl", data_pkl)
        zf.writestr("archive/byteorder", "little")
        for i in range(n_tensors):
            with zf.open(f"archive/data/{i}", "w", force_zip64=tensor_bytes > (1 << 31)) as fh:
                left = tensor_bytes
                while left > 0:
                    n = min(left, len(block))
                    fh.write(block[:n])
                    left -= n
        zf.writestr("archive/version", "3\n")


def corpus(out, files):
    os.makedirs(out, exist_ok=True)
    rng = 12345

    def rand():
        nonlocal rng
        rng = (rng * 1103515245 + 12345) & 0x7FFFFFFF
        return rng

    makers = [
        ("pkl", lambda i: g.torch_state_dict(names=[f"block{j}.w" for j in range(200 + rand() % 800)], numel=16, proto=2 + i % 3)),
        ("pt", None),
        ("pt", lambda i: g.torch_legacy(g.torch_state_dict(names=[f"l{j}" for j in range(300)], numel=8))),
        ("pkl", lambda i: b"".join(g.sklearn_like()[:-1] for _ in range(1)) + b"."),
        ("joblib", lambda i: g.joblib_file()),
        ("npy", lambda i: g.npy("<f4", [128, 128], bytes(128 * 128 * 4))),
        ("npz", lambda i: g.zip_deflated([(f"a{j}.npy", g.npy("<f8", [64, 64], bytes(64 * 64 * 8))) for j in range(4)])),
        ("safetensors", None),
        ("gguf", lambda i: g.gguf(g.BENIGN_TEMPLATE)),
        ("onnx", lambda i: g.onnx_model()),
        ("keras", lambda i: g.keras_v3(g.keras_config([g.DENSE] * 50))),
        ("h5", lambda i: g.keras_h5(g.keras_config([g.DENSE] * 20))),
        ("pb", lambda i: g.saved_model(["Placeholder", "Const", "MatMul"] * 500)),
    ]
    malicious = [
        ("pkl", lambda i: g.rce()),
        ("pt", lambda i: g.torch_zip(g.rce())),
        ("pkl", lambda i: g.P(4).string("os").string("system").stack_global().string("id").tuple_(1).reduce().stop().data()),
        ("keras", lambda i: g.keras_v3(g.keras_config([g.DENSE, g.LAMBDA]))),
        ("onnx", lambda i: g.onnx_model(external="../../etc/passwd")),
    ]
    manifest = {}
    for i in range(files):
        bad = i % 20 == 19
        ext, make = (malicious[i % len(malicious)] if bad else makers[i % len(makers)])
        name = f"{'bad' if bad else 'ok'}_{i:05d}.{ext}"
        path = os.path.join(out, name)
        if make is None and ext == "pt":
            torch_zip_file(path, n_tensors=40, tensor_bytes=4096 * (1 + rand() % 32))
        elif make is None and ext == "safetensors":
            tensors = {}
            off = 0
            for j in range(100):
                n = 256 * (1 + rand() % 16)
                tensors[f"t{j}"] = ("F32", [n // 4], off, off + n)
                off += n
            with open(path, "wb") as fh:
                fh.write(g.safetensors(tensors))
        else:
            with open(path, "wb") as fh:
                fh.write(make(i))
        manifest[name] = "unsafe" if bad else "safe"
    with open(os.path.join(out, "..", "corpus-manifest.json"), "w") as fh:
        json.dump(manifest, fh)


def dense_pickle(path, target_mb):
    """PROTO 4, a list built in batches of 1000 (int, short str, float) tuples: ~25 bytes per object."""
    target = target_mb << 20
    with open(path, "wb") as fh:
        fh.write(b"\x80\x04]\x94")
        written = 4
        i = 0
        while written < target:
            batch = bytearray(b"(")
            for _ in range(1000):
                s = f"k{i % 100000}".encode()
                batch += b"J" + struct.pack("<i", i) + b"\x8c" + bytes([len(s)]) + s + b"\x94G" + struct.pack(">d", i * 0.5) + b"\x87\x94"
                i += 1
            batch += b"e"
            fh.write(batch)
            written += len(batch)
        fh.write(b".")
    return i


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--dense-mb", type=int, default=300)
    ap.add_argument("--zip-mb", type=int, default=1100)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    corpus(os.path.join(a.out, "corpus"), a.files)
    n = dense_pickle(os.path.join(a.out, "dense.pkl"), a.dense_mb)
    print(f"dense.pkl: {n} objects", file=sys.stderr)
    torch_zip_file(os.path.join(a.out, "big_zip.pt"), n_tensors=max(1, a.zip_mb // 64), tensor_bytes=64 << 20)


if __name__ == "__main__":
    main()
