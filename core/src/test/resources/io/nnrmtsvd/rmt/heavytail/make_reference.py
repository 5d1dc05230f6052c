"""Reference values for the heavy-tailed and norm metrics of SPEC section 9.

Writes seeded reference matrices (*.npy, float32, read as float64 on both sides) and
expected.jsonl, one JSON object per case, with two sets of expected values:

  "ww":  what WeightWatcher itself reports (WeightWatcher.analyze for matrices and the
         convolution, WeightWatcher.fit_powerlaw for explicit spectra), and for the truncated
         power law what the powerlaw package gives through WeightWatcher's WWFit;
  "ref": the SPEC section 9 formulas written out here with numpy/scipy/mpmath, independently of
         WeightWatcher and of the Java code: eigenvalues from numpy's SVD, the power-law fit by
         brute force over every candidate, the truncated power law by mpmath's expint and
         findroot at 30 digits, BEMA's lambda_plus from the shared seed_bema.py.

WeightWatcher and powerlaw are checks, not dependencies; nothing of them is committed. Run from
this directory (see README.md for the set-up):

    PYTHONPATH=/tmp/powerlaw:/tmp/ww python make_reference.py /work/shared/bench/seed_bema.py
"""
import importlib.util
import json
import logging
import sys
import warnings

import mpmath as mp
import numpy as np
from scipy.optimize import minimize
from scipy.spatial.distance import jensenshannon

warnings.simplefilter("ignore")
logging.disable(logging.CRITICAL)
import powerlaw  # noqa: E402
import weightwatcher  # noqa: E402
from weightwatcher import WeightWatcher  # noqa: E402
from weightwatcher.WW_powerlaw import WWFit  # noqa: E402

rng = np.random.default_rng(20261130)
mp.mp.dps = 30
WW_FLOOR = 1e-5
EPS = np.finfo(np.float64).eps


# ---------------------------------------------------------------- SPEC section 9, written out

def pl_fit(evals, floor=0.0, window=None):
    """Every candidate x_min = x_j but the largest; alpha from log sums; D by a full pass."""
    x = np.sort(evals[evals > floor]).astype(np.float64)
    m = len(x)
    best = None
    for j in range(m - 1):
        if window is not None and not (window[0] <= x[j] <= window[1]):
            continue
        s = float(np.sum(np.log(x[j:] / x[j])))
        if s <= 0:
            continue
        nt = m - j
        alpha = 1 + nt / s
        d = float(np.max(np.abs(1 - (x[j:] / x[j]) ** (1 - alpha) - np.arange(nt) / nt)))
        if best is None or d < best["D"]:
            best = dict(alpha=alpha, xmin=float(x[j]), xmax=float(x[-1]), D=d,
                        sigma=(alpha - 1) / np.sqrt(nt), num_pl_spikes=nt)
    return best


def x_peak(evals):
    nz = evals[evals > 1e-5]
    counts, edges = np.histogram(np.log10(nz), bins=100)
    return float(10 ** edges[np.argmax(counts)])


def tpl(tail, alpha_pl):
    """Truncated power law by maximum likelihood: E(alpha, mu) = expint(alpha, mu), mu = lambda x_min."""
    u = [mp.mpf(float(v)) / mp.mpf(float(tail[0])) for v in tail]
    n = len(u)
    mean_log = mp.fsum(mp.log(v) for v in u) / n
    mean_u = mp.fsum(u) / n
    a_pl = mp.mpf(alpha_pl)
    pl = n * (mp.log(a_pl - 1) - a_pl * mean_log - mp.log(float(tail[0])))
    if a_pl > 2 and mean_u >= (a_pl - 1) / (a_pl - 2):
        return dict(alpha=float(a_pl), lamb=0.0, R=0.0, p=1.0, loglik=float(pl))

    def f(a, nu):
        return -a * mean_log - mp.exp(nu) * mean_u - mp.log(mp.expint(a, mp.exp(nu)))

    # Nelder-Mead in (alpha, ln mu) from three starts, then Newton on the gradient at 30 digits
    starts = ([float(a_pl), -float(mp.log(mean_u))], [0.0, 0.0], [float(a_pl), -8.0])
    best = min((minimize(lambda t: -float(f(mp.mpf(t[0]), mp.mpf(t[1]))), start, method="Nelder-Mead",
                         options=dict(xatol=1e-10, fatol=1e-14, maxiter=20000)) for start in starts),
               key=lambda r: r.fun)
    a0, nu0 = best.x
    grad = [lambda a, nu: mp.diff(lambda b: f(b, nu), a), lambda a, nu: mp.diff(lambda c: f(a, c), nu)]
    a, nu = mp.findroot(grad, (mp.mpf(a0), mp.mpf(nu0)), tol=mp.mpf(10) ** -24)
    truncated = n * (f(a, nu) - mp.log(float(tail[0])))
    ratio = pl - truncated
    return dict(alpha=float(a), lamb=float(mp.exp(nu) / float(tail[0])), R=float(ratio),
                p=float(mp.erfc(mp.sqrt(abs(ratio)))), loglik=float(truncated))


