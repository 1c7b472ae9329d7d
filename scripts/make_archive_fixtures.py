#!/usr/bin/env python3
"""Writes the ZIP and bzip2 fixtures that Tests/GraftTests/Data/ArchiveTests.swift reads.

Python's zipfile and bz2 are the reference writers: the Swift readers must extract exactly
the bytes written here.
"""
import bz2
import pathlib
import zipfile

out = pathlib.Path(__file__).resolve().parent.parent / "Tests/GraftTests/Fixtures/archives"
out.mkdir(parents=True, exist_ok=True)

stored = b"stored entry\n"
deflated = "".join("line %d of a deflated entry\n" % i for i in range(200))
with zipfile.ZipFile(out / "sample.zip", "w") as z:
    z.writestr(zipfile.ZipInfo("a.txt", date_time=(2020, 1, 1, 0, 0, 0)), stored, compress_type=zipfile.ZIP_STORED)
    z.writestr(zipfile.ZipInfo("dir/b.txt", date_time=(2020, 1, 1, 0, 0, 0)), deflated.encode(), compress_type=zipfile.ZIP_DEFLATED)

text = "".join("bzip2 line %d\n" % i for i in range(300)).encode()
(out / "sample.txt.bz2").write_bytes(bz2.compress(text) + bz2.compress(b"second stream\n"))
print("wrote", sorted(p.name for p in out.iterdir()))
