#!/usr/bin/env python3
"""Writes Tests/GraftTests/Fixtures/rouge/rouge.json: candidate/reference text pairs, the tokens
Google's rouge-score gives them and its ROUGE-1, ROUGE-2 and ROUGE-L precision, recall and F1,
which GraftMetrics' ROUGE is tested against (to 1e-6).

Run once (pip install rouge-score) and commit the output; the tests never need Python.

Reference: rouge_score.rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False)
(the version is recorded in the file), scorer.score(target=reference, prediction=candidate); the
corpus values are the means of the per-pair scores (what rouge-score's aggregators average).
"""
import json
from importlib.metadata import version
from pathlib import Path

from rouge_score import rouge_scorer, tokenize

out = Path(__file__).resolve().parent.parent / "Tests" / "GraftTests" / "Fixtures" / "rouge" / "rouge.json"
out.parent.mkdir(parents=True, exist_ok=True)

# (candidate, reference): exact and partial matches, reorderings (LCS below unigram overlap),
# repeated words (clipping), punctuation and case, digits, non-ASCII letters (dropped by the
# tokenizer), a candidate shorter than 2 tokens, and empty or all-punctuation sides.
pairs = [
    ("the cat sat on the mat", "the cat sat on the mat"),
    ("the cat was found under the bed", "the cat was under the bed"),
    ("police killed the gunman", "the gunman killed police"),
    ("the the the the the the", "the cat is on the mat"),
    ("Ad sales boost Time-Warner profit!", "ad sales BOOST time warner's profits"),
    ("U.S. stocks fell 3.5% on Monday, analysts said.", "us stocks fall 3 5 percent monday"),
    ("Café ÉCOLE naïve \u212Aelvin", "caf cole na ve kelvin"),
    ("profit", "quarterly profit jumps"),
    ("", "the reference is here"),
    ("a candidate without reference", ""),
    ("", ""),
    ("... !!! ???", "some words"),
    ("a b a b a b c", "a b c a b"),
    ("dollar gains on greenspan speech", "the dollar has hit its highest level against the euro in almost three months"),
]

types = ["rouge1", "rouge2", "rougeL"]
scorer = rouge_scorer.RougeScorer(types, use_stemmer=False)
cases = []
for candidate, reference in pairs:
    s = scorer.score(reference, candidate)
    cases.append({
        "candidate": candidate,
        "reference": reference,
        "candidate_tokens": tokenize.tokenize(candidate, None),
        "reference_tokens": tokenize.tokenize(reference, None),
        **{t: [s[t].precision, s[t].recall, s[t].fmeasure] for t in types},
    })
corpus = {t: [sum(c[t][i] for c in cases) / len(cases) for i in range(3)] for t in types}
fixture = {
    "reference": f"rouge-score {version('rouge-score')} rouge_scorer.RougeScorer(use_stemmer=False)",
    "fields": "per type: [precision, recall, f1]",
    "cases": cases,
    "corpus_mean": corpus,
}
out.write_text(json.dumps(fixture, indent=1, ensure_ascii=True) + "\n")
print(f"wrote {out}")
