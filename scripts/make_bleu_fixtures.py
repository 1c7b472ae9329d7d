#!/usr/bin/env python3
"""Writes Tests/GraftTests/Fixtures/metrics/bleu.json: small token lists and the BLEU values NLTK
gives on them, which GraftMetrics' BLEU is tested against (to 1e-6).

Run once (pip install nltk) and commit the output; the tests never need Python.

Reference: nltk.translate.bleu_score (the version is recorded in the file):
- corpus_bleu with uniform weights for max orders 1..5 (BLEU-1..5), no smoothing, and with
  SmoothingFunction().method1 (epsilon 0.1) and method2 (add one to orders >= 2);
- sentence_bleu per candidate with method1 and method2;
- self-BLEU as in Texygen's parallel SelfBleu: each sample's sentence_bleu (method1) against all
  the other samples, averaged.
"""
import json
from pathlib import Path

import nltk
from nltk.translate.bleu_score import SmoothingFunction, corpus_bleu, sentence_bleu

out = Path(__file__).resolve().parent.parent / "Tests" / "GraftTests" / "Fixtures" / "metrics" / "bleu.json"
out.parent.mkdir(parents=True, exist_ok=True)
smooth = SmoothingFunction()
smoothings = {"none": None, "method1": smooth.method1, "method2": smooth.method2}


def split(text):
    return text.split()


# Candidates with one to three references each: exact matches, reorderings, repeated words (clipping),
# a candidate shorter than the n-gram order, and candidates longer and shorter than their references.
cases = [
    ("the cat sat on the mat", ["the cat is on the mat", "there is a cat on the mat"]),
    ("the the the the the the the", ["the cat is on the mat", "there is a cat on the mat"]),
    ("it is a guide to action which ensures that the military always obeys the commands of the party",
     ["it is a guide to action that ensures that the military will forever heed party commands",
      "it is the guiding principle which guarantees the military forces always being under the command of the party",
      "it is the practical guide for the army always to heed the directions of the party"]),
    ("he read the book because he was interested in world history",
     ["he was interested in world history because he read the book"]),
    ("a b c d e f", ["a b c d e f"]),
    ("zu ka mo", ["ka mo zu ri", "zu ka"]),
    ("x", ["x y z"]),
    ("lo pa ne ti ke ra su", ["lo pa ne ti", "ke ra su lo pa ne ti ke"]),
]
candidates = [split(c) for c, _ in cases]
references = [[split(r) for r in refs] for _, refs in cases]

corpus = {}
for name, fn in smoothings.items():
    corpus[name] = [corpus_bleu(references, candidates, weights=tuple([1.0 / n] * n), smoothing_function=fn)
                    for n in range(1, 6)]
sentence = {}
for name in ("method1", "method2"):
    sentence[name] = [[sentence_bleu(refs, cand, weights=tuple([1.0 / n] * n), smoothing_function=smoothings[name])
                       for n in range(1, 6)] for cand, refs in zip(candidates, references)]

samples = [split(s) for s in [
    "the cat sat on the mat", "the dog sat on the mat", "a cat ate the fish", "the cat sat on the mat",
    "dogs and cats are friends", "the fish sat on the dog",
]]
self_bleu = {}
for n in (2, 3, 4, 5):
    weights = tuple([1.0 / n] * n)
    values = [sentence_bleu(samples[:i] + samples[i + 1:], samples[i], weights, smoothing_function=smooth.method1)
              for i in range(len(samples))]
    self_bleu[str(n)] = sum(values) / len(values)

fixture = {
    "reference": f"nltk {nltk.__version__} nltk.translate.bleu_score",
    "candidates": candidates,
    "references": references,
    "corpus_by_max_order": corpus,
    "sentence_by_max_order": sentence,
    "self_bleu_samples": samples,
    "self_bleu_method1_by_max_order": self_bleu,
}
out.write_text(json.dumps(fixture, indent=1) + "\n")
print(f"wrote {out}")
