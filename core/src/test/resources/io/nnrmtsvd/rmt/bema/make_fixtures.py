"""Makes the BEMA agreement fixtures: small float64 matrices (.npy) and, for each run, the JSON
that the Python reference seed_bema.py prints for it (one line per run in expected.jsonl).

Regenerate from this directory (seed_bema.py lives in the shared bench directory):
    python3 make_fixtures.py /work/shared/bench/seed_bema.py
"""
import json
import subprocess
import sys

import numpy as np

SEED_BEMA = sys.argv[1]
rng = np.random.default_rng(20261125)


def planted(rows, cols, strengths, noise=1.0):
    """Gaussian noise of the given sd plus a rank-k signal with the given singular values."""
    w = noise * rng.standard_normal((rows, cols))
    k = len(strengths)
    u, _ = np.linalg.qr(rng.standard_normal((rows, k)))
    v, _ = np.linalg.qr(rng.standard_normal((cols, k)))
    return w + (u * np.asarray(strengths)) @ v.T


matrices = {
    "gauss_150x100": rng.standard_normal((150, 100)),
    "gauss_wide_100x150_sd0.05": 0.05 * rng.standard_normal((100, 150)),
    "spiked_wide_100x180_rank5": planted(100, 180, [60, 50, 45, 40, 35]),
    "spiked_tall_240x60_rank3": planted(240, 60, [70, 50, 40], noise=0.5),
    "gauss_square_80x80": rng.standard_normal((80, 80)),
    "uniform_small_12x40": rng.uniform(-1, 1, (12, 40)),
}
runs = [(name, 0.2, 0.1) for name in matrices] + [
    ("spiked_wide_100x180_rank5", 0.25, 0.1),
    ("gauss_150x100", 0.2, 0.05),
    ("spiked_tall_240x60_rank3", 0.25, 0.01),
]

for name, w in matrices.items():
    np.save(name + ".npy", w.astype(np.float64))

with open("expected.jsonl", "w") as out:
    for name, alpha, beta in runs:
        line = subprocess.run([sys.executable, SEED_BEMA, name + ".npy", str(alpha), str(beta)],
                              check=True, capture_output=True, text=True).stdout.strip()
        record = json.loads(line)
        record.pop("seconds")
        out.write(json.dumps({"matrix": name + ".npy", "alpha": alpha, "beta": beta,
                              "result": record}) + "\n")
