#!/usr/bin/env python3
"""Writes the .npy fixtures the tests read, with NumPy's own writer.

Run once (pip install numpy) and commit the outputs; the tests never need Python. Graft must
read every file and, for the C-order version 1.0 ones, write the exact same bytes.
"""
import gzip
from pathlib import Path

import numpy as np

out = Path(__file__).resolve().parent.parent / "Tests" / "GraftTests" / "Fixtures" / "npy"
out.mkdir(parents=True, exist_ok=True)

arrays = {
    "f4_2x3": np.arange(6, dtype=np.float32).reshape(2, 3) / 4 - 0.5,
    "f8_be": np.array([1.5, -2.25, 2.0**100], dtype=">f8"),
    "f8_le": np.array([[0.125, -3.0]], dtype="<f8"),
    "f8_inexact": np.array([0.1, 1e300], dtype="<f8"),  # rounded to Float on reading
    "f2": np.array([0.5, -65504.0, 1.0 / 3], dtype=np.float16),
    "u1_2x2x3": np.arange(12, dtype=np.uint8).reshape(2, 2, 3) * 21 + 3,
    "i1": np.array([-128, -1, 0, 127], dtype=np.int8),
    "i2_be": np.array([-300, 2, 32767], dtype=">i2"),
    "i2": np.array([-300, 2, 32767], dtype="<i2"),
    "u2": np.array([0, 1, 65535], dtype="<u2"),
    "i4": np.array([[-7, 8], [100000, -2147483648]], dtype="<i4"),
    "u4_be": np.array([4000000000, 1], dtype=">u4"),
    "i8": np.array([-(2**40), 5, 2**24], dtype="<i8"),
    "b1": np.array([True, False, True]),
    "scalar": np.array(7.5, dtype=np.float32),
    "empty_0x2": np.zeros((0, 2), dtype=np.float32),
    "long_1d": np.arange(100, dtype=np.float32),
    "big_first_axis": np.zeros((123456789, 0), dtype=np.uint8),
}
for name, a in arrays.items():
    np.save(out / f"{name}.npy", a)

# Other header versions and layouts.
with open(out / "f4_v2.npy", "wb") as f:
    np.lib.format.write_array(f, arrays["f4_2x3"], version=(2, 0))
with open(out / "f4_v3.npy", "wb") as f:
    np.lib.format.write_array(f, arrays["f4_2x3"], version=(3, 0))
np.save(out / "fortran.npy", np.asfortranarray(arrays["f4_2x3"]))

# Gzip-compressed (mtime 0 so the bytes do not change from run to run).
with open(out / "f4_2x3.npy", "rb") as f, gzip.GzipFile(out / "f4_2x3.npy.gz", "wb", mtime=0) as g:
    g.write(f.read())

print("wrote", sorted(p.name for p in out.iterdir()))
