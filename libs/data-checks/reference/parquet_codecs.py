"""Writes one Parquet file per compression codec with pyarrow, for the data-checks reader's tests.

Usage: parquet_codecs.py OUT_DIR ROWS
Every file holds the same table (values are functions of the row index i, so the test recomputes them):
  id    int64              i
  score double, nullable   None when i % 7 == 0, else i * 0.25 - 3
  name  string             "name-" + str(i % 13)  (dictionary-encoded)
  flag  bool               i % 3 == 0
Row groups of 1,000 rows, small data pages, so every codec decodes several pages per column. Prints a JSON
list of {file, codec, dataPageVersion} on stdout.
"""
import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

# (file stem, pyarrow compression name, data page version). pyarrow's "lz4" writes the LZ4_RAW codec;
# the legacy LZ4 codec (Hadoop framing) is only written by older writers, see the committed fixtures.
CASES = [
    ("uncompressed", "none", "1.0"),
    ("snappy", "snappy", "1.0"),
    ("gzip", "gzip", "1.0"),
    ("brotli", "brotli", "1.0"),
    ("zstd", "zstd", "1.0"),
    ("zstd-v2", "zstd", "2.0"),
    ("lz4_raw", "lz4", "1.0"),
]


def table(rows: int) -> pa.Table:
    return pa.table(
        {
            "id": pa.array(range(rows), pa.int64()),
            "score": pa.array([None if i % 7 == 0 else i * 0.25 - 3 for i in range(rows)], pa.float64()),
            "name": pa.array([f"name-{i % 13}" for i in range(rows)], pa.string()),
            "flag": pa.array([i % 3 == 0 for i in range(rows)], pa.bool_()),
        }
    )


def main() -> None:
    out = Path(sys.argv[1])
    rows = int(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    t = table(rows)
    written = []
    for stem, compression, page_version in CASES:
        path = out / f"{stem}.parquet"
        pq.write_table(
            t,
            path,
            compression=compression,
            data_page_version=page_version,
            row_group_size=1000,
            data_page_size=2048,
            use_dictionary=["name"],
        )
        written.append({"file": path.name, "compression": compression, "dataPageVersion": page_version})
    print(json.dumps({"pyarrow": pa.__version__, "files": written}))


if __name__ == "__main__":
    main()
