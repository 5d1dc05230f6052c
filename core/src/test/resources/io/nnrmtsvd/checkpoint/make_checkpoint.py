#!/usr/bin/env python3
"""Writes a safetensors checkpoint with numpy alone, by the format's published rules.

An independent writer for rmtsvd's checkpoint tests and benchmark: an 8-byte little-endian
header length, a JSON header {name: {"dtype", "shape", "data_offsets": [begin, end]}, plus
"__metadata__"} padded with spaces to a multiple of 8, then each tensor's little-endian C-order
bytes back to back. With --shards 2 the tensors are split over two files and a Hugging Face
model.safetensors.index.json maps each tensor to its shard.

Presets:
  gpt2   GPT-2-like names (wte, wpe, h.{i}.ln_1, attn.c_attn, attn.c_proj, mlp.c_fc, mlp.c_proj,
         ln_f), block i in F16 when i is even and BF16 when odd, embeddings in F32, an I64
         position_ids tensor and a 2 x D tensor below the default --min-dim.
  bench  --layers pairs of mlp.up_proj [ffn, dim] and mlp.down_proj [dim, ffn] in BF16.

Every 2-D weight is Gaussian noise (std 0.02) plus --signal planted directions whose singular
values sit well above the Marchenko-Pastur edge, so BEMA finds exactly --signal spikes.

Usage: make_checkpoint.py OUT_DIR [--preset gpt2|bench] [--dim D] [--ffn F] [--layers L]
                          [--vocab V] [--shards 1|2] [--signal R] [--seed S]
"""
import argparse
import json
import os
import struct

import numpy as np

NOISE = 0.02


def to_bf16_bits(values):
    """float32 -> bfloat16 bits, round to nearest even (NaN not expected here)."""
    u = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32).astype(np.uint64)
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)


def encode(values, dtype):
    if dtype == "F32":
        return np.ascontiguousarray(values, dtype="<f4").tobytes()
    if dtype == "F16":
        return np.ascontiguousarray(values, dtype="<f2").tobytes()
    if dtype == "BF16":
        return to_bf16_bits(values).astype("<u2").tobytes()
    if dtype == "I64":
        return np.ascontiguousarray(values, dtype="<i8").tobytes()
    raise ValueError(dtype)


SIZES = {"F32": 4, "F16": 2, "BF16": 2, "I64": 8}


def weight(rng, rows, cols, signal):
    w = rng.standard_normal((rows, cols), dtype=np.float32) * NOISE
    signal = min(signal, min(rows, cols) // 4)
    if signal:
        edge = NOISE * (np.sqrt(rows) + np.sqrt(cols))
        u, _ = np.linalg.qr(rng.standard_normal((rows, signal)))
        v, _ = np.linalg.qr(rng.standard_normal((cols, signal)))
        s = edge * np.linspace(4.0, 2.5, signal)
        w += ((u * s) @ v.T).astype(np.float32)
    return w


def gpt2_specs(a):
    d, f = a.dim, a.ffn
    specs = [("wte.weight", "F32", (a.vocab, d), "w"), ("wpe.weight", "F32", (64, d), "w"),
             ("wtt.weight", "F32", (2, d), "w"), ("position_ids", "I64", (1, 64), "ids")]
    for i in range(a.layers):
        dt = "F16" if i % 2 == 0 else "BF16"
        p = "h.%d." % i
        specs += [(p + "ln_1.weight", dt, (d,), "ones"), (p + "ln_1.bias", dt, (d,), "zeros"),
                  (p + "attn.c_attn.weight", dt, (d, 3 * d), "w"), (p + "attn.c_attn.bias", dt, (3 * d,), "small"),
                  (p + "attn.c_proj.weight", dt, (d, d), "w"), (p + "attn.c_proj.bias", dt, (d,), "small"),
                  (p + "ln_2.weight", dt, (d,), "ones"), (p + "ln_2.bias", dt, (d,), "zeros"),
                  (p + "mlp.c_fc.weight", dt, (d, f), "w"), (p + "mlp.c_fc.bias", dt, (f,), "small"),
                  (p + "mlp.c_proj.weight", dt, (f, d), "w"), (p + "mlp.c_proj.bias", dt, (d,), "small")]
    specs += [("ln_f.weight", "F32", (d,), "ones"), ("ln_f.bias", "F32", (d,), "zeros")]
    return specs


def bench_specs(a):
    specs = []
    for i in range(a.layers):
        p = "model.layers.%d.mlp." % i
        specs += [(p + "up_proj.weight", "BF16", (a.ffn, a.dim), "w"), (p + "down_proj.weight", "BF16", (a.dim, a.ffn), "w")]
    return specs


def values(rng, kind, shape, signal):
    if kind == "w":
        return weight(rng, shape[0], shape[1], signal)
    if kind == "ones":
        return np.ones(shape, dtype=np.float32) + rng.standard_normal(shape, dtype=np.float32) * 0.01
    if kind == "zeros":
        return np.zeros(shape, dtype=np.float32)
    if kind == "small":
        return rng.standard_normal(shape, dtype=np.float32) * 0.01
    if kind == "ids":
        return np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)
    raise ValueError(kind)


def write_file(path, specs, rng, signal):
    header = {"__metadata__": {"format": "pt", "writer": "make_checkpoint.py"}}
    offset = 0
    for name, dt, shape, _ in specs:
        n = SIZES[dt] * int(np.prod(shape))
        header[name] = {"dtype": dt, "shape": list(shape), "data_offsets": [offset, offset + n]}
        offset += n
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        for name, dt, shape, kind in specs:
            out.write(encode(values(rng, kind, shape, signal), dt))
    return offset


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--preset", default="gpt2", choices=["gpt2", "bench"])
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--ffn", type=int, default=256)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--vocab", type=int, default=96)
    ap.add_argument("--shards", type=int, default=2, choices=[1, 2])
    ap.add_argument("--signal", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    specs = gpt2_specs(a) if a.preset == "gpt2" else bench_specs(a)
    os.makedirs(a.out, exist_ok=True)
    if a.shards == 1:
        write_file(os.path.join(a.out, "model.safetensors"), specs, rng, a.signal)
        return
    half = (len(specs) + 1) // 2
    names = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
    total = 0
    weight_map = {}
    for shard, part in zip(names, (specs[:half], specs[half:])):
        total += write_file(os.path.join(a.out, shard), part, rng, a.signal)
        weight_map.update({name: shard for name, _, _, _ in part})
    index = {"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}
    with open(os.path.join(a.out, "model.safetensors.index.json"), "w") as f:
        json.dump(index, f, indent=2)


if __name__ == "__main__":
    main()
