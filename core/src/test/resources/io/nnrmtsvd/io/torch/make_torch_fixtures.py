"""Writes the torch.save fixtures of TorchFileTest, TorchCheckpointTest and TorchRefusalTest with
PyTorch itself (Debian's python3-torch 1.13), and expected.json: every tensor's dtype, shape,
layout and values in C order, as PyTorch reads them back. Run from this directory:

    /usr/bin/python3 make_torch_fixtures.py

The evil_*.pt files are what a malicious model file looks like: torch.save of objects whose
__reduce__ runs a command when the file is unpickled (torch.load with weights_only=False). Each
would create /tmp/nnrmtsvd-torch-pwned-<kind>; the Java reader must refuse them without running
anything. This script never loads them.
"""
import collections
import json
import os
import subprocess

import torch

torch.manual_seed(20261130)
DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
          torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
          torch.bool: "BOOL"}
expected = {}


def describe(t):
    values = t.detach().contiguous().reshape(-1)
    values = values.to(torch.float64).tolist() if t.is_floating_point() else values.to(torch.int64).tolist()
    return {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "strides": list(t.stride()),
            "storage_offset": t.storage_offset(), "contiguous": t.is_contiguous(), "values": values}


def save(obj, name, tensors, **kwargs):
    torch.save(obj, name, **kwargs)
    expected[name] = {k: describe(v) for k, v in tensors.items()}


# every dtype; a 4-D convolution weight; a scalar and an empty tensor
special = torch.tensor([0.0, -0.0, 1.0, -2.5, 1 + 2 ** -11, 2 ** -24, 65504.0, 1e-8, 0.1, -1 / 3])
dtypes = collections.OrderedDict()
dtypes["w.f32"] = ((torch.arange(6, dtype=torch.float64) - 2.5) / 3).float().reshape(2, 3)
dtypes["w.f16"] = special.half().reshape(2, 5)
dtypes["w.bf16"] = special.bfloat16()
dtypes["w.f64"] = (torch.arange(4, dtype=torch.float64) / 7).reshape(4, 1)
dtypes["conv.weight"] = torch.sin(torch.arange(4 * 3 * 3 * 3, dtype=torch.float32)).reshape(4, 3, 3, 3)
dtypes["scalar"] = torch.tensor(1.5)
dtypes["empty"] = torch.zeros(0, 3)
dtypes["steps"] = torch.tensor([[1, -2], [2 ** 40, 7]])
dtypes["i32"] = torch.tensor([-(2 ** 31), 2 ** 31 - 1], dtype=torch.int32)
dtypes["i16"] = torch.tensor([-300, 300], dtype=torch.int16)
dtypes["i8"] = torch.tensor([-128, 127], dtype=torch.int8)
dtypes["u8"] = torch.tensor([0, 255], dtype=torch.uint8)
dtypes["mask"] = torch.tensor([True, False, True])
save(dtypes, "dtypes.pt", dtypes)

# views saved as they are: transposed, sliced with a step, narrowed, permuted, broadcast (stride 0)
# within the storage's length; several of them views of one storage; one tensor object saved twice
base = torch.arange(24, dtype=torch.float32) * 0.5
shared = torch.randn(3, 4).half()
views = collections.OrderedDict()
views["whole"] = base
views["transposed"] = base[:12].reshape(3, 4).t()
views["stepped"] = base.reshape(4, 6)[1:3, ::2]
views["narrowed"] = base[5:9]
views["permuted"] = base.reshape(2, 3, 4).permute(2, 0, 1)
views["column"] = base.reshape(4, 6)[:, 2:3]
views["position_ids"] = torch.arange(8).expand((1, -1))
views["broadcast"] = base[3:4].expand(2, 3)
views["tied.a"] = shared
views["tied.b"] = shared
views["tied.flat"] = shared.view(12)
save(views, "views.pt", views)

# a training checkpoint: the model's state dict under "state_dict" beside an optimizer's state
model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.Flatten(),
                            torch.nn.Linear(16, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
model(torch.randn(2, 3, 4, 4)).sum().backward()
optimizer.step()
state = model.state_dict()
save({"epoch": 5, "best": 0.25, "name": "tiny", "state_dict": state, "optimizer": optimizer.state_dict()},
     "checkpoint.pth", state)

# nested dicts and lists with protocol 4 (STACK_GLOBAL, MEMOIZE, FRAME, SHORT_BINUNICODE)
nested = {"encoder": {"w": torch.randn(2, 2, dtype=torch.float64),
                      "layers": [torch.ones(3), torch.full((2,), 2.0, dtype=torch.bfloat16)]},
          "decoder": collections.OrderedDict(b=torch.zeros(2)), "meta": {"k": 1, "tag": "x"}}
save(nested, "nested_p4.pt", {"encoder.w": nested["encoder"]["w"], "encoder.layers.0": nested["encoder"]["layers"][0],
                              "encoder.layers.1": nested["encoder"]["layers"][1], "decoder.b": nested["decoder"]["b"]},
     pickle_protocol=4)

# a broadcast view with more elements than its storage: refused (it could declare any size)
torch.save({"ones": torch.ones(1).expand(5)}, "broadcast.pt")

# parameters pickled as such (torch._utils._rebuild_parameter)
params = {"p": torch.nn.Parameter(torch.tensor([1.0, 2.0])),
          "q": torch.nn.Parameter(torch.tensor([[3.0]]), requires_grad=False)}
save(params, "params.pt", params)

# a Hugging Face style sharded checkpoint
os.makedirs("sharded", exist_ok=True)
shard_names = ["pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin"]
layer = {"layers.0.weight": torch.randn(3, 2), "layers.0.bias": torch.randn(3),
         "layers.1.weight": torch.randn(2, 3).half(), "layers.1.bias": torch.randn(2).half()}
names = list(layer)
weight_map = {}
for i, shard in enumerate(shard_names):
    part = collections.OrderedDict((k, layer[k]) for k in names[2 * i:2 * i + 2])
    save(part, os.path.join("sharded", shard), part)
    weight_map.update({k: shard for k in part})
with open(os.path.join("sharded", "pytorch_model.bin.index.json"), "w") as f:
    json.dump({"metadata": {"total_size": sum(t.numel() * t.element_size() for t in layer.values())},
               "weight_map": weight_map}, f, indent=2)


# malicious files: loading them with pickle runs a command
class Command:
    def __init__(self, call):
        self.call = call

    def __reduce__(self):
        return self.call


PWNED = "/tmp/nnrmtsvd-torch-pwned-"
evil = {
    "os_system": (os.system, ("touch " + PWNED + "os_system",)),
    "builtins_eval": (eval, ("open('" + PWNED + "builtins_eval', 'w').close()",)),
    "subprocess_popen": (subprocess.Popen, (["touch", PWNED + "subprocess_popen"],)),
}
for kind, call in evil.items():
    torch.save(collections.OrderedDict([("w", torch.ones(2)), ("x", Command(call))]), "evil_" + kind + ".pt")

with open("expected.json", "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
