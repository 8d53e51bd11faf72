"""Writes a synthetic model directory of random bytes for the model-signing benchmark.

usage: gen.py DIR LARGE_COUNT LARGE_BYTES SMALL_COUNT SMALL_BYTES
Large files go to DIR/weights/, small ones are spread over DIR/shards/NNN/ (100 per folder).
"""
import os
import sys

CHUNK = 16 * 1024 * 1024


def write_random(path: str, size: int, block: bytes) -> None:
    # One random block, varied per chunk by a counter prefix: contents differ, generation stays fast.
    with open(path, "wb") as f:
        i = 0
        left = size
        while left > 0:
            n = min(left, len(block))
            piece = i.to_bytes(8, "little") + block[8:n] if n > 8 else block[:n]
            f.write(piece)
            left -= n
            i += 1


def main() -> None:
    root, lc, lb, sc, sb = sys.argv[1], *map(int, sys.argv[2:6])
    block = os.urandom(CHUNK)
    os.makedirs(os.path.join(root, "weights"), exist_ok=True)
    for i in range(lc):
        write_random(os.path.join(root, "weights", f"model-{i:05d}-of-{lc:05d}.safetensors"), lb, block)
    for i in range(sc):
        d = os.path.join(root, "shards", f"{i // 100:03d}")
        os.makedirs(d, exist_ok=True)
        write_random(os.path.join(d, f"part-{i:06d}.bin"), sb, os.urandom(min(sb, 4096)) if sb < 4096 else block)
    with open(os.path.join(root, "config.json"), "w") as f:
        f.write('{"benchmark": true}\n')


if __name__ == "__main__":
    main()
