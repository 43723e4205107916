"""Benchmark: the Fig. 1 workload of the thermal pillar, qdarwin against peers (issue 4).

Workload (spec §11 Fig. 1): presets ``encoding`` and ``redundant`` on the default ring, times
t = 0 plus 39 log-spaced values in [0.1, 50], I(S:F_m) for all m (m < N/2 computed, the rest
from I(N - m) = 2 S(S) - I(m) and I(N/2) = S(S) -- the same identities for every tool).

Tools, each run in its own subprocess (clean peak memory, ``ru_maxrss``):

* ``quspin_sector``: QuSpin evolution inside its translation + parity block (kblock=0,
  pblock=1), full grid, projected back to 2^N at each time -- the strongest evolution peer.
* ``qdarwin``: ``iter_mi_curves`` (dihedral sector evolution + Gram-route I(S:F)), the full
  workload at every N.
* Peer evolution of the 2**N state vectors with the same CSR Hamiltonian:
  ``scipy`` (``scipy.sparse.linalg.expm_multiply``), ``quspin`` (``expm_multiply_parallel``),
  ``qutip`` (``sesolve``, default tolerances). Timed on the same time grid up to t_p (the last
  grid time <= ``--peer-tmax``), plus one extra step of length t_p that gives the cost per unit
  time; the rest of the grid (t_p .. 50) is estimated as rate x (50 - t_p), without per-step
  overheads -- a lower bound for the peers (the cost of these Taylor/Krylov propagators grows
  linearly with t).
* Peer I(S:F): ``quimb`` (``mutinf_subsys`` on the (1 + N)-qubit global state, exact:
  ``approx_thresh=None``) and ``qutip`` (``ptrace`` + ``entropy_vn``), timed on
  ``--peer-points`` time points and extrapolated to 40 points.

The best peer pipeline is the fastest peer evolution plus the fastest peer I(S:F), for both
presets. Run ``python benchmarks/bench_thermal.py`` (``--sizes 14 16`` for a short run). Prints
machine and thread information, a table of seconds, ratios and peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from typing import Any

import numpy as np

PRESETS = ("encoding", "redundant")
T_MAX = 50.0


def fig1_times() -> list[float]:
    return [0.0] + np.geomspace(0.1, T_MAX, 39).tolist()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _initial(n: int, name: str) -> tuple[Any, Any, np.ndarray]:
    from qdarwin.thermal import ChaoticIsing, preset

    env, setup = ChaoticIsing(n), preset(name)
    return env, setup, setup.initial_branches(n)


# ----------------------------------------------------------------------------- workers
def work_qdarwin(n: int, args: argparse.Namespace) -> dict[str, Any]:
    from qdarwin.thermal.information import iter_mi_curves

    times = fig1_times()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    check: dict[str, list[float]] = {}
    for name in PRESETS:
        env, setup, _ = _initial(n, name)
        for t, curve in iter_mi_curves(env, setup, times, threads=args.threads):
            check[f"{name}@{t:.6g}"] = curve[1:4].tolist()
    return {"wall": time.perf_counter() - wall0, "cpu": time.process_time() - cpu0, "check": check}


def _peer_grid(args: argparse.Namespace) -> list[float]:
    return [t for t in fig1_times() if t <= args.peer_tmax + 1e-12]


def _evolver(tool: str, h: Any) -> Any:
    """A function (branches (d, 2^N), dt) -> branches evolved by dt with the peer tool."""
    if tool == "scipy":
        from scipy.sparse.linalg import expm_multiply

        return lambda v, dt: expm_multiply(-1j * dt * h, v.T).T
    if tool == "quspin":
        from quspin.tools.evolution import expm_multiply_parallel

        op = expm_multiply_parallel(h, a=-1j)

        def step(v: np.ndarray, dt: float) -> np.ndarray:
            op.set_a(-1j * dt)
            work = np.zeros(2 * v.shape[1], dtype=np.complex128)
            return np.stack([op.dot(np.array(x), work_array=work, overwrite_v=True) for x in v])

        return step
    if tool == "qutip":
        import qutip

        hq = qutip.Qobj(h)

        def step_q(v: np.ndarray, dt: float) -> np.ndarray:
            rows = [qutip.sesolve(hq, qutip.Qobj(x.reshape(-1, 1)), [0.0, dt]).states[-1].full().ravel() for x in v]
            return np.stack(rows)

        return step_q
    raise ValueError(tool)


def work_evolve(n: int, args: argparse.Namespace, tool: str) -> dict[str, Any]:
    """Peer evolution on the Fig. 1 grid up to t_p, plus one extra step of length t_p.

    Estimate for the full grid: measured(grid up to t_p) + rate * (50 - t_p), with the rate per
    unit time from the extra step. The per-step overhead of the remaining grid steps is not
    counted, so the estimate is a lower bound on the peer's cost.
    """
    grid = _peer_grid(args)
    t_p = grid[-1]
    measured = extra = cpu_measured = cpu_extra = 0.0
    finals: dict[str, np.ndarray] = {}
    for name in PRESETS:
        env, _, psi0 = _initial(n, name)
        h = env.to_sparse().tocsr().astype(np.complex128)
        step = _evolver(tool, h)
        v = psi0.copy()
        wall0, cpu0 = time.perf_counter(), time.process_time()
        for t0, t1 in zip(grid[:-1], grid[1:]):
            v = step(v, t1 - t0)
        measured += time.perf_counter() - wall0
        cpu_measured += time.process_time() - cpu0
        finals[name] = v
        wall0, cpu0 = time.perf_counter(), time.process_time()
        step(v, t_p)
        extra += time.perf_counter() - wall0
        cpu_extra += time.process_time() - cpu0
    rest = (T_MAX - t_p) / t_p
    from qdarwin.thermal.information import mi_curve

    check = {f"{k}@{t_p:.6g}": mi_curve(v / np.linalg.norm(v, axis=1, keepdims=True), [0.5, 0.5])[1:4].tolist() for k, v in finals.items()}
    return {"wall": measured + extra * rest, "cpu": cpu_measured + cpu_extra * rest, "measured_wall": measured + extra, "t_reached": t_p, "check": check}


def work_quspin_sector(n: int, args: argparse.Namespace) -> dict[str, Any]:
    """QuSpin in its translation + parity block (kblock=0, pblock=1): the strongest evolution peer.

    Full Fig. 1 grid (no extrapolation): basis and Hamiltonian construction, projection of the
    initial branches, ``expm_multiply_parallel`` between successive times, and projection back
    to the 2^N space at every time (the I(S:F) peers need full vectors).
    """
    from quspin.basis import spin_basis_1d
    from quspin.operators import hamiltonian
    from quspin.tools.evolution import expm_multiply_parallel

    grid = fig1_times()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    check: dict[str, list[float]] = {}
    from qdarwin.thermal.information import mi_curve

    for name in PRESETS:
        env, setup, psi0 = _initial(n, name)
        basis = spin_basis_1d(n, kblock=0, pblock=1, pauli=1)
        static = [["zz", [[env.J, j, (j + 1) % n] for j in range(n)]], ["x", [[env.hx, j] for j in range(n)]],
                  ["z", [[env.hz, j] for j in range(n)]]]
        h = hamiltonian(static, [], basis=basis, dtype=np.float64, check_symm=False, check_herm=False, check_pcon=False).tocsr()
        proj = basis.get_proj(np.complex128)
        coeffs = [np.asarray(proj.conj().T @ v).ravel() for v in psi0]
        op = expm_multiply_parallel(h.astype(np.complex128), a=-1j)
        work = np.zeros(2 * h.shape[0], dtype=np.complex128)
        for t0, t1 in zip([0.0] + grid[:-1], grid):
            if t1 > t0:
                op.set_a(-1j * (t1 - t0))
                coeffs = [op.dot(c, work_array=work, overwrite_v=True) for c in coeffs]
            full = np.stack([np.asarray(proj @ c).ravel() for c in coeffs])
        t_end = time.perf_counter(), time.process_time()
        check[f"{name}@{grid[-1]:.6g}"] = mi_curve(full, setup.probs)[1:4].tolist()
        wall0 += time.perf_counter() - t_end[0]
        cpu0 += time.process_time() - t_end[1]
    return {"wall": time.perf_counter() - wall0, "cpu": time.process_time() - cpu0, "check": check}


def work_mi(n: int, args: argparse.Namespace, tool: str) -> dict[str, Any]:
    from qdarwin.thermal.evolution import iter_branch_states

    grid = fig1_times()
    pick = [grid[i] for i in np.linspace(5, len(grid) - 1, args.peer_points).round().astype(int)]
    wall = cpu = 0.0
    count = 0
    check: dict[str, list[float]] = {}
    dims = [2] * (n + 1)
    ms = [m for m in range(1, n) if 2 * m < n]
    for name in PRESETS:
        env, setup, _ = _initial(n, name)
        for t, psi in iter_branch_states(env, setup, pick):
            big = (np.sqrt(setup.probs)[:, None] * psi).ravel()
            wall0, cpu0 = time.perf_counter(), time.process_time()
            if tool == "quimb":
                import quimb

                vals = [quimb.mutinf_subsys(big.reshape(-1, 1), dims, 0, list(range(1, m + 1)), approx_thresh=None) for m in ms]
            elif tool == "qutip":
                import qutip

                q = qutip.Qobj(big.reshape(-1, 1), dims=[dims, [1] * (n + 1)])
                vals = []
                for m in ms:
                    s = qutip.entropy_vn(q.ptrace([0]), base=2)
                    f = qutip.entropy_vn(q.ptrace(list(range(1, m + 1))), base=2)
                    sf = qutip.entropy_vn(q.ptrace(list(range(0, m + 1))), base=2)
                    vals.append(s + f - sf)
            else:
                raise ValueError(tool)
            wall += time.perf_counter() - wall0
            cpu += time.process_time() - cpu0
            count += 1
            check[f"{name}@{t:.6g}"] = list(vals[:3])
    per = 2 * len(grid) / count
    return {"wall": wall * per, "cpu": cpu * per, "points": count, "check": check}


def worker(tool: str, n: int, args: argparse.Namespace) -> None:
    from qdarwin._threads import set_blas_threads

    set_blas_threads(args.threads)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=args.threads):
        if tool == "qdarwin":
            res = work_qdarwin(n, args)
        elif tool == "evolve-quspin_sector":
            res = work_quspin_sector(n, args)
        elif tool.startswith("evolve-"):
            res = work_evolve(n, args, tool.split("-", 1)[1])
        else:
            res = work_mi(n, args, tool.split("-", 1)[1])
    res["peak_mb"] = _peak_mb()
    print("RESULT " + json.dumps(res))


# ----------------------------------------------------------------------------- driver
def run_worker(tool: str, n: int, args: argparse.Namespace) -> dict[str, Any] | None:
    cmd = [sys.executable, __file__, "--worker", tool, "--n", str(n), "--threads", str(args.threads),
           "--peer-tmax", str(args.peer_tmax), "--peer-points", str(args.peer_points)]
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), OPENBLAS_NUM_THREADS=str(args.threads))
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout, env=env)
    except subprocess.TimeoutExpired:
        return None
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    sys.stderr.write(f"{tool} N={n} failed:\n{proc.stderr[-2000:]}\n")
    return None


def machine_info(args: argparse.Namespace) -> list[str]:
    import numpy
    import scipy

    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return [
        f"machine: {platform.machine()} {platform.processor() or ''} cores={os.cpu_count()} load={load[0]:.1f}",
        f"python {platform.python_version()} numpy {numpy.__version__} scipy {scipy.__version__}",
        f"BLAS threads per tool: {args.threads} (threadpoolctl + OMP/OPENBLAS_NUM_THREADS)",
        f"peers: evolution on the Fig. 1 grid up to t_p <= {args.peer_tmax:g} + rate x (50 - t_p) from one extra step of length t_p (lower bound); "
        f"I(S:F) on {args.peer_points} points per preset extrapolated to 40",
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[14, 16, 18, 20])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--peer-tmax", type=float, default=1.0, help="Peer evolution horizon t_p (extrapolated to 50).")
    ap.add_argument("--peer-points", type=int, default=2, help="Peer I(S:F) points per preset (extrapolated to 40).")
    ap.add_argument("--qutip-max-n", type=int, default=16, help="Largest N for the (slow) QuTiP peers.")
    ap.add_argument("--timeout", type=float, default=900.0)
    ap.add_argument("--tools", nargs="+", help="Run only these tools (e.g. qdarwin mi-quimb).")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.n, args)
        return
    for line in machine_info(args):
        print("# " + line)
    header = f"{'N':>3} {'tool':<20} {'wall s':>9} {'cpu s':>9} {'peak MB':>8}  note"
    print(header)
    print("-" * len(header))
    summary = []
    for n in args.sizes:
        res: dict[str, dict[str, Any] | None] = {}
        tools = ["qdarwin", "evolve-quspin_sector", "evolve-scipy", "evolve-quspin", "mi-quimb"]
        if n <= args.qutip_max_n:
            tools += ["evolve-qutip", "mi-qutip"]
        if args.tools:
            tools = [t for t in tools if t in args.tools]
        for tool in tools:
            r = run_worker(tool, n, args)
            res[tool] = r
            if r is None:
                print(f"{n:>3} {tool:<20} {'timeout/failed':>19}")
                continue
            note = "full workload" if tool in ("qdarwin", "evolve-quspin_sector") else "extrapolated"
            print(f"{n:>3} {tool:<20} {r['wall']:9.2f} {r['cpu']:9.2f} {r['peak_mb']:8.0f}  {note}", flush=True)
        q = res.get("qdarwin")
        evo = [r for k, r in res.items() if k.startswith("evolve-") and r]
        mi = [r for k, r in res.items() if k.startswith("mi-") and r]
        if q and evo and mi:
            best_evo = min(evo, key=lambda r: r["cpu"])
            best_mi = min(mi, key=lambda r: r["cpu"])
            peer_cpu = best_evo["cpu"] + best_mi["cpu"]
            peer_wall = best_evo["wall"] + best_mi["wall"]
            summary.append((n, q["wall"], q["cpu"], peer_wall, peer_cpu, peer_cpu / q["cpu"], q["peak_mb"]))
            # consistency: I(m=1..3) at the peers' last evolution time
            for key, vals in best_evo["check"].items():
                if key in q["check"]:
                    err = float(np.max(np.abs(np.subtract(vals, q["check"][key]))))
                    print(f"    check {key}: max |I_qdarwin - I_peer| (m=1..3) = {err:.1e}")
    print()
    print(f"{'N':>3} {'qdarwin wall':>13} {'qdarwin cpu':>12} {'best peer wall':>15} {'best peer cpu':>14} {'ratio (cpu)':>12} {'qdarwin peak MB':>16}")
    for n, qw, qc, pw, pc, ratio, mb in summary:
        print(f"{n:>3} {qw:13.2f} {qc:12.2f} {pw:15.2f} {pc:14.2f} {ratio:12.1f} {mb:16.0f}")


if __name__ == "__main__":
    main()