def metrics(evals, rows, cols, alpha):
    lmax = evals.max()
    norm = evals.sum()
    n = max(rows, cols)
    s = np.sqrt(evals)
    kept = evals[s > s.max() * n * EPS]
    rank = len(kept)
    if rank > 1:
        q = kept / kept.sum()
        entropy = float(-np.sum(q * np.log(q)) / np.log(rank))
    else:
        entropy = 0.0
    log_alpha_norm = float(mp.log10(mp.fsum(mp.mpf(float(v)) ** alpha for v in evals)))
    return dict(log_norm=float(np.log10(norm)), log_spectral_norm=float(np.log10(lmax)),
                stable_rank=float(norm / lmax), alpha_weighted=float(alpha * np.log10(lmax)),
                log_alpha_norm=log_alpha_norm, entropy=entropy, matrix_rank=rank, norm=float(norm),
                lambda_max=float(lmax))


def rand_distance(evals, rand_evals):
    a = np.log10(evals[evals > 0])
    b = np.log10(rand_evals[rand_evals > 0])
    lo, hi = min(a.min(), b.min()), max(a.max(), b.max())
    pa, _ = np.histogram(a, bins=100, range=(lo, hi))
    pb, _ = np.histogram(b, bins=100, range=(lo, hi))
    return float(jensenshannon(pa / pa.sum(), pb / pb.sum(), base=2))


def eigenvalues(w):
    return np.sort(np.linalg.svd(w.astype(np.float64), compute_uv=False) ** 2)


# ---------------------------------------------------------------- WeightWatcher's numbers

WW_COLUMNS = ["alpha", "xmin", "xmax", "D", "sigma", "num_pl_spikes", "log_norm", "log_spectral_norm",
              "stable_rank", "alpha_weighted", "log_alpha_norm", "entropy", "matrix_rank", "norm", "lambda_max"]


def ww_analyze(weights):
    watcher = WeightWatcher(model={"layer.weight": weights.astype(np.float64)})
    row = watcher.analyze(plot=False, randomize=False, mp_fit=False, conv2d_norm=False, min_evals=2).iloc[0]
    return {k: (int(row[k]) if k in ("num_pl_spikes", "matrix_rank") else float(row[k])) for k in WW_COLUMNS}


def ww_tpl(evals, floor=WW_FLOOR):
    fit = WWFit(evals[evals > floor])
    tpl_fit = powerlaw.Truncated_Power_Law(data=fit.data, xmin=fit.xmin, xmax=None, discrete=False,
                                           fit_method="Likelihood", parameter_range=None, parent_Fit=None)
    ratio, p = powerlaw.loglikelihood_ratio(
        np.log((fit.data ** -fit.alpha) * (fit.alpha - 1) * fit.xmin ** (fit.alpha - 1)),
        tpl_fit.loglikelihoods(fit.data), nested=True)
    return dict(alpha=float(tpl_fit.alpha), lamb=float(tpl_fit.Lambda), R=float(ratio), p=float(p))


# ---------------------------------------------------------------- the cases

