"""Benchmark: 1+7 qubit product-Pauli tomography + partial-information analysis with bootstrap.

qdarwin: :func:`qdarwin.tomography.analyze` (PLS reconstruction by Walsh-Hadamard / per-qubit
Pauli transforms, curves, R_delta and objectivity witnesses via qdarwin.darwinism) with
``--replicas`` parametric bootstrap replicas (default 1000).

Peer, in the same run: what a user would write with QuTiP and NumPy -- Pauli expectation values
from the setting that replaces identities by Z, ``rho = 2^-n sum_P <P> P`` built from
``qutip.tensor`` Pauli strings, projection of the eigenvalues onto the simplex (the same PLS
estimator), then I(S:F) and chi over all 2^7 fragments with ``Qobj.ptrace`` and
``qutip.entropy_vn``, and a bootstrap loop around all of it. The peer is timed on
``--peer-replicas`` replicas (default 2) plus its point estimate, and its per-replica time is
multiplied by the replica count; the ratio compares time per replica and total time.

Usage::

    python benchmarks/bench_tomography.py [--replicas 1000] [--peer-replicas 2]
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import time
from functools import reduce

import numpy as np
import qutip

import qdarwin
from qdarwin.tomography import all_settings, analyze, branching_state, synthetic_counts

N_ENV, SHOTS = 7, 1000


def naive_reconstruct(settings: tuple[str, ...], counts: np.ndarray, n: int) -> qutip.Qobj:
    """Linear inversion from the 'identity -> Z' setting of each Pauli string, then PLS."""
    paulis = {"I": qutip.qeye(2), "X": qutip.sigmax(), "Y": qutip.sigmay(), "Z": qutip.sigmaz()}
    index = {s: i for i, s in enumerate(settings)}
    bits = np.array([[(b >> (n - 1 - a)) & 1 for a in range(n)] for b in range(2**n)])
    rho = 0 * qutip.tensor([qutip.qeye(2)] * n)
    for label in itertools.product("IXYZ", repeat=n):
        s = "".join("Z" if c == "I" else c for c in label)
        row = counts[index[s]]
        support = np.array([c != "I" for c in label])
        parity = (-1.0) ** (bits[:, support].sum(axis=1))
        expval = float(np.dot(row, parity) / row.sum())
        rho += expval * qutip.tensor([paulis[c] for c in label])
    mu = rho.full() / 2**n
    lam, vec = np.linalg.eigh(mu)
    u = np.sort(lam)[::-1]
    css = np.cumsum(u)
    k = np.nonzero(u - (css - 1) / np.arange(1, len(u) + 1) > 0)[0][-1]
    lam = np.clip(lam - (css[k] - 1) / (k + 1), 0, None)
    return qutip.Qobj((vec * lam) @ vec.conj().T, dims=[[2] * n, [2] * n])


def naive_curves(rho: qutip.Qobj, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Fragment-averaged I(S:F) and chi(Z_S:F) with ptrace and entropy_vn (bits)."""
    env = list(range(1, n))
    s_s = qutip.entropy_vn(rho.ptrace([0]), base=2)
    proj = [qutip.tensor(qutip.ket2dm(qutip.basis(2, i)), *[qutip.qeye(2)] * (n - 1)) for i in range(2)]
    I, chi = np.zeros(n), np.zeros(n)
    for m in range(1, n):
        vi, vc = [], []
        for frag in itertools.combinations(env, m):
            sf = rho.ptrace([0, *frag])
            f = rho.ptrace(list(frag))
            vi.append(s_s + qutip.entropy_vn(f, base=2) - qutip.entropy_vn(sf, base=2))
            cond = 0.0
            for p_i in proj:
                block = (p_i * rho * p_i).ptrace(list(frag))
                w = block.tr()
                if w > 1e-12:
                    cond += w * qutip.entropy_vn(block / w, base=2)
            vc.append(qutip.entropy_vn(f, base=2) - cond)
        I[m], chi[m] = np.mean(vi), np.mean(vc)
    return I, chi


def naive_pipeline(settings: tuple[str, ...], counts: np.ndarray, n: int, replicas: int, rng: np.random.Generator) -> float:
    t0 = time.perf_counter()
    rho = naive_reconstruct(settings, counts, n)
    naive_curves(rho, n)
    shots = counts.sum(axis=1)
    for _ in range(replicas):
        probs = np.array([np.real(np.diag(_rot(s) @ rho.full() @ _rot(s).conj().T)) for s in settings])
        star = rng.multinomial(shots, np.clip(probs, 0, None) / np.clip(probs, 0, None).sum(axis=1, keepdims=True))
        naive_curves(naive_reconstruct(settings, star, n), n)
    return time.perf_counter() - t0


def _rot(s: str) -> np.ndarray:
    b = {"X": np.array([[1, 1], [1, -1]]) / np.sqrt(2), "Y": np.array([[1, -1j], [1, 1j]]) / np.sqrt(2), "Z": np.eye(2)}
    return reduce(np.kron, [b[c] for c in s])


def main() -> None:
    ap = argparse.ArgumentParser(description="1+7 qubit tomography + analysis with bootstrap: qdarwin vs QuTiP/NumPy")
    ap.add_argument("--replicas", type=int, default=1000)
    ap.add_argument("--peer-replicas", type=int, default=2)
    args = ap.parse_args()
    n = N_ENV + 1
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cpus; "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}, qdarwin {qdarwin.__version__}, qutip {qutip.__version__}, "
          f"numpy {np.__version__}")
    psi = branching_state(N_ENV, theta=1.3)
    settings = all_settings(n)
    data = synthetic_counts(psi, settings, SHOTS, rng=np.random.default_rng(1), depolarizing=0.02)
    print(f"data: 1+{N_ENV} qubits, {len(settings)} settings x {SHOTS} shots")

    t0 = time.perf_counter()
    point = analyze(data, method="pls")
    t_point = time.perf_counter() - t0
    t0 = time.perf_counter()
    full = analyze(data, method="pls", n_bootstrap=args.replicas, rng=np.random.default_rng(2))
    t_ours = time.perf_counter() - t0
    print(f"qdarwin: point estimate (reconstruction + curves + R_delta + witnesses) {t_point:.2f} s; "
          f"with {args.replicas} replicas {t_ours:.1f} s ({t_ours / max(args.replicas, 1):.3f} s/replica)")
    print(f"  I(m) = {np.round(point.I, 3).tolist()}, R_delta = {full.R_delta} [{full.R_delta_low}, {full.R_delta_high}]")

    t_peer = naive_pipeline(settings, data.counts, n, args.peer_replicas, np.random.default_rng(3))
    per = t_peer / (args.peer_replicas + 1)
    est = per * (args.replicas + 1)
    print(f"QuTiP/NumPy loop: {t_peer:.1f} s for point estimate + {args.peer_replicas} replicas ({per:.1f} s each); "
          f"extrapolated to {args.replicas} replicas: {est:.0f} s")
    print(f"ratio (QuTiP/NumPy / qdarwin), time per replica: {per / (t_ours / max(args.replicas, 1)):.0f}x; "
          f"total for {args.replicas} replicas: {est / t_ours:.0f}x")


if __name__ == "__main__":
    main()
