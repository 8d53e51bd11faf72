"""Writes pickles and joblib files the way real libraries do, for the scanner's false-positive test.

Usage: real_pickles.py OUT_DIR

Objects come from scikit-learn, pandas, SciPy, NumPy and the standard library (pinned in
tools/python/requirements-reference.txt). Files named ok_* must scan safe. Files named bad_* are made by
the same libraries around a dangerous callable (pickled by reference, never called) and must be blocked.
Writes OUT_DIR/manifest.json: {file: "safe" | "unsafe"}.
"""
import collections
import datetime
import decimal
import json
import os
import pickle
import sys
import warnings

import joblib
import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA
from sklearn.ensemble import (
    GradientBoostingClassifier,
    HistGradientBoostingClassifier,
    IsolationForest,
    RandomForestClassifier,
)
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge, SGDClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, LabelEncoder, OneHotEncoder, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

warnings.filterwarnings("ignore")


def benign():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 4))
    y = (X[:, 0] > 0).astype(int)
    df = pd.DataFrame(
        {
            "a": rng.normal(size=30),
            "b": pd.Categorical(rng.choice(list("xyz"), 30)),
            "c": pd.date_range("2024-01-01", periods=30),
            "d": ["s%d" % i for i in range(30)],
        }
    )
    return {
        "logreg": LogisticRegression().fit(X, y),
        "ridge": Ridge().fit(X, y),
        "sgd": SGDClassifier().fit(X, y),
        "forest": RandomForestClassifier(n_estimators=3).fit(X, y),
        "gboost": GradientBoostingClassifier(n_estimators=3).fit(X, y),
        "histgb": HistGradientBoostingClassifier(max_iter=3).fit(X, y),
        "isoforest": IsolationForest(n_estimators=3).fit(X),
        "tree": DecisionTreeClassifier().fit(X, y),
        "svc": SVC().fit(X, y),
        "kmeans": KMeans(n_clusters=2, n_init=1).fit(X),
        "mlp": MLPClassifier(max_iter=5).fit(X, y),
        "pca": PCA(2).fit(X),
        "knn": KNeighborsClassifier().fit(X, y),
        "naive_bayes": GaussianNB().fit(X, y),
        "pipeline": make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y),
        "column_transformer": ColumnTransformer(
            [("num", StandardScaler(), ["a"]), ("cat", OneHotEncoder(handle_unknown="ignore"), ["b"])]
        ).fit(df),
        "tfidf": TfidfVectorizer().fit(["hello world", "model security", "hello model"]),
        "label_encoder": LabelEncoder().fit(["a", "b", "c"]),
        "log_transformer": FunctionTransformer(np.log1p),
        "dataframe": df,
        "series": df["a"],
        "tz_series": pd.Series(pd.date_range("2024-01-01", periods=3, tz="Europe/Berlin")),
        "nullable_frame": pd.DataFrame(
            {"i": pd.array([1, None], dtype="Int64"), "s": pd.array(["x", None], dtype="string")}
        ),
        "sparse_series": pd.Series(pd.arrays.SparseArray([0, 0, 1])),
        "period_series": pd.Series(pd.period_range("2024-01", periods=3, freq="M")),
        "multi_index": pd.DataFrame({"v": [1, 2]}, index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)])),
        "timestamps": [pd.Timestamp("2024-01-01"), pd.NaT, pd.Timedelta("1D"), pd.NA],
        "csr": sp.random(10, 10, density=0.2, format="csr", random_state=0),
        "coo": sp.random(10, 10, density=0.2, format="coo", random_state=0),
        "arrays": [rng.normal(size=(5, 5)), np.array(["a", 1, None], dtype=object), np.zeros(2, dtype=[("x", "<f4")])],
        "random_state": np.random.RandomState(0),
        "generator": np.random.default_rng(1),
        "numpy_scalars": [np.float64(1.5), np.int32(3), np.float32, np.int64, np.bool_(True)],
        "stdlib": {
            "od": collections.OrderedDict(a=1),
            "dd": collections.defaultdict(list, {"a": [1]}),
            "counter": collections.Counter("hello"),
            "deque": collections.deque([1, 2]),
            "dt": datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc),
            "dec": decimal.Decimal("1.5"),
            "sets": [{1, 2}, frozenset([3])],
            "bytes": [b"raw", bytearray(b"x")],
            "misc": [1 + 2j, range(3), slice(1, 2)],
        },
    }


def malicious():
    # Dangerous callables held by real estimators: pickled by reference, never called here.
    return {
        "function_transformer_system": FunctionTransformer(os.system),
        "function_transformer_eval": FunctionTransformer(eval),
        "pipeline_exec": make_pipeline(FunctionTransformer(exec), LogisticRegression()),
    }


def write(out, name, obj, verdict, manifest):
    for proto in (2, 4, 5):
        path = f"{name}.p{proto}.pkl"
        with open(os.path.join(out, path), "wb") as f:
            pickle.dump(obj, f, protocol=proto)
        manifest[path] = verdict
    for suffix, compress in (("joblib", 0), ("z.joblib", 3), ("xz.joblib", ("xz", 3))):
        path = f"{name}.{suffix}"
        joblib.dump(obj, os.path.join(out, path), compress=compress)
        manifest[path] = verdict


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    manifest = {}
    for name, obj in benign().items():
        write(out, f"ok_{name}", obj, "safe", manifest)
    for name, obj in malicious().items():
        write(out, f"bad_{name}", obj, "unsafe", manifest)
    frame = benign()["dataframe"]
    frame.to_pickle(os.path.join(out, "ok_to_pickle.pkl"))
    frame.to_pickle(os.path.join(out, "ok_to_pickle.pkl.gz"))
    np.save(os.path.join(out, "ok_object_array.npy"), np.array([{"a": 1}, [1, 2]], dtype=object), allow_pickle=True)
    np.savez_compressed(os.path.join(out, "ok_arrays.npz"), a=np.arange(10), b=np.ones((3, 3)))
    sp.save_npz(os.path.join(out, "ok_sparse.npz"), sp.random(10, 10, density=0.2, format="csr", random_state=0))
    for path in ("ok_to_pickle.pkl", "ok_to_pickle.pkl.gz", "ok_object_array.npy", "ok_arrays.npz", "ok_sparse.npz"):
        manifest[path] = "safe"
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
