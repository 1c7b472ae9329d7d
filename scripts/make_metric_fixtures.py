#!/usr/bin/env python3
"""Writes the fixtures GraftMetrics is tested against: small inputs as .npy and the values the
reference implementations give on them, in Tests/GraftTests/Fixtures/metrics/expected.json.

Run once (pip install numpy scipy) and commit the outputs; the tests never need Python.

References, each computed in float64 from the float32 inputs:
- FID: pytorch-fid's calculate_frechet_distance (np.cov, scipy.linalg.sqrtm of the product, the
  real part of the trace), on the statistics of the two feature sets.
- KID: polynomial_mmd from Binkowski et al.'s code (kernel (x.y/d + 1)^3, their 'unbiased'
  estimator) on the whole sets: subset size n with one subset, which needs no random choice.
- Inception score: Salimans et al.'s formula with consecutive splits, from a probability matrix,
  and from logits through a float64 softmax.
- Parzen: Goodfellow et al.'s parzen_ll (log_mean_exp of -||x - mu||^2 / (2 sigma^2) minus
  d log(sigma sqrt(2 pi))), sigma chosen on the validation set from a fixed grid.
- Precision and recall: Kynkaanniemi et al. 2019 with k = 3 (k-th neighbour radius, self
  included as the first neighbour), exact distances.
- Eigenvalues of a symmetric matrix: numpy.linalg.eigvalsh.
"""
import json
from pathlib import Path

import numpy as np
import scipy.linalg

out = Path(__file__).resolve().parent.parent / "Tests" / "GraftTests" / "Fixtures" / "metrics"
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(20240611)
expected = {}


def save(name, array):
    np.save(out / f"{name}.npy", array)
    return array.astype(np.float64)


# FID: correlated 16-dimensional features, the second set shifted and rescaled.
d = 16
mix = rng.normal(size=(d, d)) / np.sqrt(d)
a = save("fid_a", (rng.normal(size=(200, d)) @ mix).astype(np.float32))
b = save("fid_b", (rng.normal(size=(150, d)) @ (mix * 1.3) + 0.4).astype(np.float32))


def frechet(x, y):
    mu1, mu2 = x.mean(0), y.mean(0)
    s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    diff = mu1 - mu2
    covmean = scipy.linalg.sqrtm(s1.dot(s2))
    covmean = covmean.real
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean)), float(np.trace(covmean))


fid, tr_covmean = frechet(a, b)
expected["fid"] = {"fid": fid, "trace_sqrt_product": tr_covmean}


# KID: two sets of 120 rows in 16 dimensions.
def polynomial_mmd(x, y):
    dim = x.shape[1]
    kxx = (x @ x.T / dim + 1) ** 3
    kyy = (y @ y.T / dim + 1) ** 3
    kxy = (x @ y.T / dim + 1) ** 3
    m = x.shape[0]
    sum_xx = kxx.sum() - np.trace(kxx)
    sum_yy = kyy.sum() - np.trace(kyy)
    return float((sum_xx + sum_yy) / (m * (m - 1)) - 2 * kxy.sum() / (m * m))


ka = save("kid_a", rng.normal(size=(120, d)).astype(np.float32))
kb = save("kid_b", (rng.normal(size=(120, d)) * 1.2 + 0.3).astype(np.float32))
expected["kid"] = {"mmd2": polynomial_mmd(ka, kb)}


# Inception score: 200 samples over 10 classes, from logits and from probabilities.
def softmax(z):
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def inception_score(p, splits):
    n = p.shape[0]
    scores = []
    for i in range(splits):
        part = p[i * n // splits:(i + 1) * n // splits]
        py = part.mean(0, keepdims=True)
        kl = np.where(part > 0, part * (np.log(np.where(part > 0, part, 1)) - np.log(py)), 0).sum(1).mean()
        scores.append(np.exp(kl))
    return float(np.mean(scores)), float(np.std(scores))


logits = (rng.normal(size=(200, 10)) * 2.5 + np.eye(10)[rng.integers(0, 10, 200)] * 3).astype(np.float32)
save("is_logits", logits)
probs = softmax(logits.astype(np.float64)).astype(np.float32)
p64 = save("is_probs", probs)
s10, sd10 = inception_score(p64, 10)
s1, _ = inception_score(p64, 1)
l10, ld10 = inception_score(softmax(logits.astype(np.float64)), 10)
expected["inception"] = {"probs_splits10": [s10, sd10], "probs_splits1": s1, "logits_splits10": [l10, ld10]}


# Parzen: 300 samples, 100 validation and 150 test rows in 8 dimensions.
def parzen_ll(x, mu, sigma):
    a = (x[:, None, :] - mu[None, :, :]) / sigma
    t = -0.5 * (a ** 2).sum(2)
    m = t.max(1, keepdims=True)
    e = m[:, 0] + np.log(np.exp(t - m).mean(1))
    return e - mu.shape[1] * np.log(sigma * np.sqrt(np.pi * 2))


pd = 8
centre = rng.normal(size=(4, pd)) * 2
samples = save("parzen_samples", (centre[rng.integers(0, 4, 300)] + rng.normal(size=(300, pd)) * 0.7).astype(np.float32))
valid = save("parzen_valid", (centre[rng.integers(0, 4, 100)] + rng.normal(size=(100, pd)) * 0.6).astype(np.float32))
test = save("parzen_test", (centre[rng.integers(0, 4, 150)] + rng.normal(size=(150, pd)) * 0.6).astype(np.float32))
sigmas = np.logspace(-1, 0.5, 8)
curve = [float(parzen_ll(valid, samples, s).mean()) for s in sigmas]
best = float(sigmas[int(np.argmax(curve))])
ll = parzen_ll(test, samples, best)
expected["parzen"] = {"sigmas": sigmas.tolist(), "validation_curve": curve, "sigma": best,
                      "mean_ll": float(ll.mean()), "se": float(ll.std() / np.sqrt(test.shape[0]))}


# Precision and recall, k = 3: real and shifted fake points in 4 dimensions.
def manifold_radii(x, k):
    dist = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(2))
    return np.partition(dist, k, axis=1)[:, k]


def inside(x, ref, radii):
    dist = np.sqrt(((x[:, None, :] - ref[None, :, :]) ** 2).sum(2))
    return (dist <= radii[None, :]).any(1)


real = save("pr_real", rng.normal(size=(200, 4)).astype(np.float32))
fake = save("pr_fake", (rng.normal(size=(180, 4)) * 0.8 + 0.5).astype(np.float32))
precision = float(inside(fake, real, manifold_radii(real, 3)).mean())
recall = float(inside(real, fake, manifold_radii(fake, 3)).mean())
expected["precision_recall"] = {"k": 3, "precision": precision, "recall": recall}


# A symmetric matrix and its eigenvalues.
m = rng.normal(size=(12, 12))
sym = (m + m.T) / 2
save("eigen_matrix", sym)
expected["eigen"] = {"values": np.linalg.eigvalsh(sym).tolist()}

with open(out / "expected.json", "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
