"""Writes python_written.safetensors with numpy and the standard library only, independently of
the Java writer. SafetensorsInteropTest holds the same values. Run: python3 make_safetensors_fixture.py
"""
import json
import struct

import numpy as np

# float32 values chosen to exercise float16 rounding: ties to even, subnormals, overflow
SPECIAL = [0.0, -0.0, 1.0, -2.5, 1 + 2**-11, 1 + 3 * 2**-11, 2**-25, 3 * 2**-25, 2**-24,
           65504.0, 65519.0, 65520.0, 1e-8, 0.1, -1 / 3]

f32 = ((np.arange(6, dtype=np.float64) - 2.5) / 3).astype(np.float32).reshape(2, 3)
f64 = (np.arange(4, dtype=np.float64) / 7).reshape(4, 1)
f16 = np.array(SPECIAL, dtype=np.float32).astype(np.float16)
# bfloat16: the upper half of float32 bits (values chosen exact in bfloat16)
bf16_source = np.array([1.0, -0.5, 3.140625, 1e-3], dtype=np.float32)
bf16 = (bf16_source.view(np.uint32) >> 16).astype('<u2')
i64 = np.array([[1, -2], [2**40, 7]], dtype='<i8')

tensors = [("w.f32", "F32", f32.astype('<f4')), ("w.f64", "F64", f64.astype('<f8')),
           ("w.f16", "F16", f16.astype('<f2')), ("w.bf16", "BF16", bf16), ("steps", "I64", i64)]
header = {"__metadata__": {"format": "pt", "note": "written by numpy"}}
data = b""
for name, dtype, array in tensors:
    raw = array.tobytes(order="C")
    header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [len(data), len(data) + len(raw)]}
    data += raw
# no padding, keys in insertion order, default separators: unlike the Java writer
blob = json.dumps(header).encode("utf-8")
with open("python_written.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(blob)) + blob + data)
