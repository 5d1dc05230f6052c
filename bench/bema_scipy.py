"""The peer of `rmtsvd bench spectrum`: BEMA on one matrix the way a notebook computes it, with
numpy and SciPy: eigenvalues of the Gram matrix by eigvalsh, Marchenko-Pastur quantiles by
integrating the density (quad) and solving for each (brentq), sigma^2 by least squares, the edge
with the Tracy-Widom margin.

    python3 bema_scipy.py MATRIX.npy [ALPHA] [BETA]

Prints one JSON line: sigma2, lambda_plus, spikes, the largest eigenvalue and the seconds the fit
took (the matrix already loaded).
"""
import json
import math
import sys
import time

import numpy as np
from scipy.integrate import quad
from scipy.optimize import brentq

# Quantiles of the Tracy-Widom law for beta = 1 at 0.90, 0.95 and 0.99.
TRACY_WIDOM_1 = {0.90: 0.45014, 0.95: 0.97931, 0.99: 2.02345}


def marchenko_pastur(ratio):
    """Edges and density of the law with unit variance and aspect ratio p / n."""
    low = (1 - math.sqrt(ratio)) ** 2
    high = (1 + math.sqrt(ratio)) ** 2

    def density(x):
        if x <= low or x >= high:
            return 0.0
        return math.sqrt((high - x) * (x - low)) / (2 * math.pi * ratio * x)

    return low, high, density


def quantiles(levels, ratio):
    low, high, density = marchenko_pastur(ratio)

    def cdf(x):
        return quad(density, low, x)[0]

    return np.array([brentq(lambda x: cdf(x) - level, low, high) for level in levels])


def bema(matrix, alpha=0.2, beta=0.1):
    rows, cols = matrix.shape
    p, n = min(rows, cols), max(rows, cols)
    w = matrix.astype(np.float64)
    gram = (w @ w.T) if rows <= cols else (w.T @ w)
    eigenvalues = np.linalg.eigvalsh(gram / n)
    ratio = p / n
    kept = np.arange(int(alpha * p), int((1 - alpha) * p))
    q = quantiles(kept / p, ratio)
    lam = eigenvalues[kept]
    sigma2 = float(q @ lam / (q @ q))
    margin = TRACY_WIDOM_1[round(1 - beta, 2)] * n ** (-2 / 3) * ratio ** (-1 / 6) * (1 + math.sqrt(ratio)) ** (4 / 3)
    edge = sigma2 * ((1 + math.sqrt(ratio)) ** 2 + margin)
    return {'p': p, 'n': n, 'sigma2': sigma2, 'lambda_plus': edge,
            'spikes': int((eigenvalues > edge).sum()), 'largest': float(eigenvalues[-1])}


if __name__ == '__main__':
    values = np.load(sys.argv[1])
    a = float(sys.argv[2]) if len(sys.argv) > 2 else 0.2
    b = float(sys.argv[3]) if len(sys.argv) > 3 else 0.1
    start = time.perf_counter()
    result = bema(values, a, b)
    result['seconds'] = time.perf_counter() - start
    print(json.dumps(result), flush=True)