def planted(rows, cols, strengths, noise):
    w = noise * rng.standard_normal((rows, cols))
    k = len(strengths)
    u, _ = np.linalg.qr(rng.standard_normal((rows, k)))
    v, _ = np.linalg.qr(rng.standard_normal((cols, k)))
    return w + (u * np.asarray(strengths)) @ v.T


def zeros_and_ties(rows, cols):
    """Zero rows and columns (exact zero eigenvalues) and a signal whose singular values repeat."""
    w = 0.3 * rng.standard_normal((rows, cols))
    w[: rows // 4, :] = 0
    w[:, : cols // 5] = 0
    u, _ = np.linalg.qr(rng.standard_normal((rows, 6)))
    v, _ = np.linalg.qr(rng.standard_normal((cols, 6)))
    return w + (u * np.array([9.0, 9.0, 9.0, 6.0, 6.0, 4.0])) @ v.T


def with_traps(rows, cols, positions, value):
    w = rng.standard_normal((rows, cols))
    for r, c in positions:
        w[r, c] = value
    return w


def tied_start():
    """A small spectrum with ties whose best x_min is not the first of its run of equal values:
    there WeightWatcher's num_pl_spikes (every value >= x_min) exceeds the tail the fit used."""
    search = np.random.default_rng(7)
    while True:
        values = np.sort(search.integers(1, 12, 14).astype(np.float64) ** 2)
        fit = pl_fit(values)
        j = len(values) - fit["num_pl_spikes"] if fit else 0
        if j > 0 and values[j - 1] == values[j]:
            return values.tolist()


TRAPS = [(3, 17), (40, 2), (71, 99)]
student = rng.standard_t(3, (150, 100))
pareto_entries = rng.standard_normal((100, 160))
mask = rng.random((100, 160)) < 0.05
pareto_entries[mask] += np.sign(rng.standard_normal(mask.sum())) * (rng.pareto(1.5, mask.sum()) + 1) * 3

matrices = {
    "gauss_120x200": rng.standard_normal((120, 200)),
    "gauss_small_100x150_sd0.004": 0.004 * rng.standard_normal((100, 150)),
    "student_t3_150x100": student,
    "pareto_planted_100x160": pareto_entries,
    "lowrank_noise_96x192": planted(96, 192, [60, 45, 35, 28, 24, 21], 1.0),
    "zeros_ties_64x96": zeros_and_ties(64, 96),
    "traps_80x120": with_traps(80, 120, TRAPS, 40.0),
}
randomised = {"gauss_120x200", "pareto_planted_100x160", "traps_80x120"}
conv = rng.standard_normal((12, 8, 3, 3)) * np.linspace(0.5, 2, 12)[:, None, None, None]

spectra = {
    "ties": [1, 1, 1, 2, 2, 3, 3, 3, 5, 8, 8, 13, 13, 13, 21, 34, 34, 55],
    "top_tie": [1, 2, 4, 4],
    "two_values": [2, 5],
    "zeros_then_values": [0, 0, 0, 1e-7, 0.5, 1, 2, 4, 8, 16, 40],
    "pareto_500": sorted((rng.pareto(1.7, 500) + 1).tolist()),
    "tied_start": tied_start(),
    "bulk_with_tail_800": sorted((rng.chisquare(3, 760) / 3).tolist() + ((rng.pareto(2.2, 40) + 1) * 4).tolist()),
}


def case_for_matrix(name, w):
    w = w.astype(np.float32)
    np.save(name + ".npy", w)
    w64 = w.astype(np.float64)
    rows, cols = w.shape
    ev = eigenvalues(w64)
    record = {"case": name, "kind": "matrix", "file": name + ".npy", "rows": rows, "cols": cols}
    record["ww"] = ww_analyze(w64)
    record["ww"]["tpl"] = ww_tpl(ev)
    ref = {"eigenvalues": ev.tolist()}
    fit = pl_fit(ev, WW_FLOOR)
    ref["pl_ww_floor"] = fit
    ref["pl"] = pl_fit(ev, 0.0)
    xp = x_peak(ev)
    ref["fingers"] = dict(x_peak=xp, **pl_fit(ev, 0.0, (0.95 * xp, 1.5 * xp)))
    tail = np.sort(ev[ev > 0])[-ref["pl"]["num_pl_spikes"]:]
    ref["tpl"] = tpl(tail, ref["pl"]["alpha"])
    ref["metrics"] = metrics(ev, rows, cols, ref["pl"]["alpha"])
    bema = seed_bema.bema(w64, 0.2, 0.1)
    ref["mp_softrank"] = max(rows, cols) * bema["lambda_plus"] / ev[-1]
    if name in randomised:
        w_rand = w.flatten()[rng.permutation(w.size)].reshape(w.shape)
        np.save(name + ".rand.npy", w_rand)
        rand_ev = eigenvalues(w_rand.astype(np.float64))
        rand_bema = seed_bema.bema(w_rand.astype(np.float64), 0.2, 0.1)
        edge = max(rows, cols) * rand_bema["lambda_plus"]
        order = np.lexsort((np.arange(w.size), -np.abs(w64).ravel()))[:10]
        ref["rand"] = dict(file=name + ".rand.npy", max_rand_eval=float(rand_ev[-1]),
                           ww_softrank=float(rand_ev[-1] / ev[-1]), rand_distance=rand_distance(ev, rand_ev),
                           rand_eigenvalues=rand_ev.tolist(), trap_threshold=edge,
                           traps=int(np.sum(rand_ev > edge)),
                           largest=[[int(i // cols), int(i % cols), float(w64.ravel()[i])] for i in order])
    record["ref"] = ref
    return record


def case_for_conv(name, kernel):
    kernel = kernel.astype(np.float32)
    np.save(name + ".npy", kernel)
    k64 = kernel.astype(np.float64)
    out, inn, kh, kw = kernel.shape
    pooled = np.sort(np.concatenate([eigenvalues(k64[:, :, a, b]) for a in range(kh) for b in range(kw)]))
    watcher = WeightWatcher(model={"conv.weight": k64})
    params = weightwatcher.constants.DEFAULT_PARAMS.copy()
    params[weightwatcher.constants.CONV2D_NORM] = False
    ww_esd = np.sort(watcher.get_ESD(layer=1, params=params))
    record = {"case": name, "kind": "conv", "file": name + ".npy", "shape": [out, inn, kh, kw]}
    record["ww"] = ww_analyze(k64)
    record["ww"]["eigenvalues"] = ww_esd.tolist()
    fit = pl_fit(pooled, WW_FLOOR)
    record["ref"] = {"eigenvalues": pooled.tolist(), "pl_ww_floor": fit,
                     "metrics": metrics(pooled, out, inn, fit["alpha"])}
    return record


def case_for_spectrum(name, values):
    ev = np.array(values, dtype=np.float64)
    alpha, _, xmin, xmax, d, sigma, num_pl_spikes, *_ = WeightWatcher().fit_powerlaw(ev, plot=False)
    record = {"case": name, "kind": "spectrum", "eigenvalues": ev.tolist()}
    record["ww"] = dict(alpha=float(alpha), xmin=float(xmin), xmax=float(xmax), D=float(d), sigma=float(sigma),
                        num_pl_spikes=int(num_pl_spikes))
    record["ref"] = {"pl_ww_floor": pl_fit(ev, WW_FLOOR), "pl": pl_fit(ev, 0.0)}
    return record


def load_seed_bema(path):
    spec = importlib.util.spec_from_file_location("seed_bema", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    seed_bema = load_seed_bema(sys.argv[1])
    with open("expected.jsonl", "w") as out:
        header = {"case": "versions", "kind": "versions", "weightwatcher": weightwatcher.__version__,
                  "numpy": np.__version__, "mpmath": mp.__version__}
        out.write(json.dumps(header) + "\n")
        for name, w in matrices.items():
            out.write(json.dumps(case_for_matrix(name, w)) + "\n")
        out.write(json.dumps(case_for_conv("conv_12x8x3x3", conv)) + "\n")
        for name, values in spectra.items():
            out.write(json.dumps(case_for_spectrum(name, values)) + "\n")
