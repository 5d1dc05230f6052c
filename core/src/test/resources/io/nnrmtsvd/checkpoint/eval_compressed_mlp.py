#!/usr/bin/env python3
"""Test accuracy of a compressed rmtsvd MLP (layers.{i}) in PyTorch, through docs/load_compressed.py.

Usage: eval_compressed_mlp.py DOCS_DIR CHECKPOINT MNIST_DIR   (raw IDX files t10k-*-ubyte)
Prints the accuracy on the test split as one number.
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, sys.argv[1])
from load_compressed import factored_linear, load_checkpoint, read_safetensors  # noqa: E402


def idx(path, header_ints):
    with open(path, "rb") as f:
        raw = f.read()
    return np.frombuffer(raw[4 * header_ints:], dtype=np.uint8)


def main():
    checkpoint, mnist = sys.argv[2], sys.argv[3]
    state, record = load_checkpoint(checkpoint)
    relu = read_safetensors(checkpoint)[1]["relu"]
    modules = []
    for i, act in enumerate(relu):
        name = "layers.%d.weight" % i
        if name in record.get("factored", {}):
            modules.append(factored_linear(state, record, name))
        else:
            w = state[name].float()
            linear = torch.nn.Linear(w.shape[1], w.shape[0], bias="layers.%d.bias" % i in state)
            with torch.no_grad():
                linear.weight.copy_(w)
                if linear.bias is not None:
                    linear.bias.copy_(state["layers.%d.bias" % i].float())
            modules.append(linear)
        if act == "1":
            modules.append(torch.nn.ReLU())
    net = torch.nn.Sequential(*modules)
    images = idx(os.path.join(mnist, "t10k-images-idx3-ubyte"), 4).reshape(-1, 784).astype(np.float32) / 255
    labels = idx(os.path.join(mnist, "t10k-labels-idx1-ubyte"), 2)
    with torch.no_grad():
        predicted = net(torch.from_numpy(images)).argmax(dim=1).numpy()
    print(float((predicted == labels).mean()))


if __name__ == "__main__":
    main()
