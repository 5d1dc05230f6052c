#!/usr/bin/env python3
"""Load a checkpoint compressed by `rmtsvd compress` into PyTorch, without the safetensors package.

A compressed checkpoint replaces a layer NAME.weight [out, in] by two factors,
NAME.down.weight [k, in] and NAME.up.weight [out, k], with NAME.weight = up @ down; the bias
NAME.bias keeps its name and belongs after `up`. A convolution NAME.weight [out, in, kh, kw]
becomes NAME.down.weight [k, in, kh, kw], a convolution with the original's stride, padding and
dilation, followed by NAME.up.weight [out, k, 1, 1], a 1x1 convolution. The metadata key "rmtsvd_factored" (in every
shard, and in model.safetensors.index.json) lists each factored layer, its rank and its factors.

    state, record = load_checkpoint("small/")              # a file or a sharded directory
    dense = rebuild_weights(state, record)                 # NAME.weight = up @ down again
    layer = factored_linear(state, record, "h.0.mlp.c_fc.weight")   # two nn.Linear
    conv = factored_conv2d(state, record, "layer1.0.conv1.weight", like=model.layer1[0].conv1)

Needs numpy and torch (Debian: apt-get install python3-torch).
"""
import json
import os
import struct
import sys

import numpy as np
import torch

NUMPY_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2",
                "I8": "i1", "U8": "u1", "BOOL": "?"}


def read_safetensors(path):
    """All tensors of one .safetensors file (as torch tensors) and its __metadata__."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        raw = data[begin:end]
        if entry["dtype"] == "BF16":  # the upper half of a float32
            bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            array = bits.view(np.float32)
        else:
            array = np.frombuffer(raw, dtype=NUMPY_DTYPES[entry["dtype"]]).copy()
        tensors[name] = torch.from_numpy(array.reshape(entry["shape"]))
    return tensors, metadata


def load_checkpoint(path):
    """The state dict of a .safetensors file or a directory (sharded with an index, or one file),
    and the rmtsvd record of factored layers ({} if there is none)."""
    if os.path.isdir(path):
        index_file = os.path.join(path, "model.safetensors.index.json")
        if os.path.exists(index_file):
            with open(index_file) as f:
                files = sorted(set(json.load(f)["weight_map"].values()))
        else:
            files = [n for n in os.listdir(path) if n.endswith(".safetensors")]
        paths = [os.path.join(path, n) for n in files]
    else:
        paths = [path]
    state, record = {}, {}
    for p in paths:
        tensors, metadata = read_safetensors(p)
        state.update(tensors)
        if "rmtsvd_factored" in metadata:
            record = json.loads(metadata["rmtsvd_factored"])
    return state, record


def rebuild_weights(state, record):
    """A copy of the state dict with every factored NAME.weight rebuilt as up @ down (float32)."""
    dense = dict(state)
    for name, entry in record.get("factored", {}).items():
        up, down = dense.pop(entry["up"]), dense.pop(entry["down"])
        product = up.float().reshape(up.shape[0], -1) @ down.float().reshape(down.shape[0], -1)
        dense[name] = product.reshape(entry["shape"])
    return dense


def factored_linear(state, record, name):
    """The factored layer NAME.weight as nn.Sequential(Linear(in, k, bias=False), Linear(k, out))."""
    entry = record["factored"][name]
    down, up = state[entry["down"]].float(), state[entry["up"]].float()
    first = torch.nn.Linear(down.shape[1], down.shape[0], bias=False)
    second = torch.nn.Linear(up.shape[1], up.shape[0], bias=entry["bias"] is not None)
    return _pair(state, entry, first, second)


def _pair(state, entry, first, second):
    """first and second in sequence, holding the down and up factors and the bias."""
    with torch.no_grad():
        first.weight.copy_(state[entry["down"]].float())
        second.weight.copy_(state[entry["up"]].float())
        if entry["bias"] is not None:
            second.bias.copy_(state[entry["bias"]].float())
    return torch.nn.Sequential(first, second)


def factored_conv2d(state, record, name, like=None):
    """The factored convolution NAME.weight as nn.Sequential(Conv2d(in, k, (kh, kw), bias=False),
    Conv2d(k, out, 1)). The checkpoint does not hold the convolution's stride, padding and dilation:
    they are taken from `like`, the original nn.Conv2d, when given (else 1, 0 and 1)."""
    entry = record["factored"][name]
    down, up = state[entry["down"]].float(), state[entry["up"]].float()
    if like is not None and like.groups != 1:
        raise ValueError("%s: a grouped convolution is not one matrix; it cannot be factored" % name)
    settings = {} if like is None else {"stride": like.stride, "padding": like.padding,
                                        "dilation": like.dilation, "padding_mode": like.padding_mode}
    first = torch.nn.Conv2d(down.shape[1], down.shape[0], tuple(down.shape[2:]), bias=False, **settings)
    second = torch.nn.Conv2d(up.shape[1], up.shape[0], 1, bias=entry["bias"] is not None)
    return _pair(state, entry, first, second)


def factored_layer(state, record, name):
    """factored_linear or factored_conv2d (with stride 1, no padding), by the layer's shape."""
    if len(record["factored"][name]["shape"]) == 4:
        return factored_conv2d(state, record, name)
    return factored_linear(state, record, name)


if __name__ == "__main__":
    state, record = load_checkpoint(sys.argv[1])
    for name, entry in record.get("factored", {}).items():
        print("%s: rank %d, %s -> %s" % (name, entry["rank"], entry["shape"], factored_layer(state, record, name)))
