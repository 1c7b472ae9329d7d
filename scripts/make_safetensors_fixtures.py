#!/usr/bin/env python3
"""Writes the safetensors fixtures the tests read, with Python's own `safetensors` package.

Run once (pip install safetensors numpy) and commit the outputs; the tests never need Python.
"""
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

out = Path(__file__).resolve().parent.parent / "Tests" / "GraftTests" / "Fixtures"
out.mkdir(parents=True, exist_ok=True)

# Float32 only, one metadata key: Graft must write these exact bytes.
save_file(
    {
        "layer.weight": np.arange(6, dtype=np.float32).reshape(2, 3) / 4,
        "layer.bias": np.array([-1.5, 0.25, 3.0], dtype=np.float32),
        "scalar": np.array(7.0, dtype=np.float32),
        "empty": np.zeros((0, 2), dtype=np.float32),
    },
    out / "python_f32.safetensors",
    metadata={"format": "pt"},
)

# Other dtypes that Graft converts to Float32 on reading.
save_file(
    {
        "f64": np.array([1.25, -2.5], dtype=np.float64),
        "f16": np.array([0.5, 65504.0], dtype=np.float16),
        "i64": np.array([[3, -4]], dtype=np.int64),
        "u8": np.array([0, 255], dtype=np.uint8),
    },
    out / "python_mixed.safetensors",
)
print("wrote", sorted(p.name for p in out.glob("*.safetensors")))
