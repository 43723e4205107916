"""Benchmark: symmetric-sector evolution of the thermal pillar vs QuSpin (spec §14).

Workload (spec §14 "evolution" column): both `redundant` branches of the default chaotic
Ising ring, 40 times in [0, 40]. qdarwin: ``iter_branch_states(method="sector")`` (sector
construction included). Peer: QuSpin in the same symmetry block (kblock=0, pblock=1, the
dihedral-symmetric sector), `expm_multiply_parallel` stepping between the times (basis and
Hamiltonian construction included). Agreement is checked on the basis-independent
Loschmidt amplitudes <psi_k(0)|psi_k(t)>.

Run: ``python benchmarks/bench_thermal_evolution.py [N ...]`` (default 14 16 18). Prints a
table of wall and CPU seconds and the ratio peer/qdarwin. One thread everywhere.
"""

from __future__ import annotations

import os
import platform
import sys
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from qdarwin.thermal import ChaoticIsing, iter_branch_states, redundant
from qdarwin.thermal.sector import dihedral_sector

TIMES = np.linspace(0.0, 40.0, 40)


def run_qdarwin(n: int) -> tuple[float, float, np.ndarray]:
    dihedral_sector.cache_clear()
    w0, c0 = time.perf_counter(), time.process_time()
    env, setup = ChaoticIsing(n), redundant()
    psi0 = None
    amps = []
    for _, b in iter_branch_states(env, setup, TIMES, method="sector"):
        if psi0 is None:
            psi0 = b.copy()
        amps.append(np.einsum("ki,ki->k", psi0.conj(), b))
    return time.perf_counter() - w0, time.process_time() - c0, np.array(amps)


def run_quspin(n: int) -> tuple[float, float, np.ndarray]:
    from quspin.basis import spin_basis_1d
    from quspin.operators import hamiltonian
    from quspin.tools.evolution import expm_multiply_parallel

    env = ChaoticIsing(n)
    bits = np.arange(2**n)
    parity = np.zeros(2**n, dtype=np.int64)
    for j in range(n):
        parity ^= (bits >> j) & 1
    signs = (1 - 2 * parity).astype(np.complex128)
    full = np.ones(2**n, dtype=np.complex128) / 2 ** (n / 2)  # |+x>^N
    w0, c0 = time.perf_counter(), time.process_time()
    basis = spin_basis_1d(n, kblock=0, pblock=1, pauli=1)
    static = [
        ["zz", [[env.J, i, (i + 1) % n] for i in range(n)]],
        ["x", [[env.hx, i] for i in range(n)]],
        ["z", [[env.hz, i] for i in range(n)]],
    ]
    ham = hamiltonian(static, [], basis=basis, dtype=np.float64, check_symm=False, check_herm=False,
                      check_pcon=False).tocsr()
    # initial states in the block (not timed: QuSpin's projector is a set-up convenience)
    w_prep, c_prep = time.perf_counter(), time.process_time()
    proj = basis.get_proj(np.complex128)  # (2^N, Ns): symmetric basis -> full space
    branches = [proj.conj().T @ full, proj.conj().T @ (full * signs)]  # |+x>^N, |-x>^N
    branches = [v / np.linalg.norm(v) for v in branches]
    w0 += time.perf_counter() - w_prep
    c0 += time.process_time() - c_prep
    u = expm_multiply_parallel(ham, a=-1j * 1.0)
    amps = np.empty((TIMES.size, 2), dtype=np.complex128)
    for k, v0 in enumerate(branches):
        v, t_now = v0.copy(), 0.0
        for i, t in enumerate(TIMES):
            if t > t_now:
                u.set_a(-1j * (t - t_now))
                v = u.dot(v)
                t_now = t
            amps[i, k] = np.vdot(v0, v)
    return time.perf_counter() - w0, time.process_time() - c0, amps


def main(sizes: list[int]) -> None:
    print(f"machine: {platform.machine()} {platform.processor() or ''}, {os.cpu_count()} cores, "
          f"python {platform.python_version()}, numpy {np.__version__}")
    print("threads (all pools limited to 1):",
          sorted({(i.get("internal_api"), i.get("num_threads")) for i in threadpool_info()}))
    print(f"{'N':>3} {'dim':>7} {'qdarwin wall':>13} {'cpu':>7} {'QuSpin wall':>12} {'cpu':>7} "
          f"{'ratio wall':>10} {'ratio cpu':>9} {'max |d amp|':>11}")
    for n in sizes:
        qw, qc, qa = run_qdarwin(n)
        pw, pc, pa = run_quspin(n)
        err = float(np.max(np.abs(qa - pa)))
        print(f"{n:>3} {dihedral_sector(n).dim:>7} {qw:>13.2f} {qc:>7.2f} {pw:>12.2f} {pc:>7.2f} "
              f"{pw / qw:>10.2f} {pc / qc:>9.2f} {err:>11.1e}", flush=True)


if __name__ == "__main__":
    from quspin.basis import spin_basis_1d  # load QuSpin (and its OpenMP runtime) before limiting

    spin_basis_1d(4)
    with threadpool_limits(limits=1):
        main([int(x) for x in sys.argv[1:]] or [14, 16, 18])
