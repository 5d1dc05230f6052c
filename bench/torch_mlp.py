"""The PyTorch peer of `rmtsvd bench train`: the same MLP written the way PyTorch's tutorials
train one, on the CPU.

    python3 torch_mlp.py MNIST_DIR [--epochs 4] [--threads 1] [--widths 784,1000,10]

nn.Linear layers (their default initialisation is rmtsvd's: uniform on +-1/sqrt(in)) with ReLU
between them, F.cross_entropy, torch.optim.SGD(lr 0.08, momentum 0.9), mini-batches of 128 from a
fresh torch.randperm every epoch, float32 images scaled to [0, 1]. Prints JSON lines: first the
build and BLAS PyTorch runs on, then one line per epoch with the seconds and the process CPU seconds
of its training part (shuffle and mini-batches; the test evaluation that follows is not timed).
"""
import ctypes
import os
import re
import sys
import tempfile
import time

import mlp_common

args = mlp_common.options(__doc__.splitlines()[0])
mlp_common.limit_threads(args.threads)
import torch  # noqa: E402  (after the thread limit)
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)


def blas():
    """PyTorch's version, BLAS and the CPU capability its own kernels were dispatched to."""
    info = {'torch': torch.__version__, 'cpu_capability': torch.backends.cpu.get_cpu_capability()}
    config = torch.__config__.show()
    mkl = re.search(r'Math Kernel Library Version ([0-9.]+)', config)
    if mkl:
        info['blas'] = 'MKL ' + mkl.group(1)
        dispatch = mkl_dispatch()
        if dispatch:
            info['mkl_dispatch'] = dispatch
    elif 'BLAS_INFO=' in config:
        info['blas'] = config.split('BLAS_INFO=')[1].split(',')[0]
    onednn = re.search(r'MKL-DNN (v[0-9.]+)', config)
    if onednn:
        info['onednn'] = onednn.group(1)
    return info


def mkl_dispatch():
    """The code path MKL chose on this CPU, from the first line of its verbose mode."""
    libc = ctypes.CDLL(None)
    sys.stdout.flush()
    saved = os.dup(1)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 1)
        try:
            with torch.backends.mkl.verbose(torch.backends.mkl.VERBOSE_ON):
                torch.ones(8, 8) @ torch.ones(8, 8)
            libc.fflush(None)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        capture.seek(0)
        text = capture.read().decode(errors='replace')
    found = re.search(r'architecture (.*?), Lnx', text)
    return found.group(1) if found else None


def load(directory, kind):
    images, dims = mlp_common.idx(directory, f'{kind}-images-idx3-ubyte')
    labels, _ = mlp_common.idx(directory, f'{kind}-labels-idx1-ubyte')
    x = torch.frombuffer(bytearray(images), dtype=torch.uint8).reshape(dims[0], -1).float() / 255
    return x, torch.frombuffer(bytearray(labels), dtype=torch.uint8).long()


x_train, y_train = load(args.data, 'train')
x_test, y_test = load(args.data, 't10k')
if x_train.shape[1] != args.widths[0]:
    mlp_common.fail(f'the images have {x_train.shape[1]} pixels, --widths starts at {args.widths[0]}')
modules = []
for i, (fan_in, fan_out) in enumerate(zip(args.widths, args.widths[1:])):
    if i > 0:
        modules.append(torch.nn.ReLU())
    modules.append(torch.nn.Linear(fan_in, fan_out))
model = torch.nn.Sequential(*modules)
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)

mlp_common.emit(peer='torch', threads=torch.get_num_threads(), widths=args.widths, **blas())
count = len(x_train)
for epoch in range(1, args.epochs + 1):
    start = time.perf_counter()
    cpu = time.process_time()
    model.train()
    order = torch.randperm(count)
    for first in range(0, count, args.batch):
        rows = order[first:first + args.batch]
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x_train[rows]), y_train[rows])
        loss.backward()
        optimizer.step()
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu
    model.eval()
    with torch.no_grad():
        accuracy = (model(x_test).argmax(dim=1) == y_test).float().mean().item()
    mlp_common.emit(epoch=epoch, seconds=seconds, cpu_seconds=cpu_seconds, images_per_second=count / seconds,
                    test_accuracy=accuracy)
