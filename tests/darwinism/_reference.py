"""Independent reference: QuTiP brute force (ptrace + entropy_vn) over every fragment."""

from __future__ import annotations

import itertools
from typing import Sequence

import numpy as np
import qutip as qt


def random_ket(dims: Sequence[int], rng: np.random.Generator) -> qt.Qobj:
    d = int(np.prod(dims))
    v = rng.normal(size=d) + 1j * rng.normal(size=d)
    return qt.Qobj(v / np.linalg.norm(v), dims=[list(dims), [1] * len(dims)])


def random_dm(dims: Sequence[int], rank: int, rng: np.random.Generator) -> qt.Qobj:
    d = int(np.prod(dims))
    a = rng.normal(size=(d, rank)) + 1j * rng.normal(size=(d, rank))
    rho = a @ a.conj().T
    return qt.Qobj(rho / np.trace(rho).real, dims=[list(dims), list(dims)])


def brute_curves(state: qt.Qobj, system: Sequence[int], pointer: np.ndarray | None = None):
    """Fragment means of I, chi (pointer measurement on S) for m = 0..N with QuTiP only."""
    rho = state * state.dag() if state.isket else state
    dims = rho.dims[0]
    sys = list(system)
    env = [i for i in range(len(dims)) if i not in sys]
    rho_s = rho.ptrace(sorted(sys)).permute([sorted(sys).index(i) for i in sys])  # factors in the order of `system`
    h_s = qt.entropy_vn(rho_s, 2)
    if pointer is None:
        _, vecs = np.linalg.eigh(rho_s.full())
        pointer = vecs[:, ::-1]
    d_s = int(np.prod([dims[i] for i in sys]))
    n = len(env)
    mean_i, mean_chi = np.zeros(n + 1), np.zeros(n + 1)
    for m in range(1, n + 1):
        vals_i, vals_chi = [], []
        for frag in itertools.combinations(env, m):
            keep = sorted(sys + list(frag))
            rho_sf = rho.ptrace(keep)
            rho_f = rho.ptrace(list(frag))
            vals_i.append(h_s + qt.entropy_vn(rho_f, 2) - qt.entropy_vn(rho_sf, 2))
            # pointer projector on the system factors inside rho_sf (system listed in sorted order)
            sys_pos = [keep.index(i) for i in sys]
            frag_pos = [keep.index(i) for i in frag]
            perm = sys_pos + frag_pos
            rho_perm = rho_sf.permute(perm)
            d_f = int(np.prod([dims[i] for i in frag]))
            arr = rho_perm.full().reshape(d_s, d_f, d_s, d_f)
            cond = 0.0
            for k in range(d_s):
                sub = np.einsum("i,iajb,j->ab", pointer[:, k].conj(), arr, pointer[:, k])
                pk = np.trace(sub).real
                if pk > 1e-15:
                    cond += pk * qt.entropy_vn(qt.Qobj(sub / pk), 2)
            vals_chi.append(qt.entropy_vn(rho_f, 2) - cond)
        mean_i[m], mean_chi[m] = np.mean(vals_i), np.mean(vals_chi)
    return mean_i, mean_chi, h_s
