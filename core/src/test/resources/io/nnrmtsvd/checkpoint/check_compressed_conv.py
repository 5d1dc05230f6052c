#!/usr/bin/env python3
"""Checks a compressed convolution in PyTorch, through docs/load_compressed.py.

Usage: check_compressed_conv.py DOCS_DIR ORIGINAL COMPRESSED NAME STRIDE PADDING

Builds the original nn.Conv2d (weights and bias of ORIGINAL, the given stride and padding), the
factored pair of COMPRESSED, and the convolution with the rebuilt weights; prints, for one random
input, the largest difference between the factored pair and the rebuilt convolution (float
rounding only), then the relative error of the factored pair's output against the original's.
"""
import sys

import torch

sys.path.insert(0, sys.argv[1])
from load_compressed import factored_conv2d, load_checkpoint, rebuild_weights  # noqa: E402


def conv_with(weight, bias, stride, padding):
    out, inp, kh, kw = weight.shape
    conv = torch.nn.Conv2d(inp, out, (kh, kw), stride=stride, padding=padding, bias=bias is not None)
    with torch.no_grad():
        conv.weight.copy_(weight)
        if bias is not None:
            conv.bias.copy_(bias)
    return conv


def main():
    original, compressed, name = sys.argv[2], sys.argv[3], sys.argv[4]
    stride, padding = int(sys.argv[5]), int(sys.argv[6])
    bias_name = name[:-len(".weight")] + ".bias"
    before, _ = load_checkpoint(original)
    state, record = load_checkpoint(compressed)
    conv = conv_with(before[name].float(), before.get(bias_name), stride, padding)
    pair = factored_conv2d(state, record, name, like=conv)
    rebuilt = conv_with(rebuild_weights(state, record)[name], state.get(bias_name), stride, padding)
    torch.manual_seed(0)
    x = torch.randn(2, conv.in_channels, 12, 12)
    with torch.no_grad():
        y, y_pair, y_rebuilt = conv(x), pair(x), rebuilt(x)
    print(float((y_pair - y_rebuilt).abs().max()))
    print(float((y_pair - y).norm() / y.norm()))


if __name__ == "__main__":
    main()
