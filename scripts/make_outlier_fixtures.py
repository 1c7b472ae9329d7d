#!/usr/bin/env python3
"""Writes the adversarial metric fixtures of issue 25 (outliers, values near Float32's range, FID
with fewer rows than features) into Tests/GraftTests/Fixtures/metrics/outliers/: ordinary base
sets as .npy, the cases as edits of one value or one row of a base set, and the reference values
in expected.json. The tests apply the same edits in Float32 and compare.

Run once (pip install numpy scipy) and commit the outputs; the tests never need Python.

References, each computed in float64 (or exactly) from the float32 inputs after the edit:
- Parzen: Goodfellow et al.'s parzen_ll on exact differences (x - mu), sigma chosen on the
  validation set from numpy.logspace(-1, 0, 10).
- KID: the unbiased MMD^2 with kernel (x.y/d + 1)^3 on the whole sets, in exact rational
  arithmetic (fractions.Fraction). NumPy's usual form, kxx.sum() - trace(kxx), is useless here:
  one diagonal term of 1e32 absorbs every other term, and the float64 result is 0.0.
- FID with fewer rows than features: pytorch-fid's formula (numpy.cov, scipy.linalg.sqrtm of the
  product, the real part of the trace), and the same trace from the symmetric form
  tr((S1^1/2 S2 S1^1/2)^1/2) through numpy.linalg.eigh with eigenvalues below n ulps of the
  largest clipped to 0, which is not disturbed by the product's rounding (sqrtm of a singular
  matrix is accurate to about 1e-8 of the trace).
"""
import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import scipy.linalg

out = Path(__file__).resolve().parent.parent / "Tests" / "GraftTests" / "Fixtures" / "metrics" / "outliers"
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(20250125)
expected = {}


def save(name, array):
    array = array.astype(np.float32)
    np.save(out / f"{name}.npy", array)
    return array


def edited(base, edit):
    """A float32 copy of `base` with edit = {"row": r, "col": c or None (the whole row), "value": v}."""
    x = base.copy()
    if edit["col"] is None:
        x[edit["row"], :] = np.float32(edit["value"])
    else:
        x[edit["row"], edit["col"]] = np.float32(edit["value"])
    return x


def apply_edits(base, edits):
    """The sets of `base` with each (set, row, col, value) edit applied, and the edits as records."""
    sets = dict(base)
    records = []
    for which, row, col, value in edits:
        edit = {"set": which, "row": row, "col": col, "value": value}
        sets[which] = edited(sets[which], edit)
        records.append(edit)
    return sets, records


# Parzen: 300 samples, 100 validation and 150 test rows of 8 normal values.
def parzen_ll(x, mu, sigma):
    d2 = ((x[:, None, :] - mu[None, :, :]) ** 2).sum(2)
    t = -d2 / (2 * sigma * sigma)
    m = t.max(1, keepdims=True)
    return m[:, 0] + np.log(np.exp(t - m).mean(1)) - mu.shape[1] * np.log(sigma * np.sqrt(np.pi * 2))


def parzen(samples, valid, test):
    sigmas = np.logspace(-1, 0, 10)
    s, v, t = (a.astype(np.float64) for a in (samples, valid, test))
    curve = [float(parzen_ll(v, s, sigma).mean()) for sigma in sigmas]
    best = int(np.argmax(curve))
    ll = parzen_ll(t, s, sigmas[best])
    return {"sigma": float(sigmas[best]), "mean_ll": float(ll.mean()), "se": float(ll.std() / np.sqrt(len(ll))),
            "validation_curve": curve}


pd = 8
base = {"samples": save("parzen_samples", rng.normal(size=(300, pd))),
        "validation": save("parzen_valid", rng.normal(size=(100, pd))),
        "test": save("parzen_test", rng.normal(size=(150, pd)))}
