"""What the two peer programs of `rmtsvd bench train` share: reading the MNIST IDX files, the
options, and the JSON lines they print. The training itself is in numpy_mlp.py and torch_mlp.py."""
import argparse
import gzip
import json
import os
import struct
import sys


def options(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument('data', help='directory holding the four MNIST IDX files (raw or .gz)')
    p.add_argument('--epochs', type=int, default=4)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--widths', default='784,1000,10', help='layer widths, input first')
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--lr', type=float, default=0.08)
    p.add_argument('--momentum', type=float, default=0.9)
    a = p.parse_args()
    a.widths = [int(w) for w in a.widths.split(',')]
    return a


def limit_threads(threads):
    """Every BLAS and OpenMP runtime reads these when it loads: call before importing numpy/torch."""
    for name in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
        os.environ[name] = str(threads)


def _open(directory, name):
    path = os.path.join(directory, name)
    if os.path.exists(path):
        return open(path, 'rb')
    return gzip.open(path + '.gz', 'rb')


def idx(directory, name):
    """(bytes of the values, dimensions) of one IDX file of unsigned bytes."""
    with _open(directory, name) as f:
        data = f.read()
    zero, kind, ndim = struct.unpack('>HBB', data[:4])
    if zero != 0 or kind != 0x08:
        raise ValueError(f'{name}: not an IDX file of unsigned bytes')
    dims = struct.unpack('>' + 'I' * ndim, data[4:4 + 4 * ndim])
    return data[4 + 4 * ndim:], dims


def emit(**record):
    print(json.dumps(record), flush=True)


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(2)
