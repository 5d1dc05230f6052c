"""The numpy peer of `rmtsvd bench train`: an MLP trained in float32 with numpy's BLAS.

    python3 numpy_mlp.py MNIST_DIR [--epochs 4] [--threads 1] [--widths 784,1000,10]

The set-up is rmtsvd's: weights and biases uniform on +-1/sqrt(in) (PyTorch's nn.Linear default),
ReLU after every hidden layer, softmax cross-entropy, SGD with momentum in PyTorch's form
(v = mu v + g, w -= lr v; lr 0.08, mu 0.9), mini-batches of 128 drawn from a fresh shuffle every
epoch, images scaled to [0, 1]. Prints JSON lines: first the BLAS numpy runs on, then one line per
epoch with the seconds and the process CPU seconds of its training part (shuffle and mini-batches;
the test evaluation that follows is not timed).
"""
import ctypes
import glob
import os
import time

import mlp_common

args = mlp_common.options(__doc__.splitlines()[0])
mlp_common.limit_threads(args.threads)
import numpy as np  # noqa: E402  (after the thread limit)


def blas():
    """numpy's BLAS, and the kernel OpenBLAS chose on this CPU (asked of the library itself)."""
    info = {'numpy': np.__version__}
    config = np.show_config(mode='dicts') if 'mode' in np.show_config.__code__.co_varnames else None
    if config:
        b = config.get('Build Dependencies', {}).get('blas', {})
        info['blas'] = f"{b.get('name')} {b.get('version')}"
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), '..', 'numpy.libs', '*openblas*'))
    for path in libs:
        lib = ctypes.CDLL(path)
        for prefix, suffix in (('scipy_', '64_'), ('scipy_', ''), ('', '64_'), ('', '')):
            f = getattr(lib, f'{prefix}openblas_get_corename{suffix}', None)
            if f is not None:
                f.restype = ctypes.c_char_p
                info['blas_core'] = f().decode()
                break
    return info


def load(directory, kind):
    images, dims = mlp_common.idx(directory, f'{kind}-images-idx3-ubyte')
    labels, _ = mlp_common.idx(directory, f'{kind}-labels-idx1-ubyte')
    x = np.frombuffer(images, dtype=np.uint8).reshape(dims[0], -1).astype(np.float32) / np.float32(255)
    return x, np.frombuffer(labels, dtype=np.uint8).astype(np.int64)


x_train, y_train = load(args.data, 'train')
x_test, y_test = load(args.data, 't10k')
if x_train.shape[1] != args.widths[0]:
    mlp_common.fail(f'the images have {x_train.shape[1]} pixels, --widths starts at {args.widths[0]}')
rng = np.random.default_rng(args.seed)
layers = []
for fan_in, fan_out in zip(args.widths, args.widths[1:]):
    bound = 1 / np.sqrt(fan_in)
    w = rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32)
    b = rng.uniform(-bound, bound, fan_out).astype(np.float32)
    layers.append([w, b, np.zeros_like(w), np.zeros_like(b)])
lr = np.float32(args.lr)
mu = np.float32(args.momentum)
last = len(layers) - 1


def forward(x):
    outputs = [x]
    for i, (w, b, _, _) in enumerate(layers):
        z = outputs[-1] @ w.T
        z += b
        if i < last:
            np.maximum(z, 0, out=z)
        outputs.append(z)
    return outputs


def step(x, y):
    outputs = forward(x)
    z = outputs[-1]
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    delta = p / np.float32(len(y))
    for i in range(last, -1, -1):
        w, b, vw, vb = layers[i]
        gw = delta.T @ outputs[i]
        gb = delta.sum(axis=0)
        if i > 0:
            delta = delta @ w
            delta *= outputs[i] > 0
        vw *= mu
        vw += gw
        vb *= mu
        vb += gb
        w -= lr * vw
        b -= lr * vb


mlp_common.emit(peer='numpy', threads=args.threads, widths=args.widths, **blas())
count = len(x_train)
for epoch in range(1, args.epochs + 1):
    start = time.perf_counter()
    cpu = time.process_time()
    order = rng.permutation(count)
    for first in range(0, count, args.batch):
        rows = order[first:first + args.batch]
        step(x_train[rows], y_train[rows])
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu
    accuracy = float((forward(x_test)[-1].argmax(axis=1) == y_test).mean())
    mlp_common.emit(epoch=epoch, seconds=seconds, cpu_seconds=cpu_seconds, images_per_second=count / seconds,
                    test_accuracy=accuracy)