parzen_cases = [
    ("ordinary", []),
    ("sample_3e5", [("samples", 5, 2, 3e5)]),
    ("sample_1e6", [("samples", 5, 2, 1e6)]),
    ("sample_1e19", [("samples", 5, 2, 1e19)]),
    ("test_1e6", [("test", 7, 3, 1e6)]),
    ("test_3e19", [("test", 7, 3, 3e19)]),
    ("validation_3e19", [("validation", 9, 1, 3e19)]),
    # An outlying test row next to an outlying sample: their distance is small, their norms 1e12.
    ("test_and_sample_1e6", [("samples", 5, 2, 1e6), ("test", 7, 2, 1e6 + 0.5)]),
]
expected["parzen"] = []
for name, edits in parzen_cases:
    sets, records = apply_edits(base, edits)
    expected["parzen"].append({"name": name, "edits": records,
                               **parzen(sets["samples"], sets["validation"], sets["test"])})


# KID: two sets of 120 rows of 16 values, on the whole sets.
def exact_mmd(x, y):
    m, d = x.shape
    xs = [[Fraction(float(v)) for v in row] for row in x]
    ys = [[Fraction(float(v)) for v in row] for row in y]

    def k(a, b):
        return (sum(p * q for p, q in zip(a, b)) / d + 1) ** 3

    sxx = sum(k(xs[i], xs[j]) for i in range(m) for j in range(m) if i != j)
    syy = sum(k(ys[i], ys[j]) for i in range(m) for j in range(m) if i != j)
    sxy = sum(k(xs[i], ys[j]) for i in range(m) for j in range(m))
    return float((sxx + syy) / (m * (m - 1)) - 2 * sxy / (m * m))


kid_base = {"a": save("kid_a", rng.normal(size=(120, 16))),
            "b": save("kid_b", rng.normal(size=(120, 16)) * 1.2 + 0.3)}
kid_cases = [
    ("ordinary", []),
    ("a_1e6", [("a", 3, 4, 1e6)]),
    ("rows_1e19_in_both", [("a", 3, None, 1e19), ("b", 7, None, 1e19)]),
    ("two_rows_near_1e19", [("a", 3, None, 1e19), ("a", 5, None, -2e19)]),
]
expected["kid"] = []
for name, edits in kid_cases:
    sets, records = apply_edits(kid_base, edits)
    expected["kid"].append({"name": name, "edits": records, "mmd2": exact_mmd(sets["a"], sets["b"])})


# FID with fewer rows than features: 24 and 20 rows of 300 correlated values.
def fid_references(x, y):
    x, y = x.astype(np.float64), y.astype(np.float64)
    mu1, mu2 = x.mean(0), y.mean(0)
    s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    diff = mu1 - mu2
    base_terms = float(diff @ diff + np.trace(s1) + np.trace(s2))
    sqrtm_trace = float(np.trace(scipy.linalg.sqrtm(s1 @ s2).real))
    lam, v = np.linalg.eigh(s1)
    lam = np.where(lam > lam[-1] * len(lam) * np.finfo(float).eps, lam, 0)
    half = (v * np.sqrt(lam)) @ v.T
    mu = np.linalg.eigvalsh(half @ s2 @ half)
    mu = np.where(mu > mu[-1] * len(mu) * np.finfo(float).eps, mu, 0)
    eigh_trace = float(np.sqrt(mu).sum())
    return {"fid_sqrtm": base_terms - 2 * sqrtm_trace, "trace_sqrt_product_sqrtm": sqrtm_trace,
            "fid": base_terms - 2 * eigh_trace, "trace_sqrt_product": eigh_trace,
            "trace_a": float(np.trace(s1)), "trace_b": float(np.trace(s2)), "mean_distance_squared": float(diff @ diff)}


fd = 300
mix = rng.normal(size=(fd, fd)) / np.sqrt(fd)
fa = save("fid_thin_a", rng.normal(size=(24, fd)) @ mix)
fb = save("fid_thin_b", rng.normal(size=(20, fd)) @ (mix * 1.3) + 0.2)
expected["fid_thin"] = fid_references(fa, fb)

with open(out / "expected.json", "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
