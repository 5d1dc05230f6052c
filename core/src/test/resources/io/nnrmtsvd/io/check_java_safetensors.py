"""Checks a safetensors file written by SafetensorsInteropTest, independently of the Java reader,
with numpy and the standard library. Usage: python3 check_java_safetensors.py FILE; prints "ok".
"""
import json
import struct
import sys

import numpy as np

SPECIAL = [0.0, -0.0, 1.0, -2.5, 1 + 2**-11, 1 + 3 * 2**-11, 2**-25, 3 * 2**-25, 2**-24,
           65504.0, 65519.0, 65520.0, 1e-8, 0.1, -1 / 3]

with open(sys.argv[1], "rb") as f:
    blob = f.read()
(n,) = struct.unpack("<Q", blob[:8])
assert (8 + n) % 8 == 0, "data section not aligned to 8 bytes"
header = json.loads(blob[8:8 + n].decode("utf-8"))
data = blob[8 + n:]
assert header.pop("__metadata__") == {"written by": "java"}
assert list(header) == ["w.f32", "w.f16", "w.bf16", "w.f64"], list(header)
end = 0
for name, entry in header.items():
    begin, stop = entry["data_offsets"]
    assert begin == end, (name, begin, end)
    end = stop
assert end == len(data), "tensors do not cover the data section"


def tensor(name, dtype):
    entry = header[name]
    begin, stop = entry["data_offsets"]
    return np.frombuffer(data[begin:stop], dtype=dtype).reshape(entry["shape"])


expected_f32 = ((np.arange(6, dtype=np.float64) - 2.5) / 3).astype(np.float32).reshape(2, 3)
assert np.array_equal(tensor("w.f32", "<f4"), expected_f32)
with np.errstate(over="ignore"):
    expected_f16 = np.array(SPECIAL, dtype=np.float32).astype(np.float16)
assert np.array_equal(tensor("w.f16", "<u2"), expected_f16.view(np.uint16)), "float16 rounding differs from numpy"
bf16 = tensor("w.bf16", "<u2").astype(np.uint32) << 16
assert np.array_equal(bf16.view(np.float32), np.array([1.0, -0.5, 3.140625], dtype=np.float32))
assert np.array_equal(tensor("w.f64", "<f8"), (np.arange(4, dtype=np.float64) / 7).reshape(4, 1))
print("ok")
