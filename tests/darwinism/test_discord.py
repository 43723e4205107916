"""(d) optimised one-way discord: Bell-diagonal closed form, X states vs a brute-force grid."""

from __future__ import annotations

from qdarwin.darwinism._optimize import _conditional_cost, measured_state
from qdarwin.darwinism._state import prepare

import math

import numpy as np
import pytest

from qdarwin.darwinism import partial_information

PAULI = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]])]


def bell_diagonal(c: tuple[float, float, float]) -> np.ndarray:
    return 0.25 * (np.eye(4) + sum(cj * np.kron(s, s) for cj, s in zip(c, PAULI)))


def luo_discord(c: tuple[float, float, float]) -> tuple[float, float]:
    """(I, discord) of a Bell-diagonal state in bits: S. Luo, Phys. Rev. A 77, 042303 (2008)."""
    c1, c2, c3 = c
    lam = np.array([1 - c1 - c2 - c3, 1 - c1 + c2 + c3, 1 + c1 - c2 + c3, 1 + c1 + c2 - c3]) / 4
    mi = 2 + sum(x * math.log2(x) for x in lam if x > 0)
    cm = max(abs(c1), abs(c2), abs(c3))
    classical = sum(0.5 * (1 + s * cm) * math.log2(1 + s * cm) for s in (1, -1) if 1 + s * cm > 0)
    return mi, mi - classical


def grid_j(rho: np.ndarray, n_theta: int = 91, n_phi: int = 72) -> float:
    """max over a (theta, phi) grid of J = S(B) - sum_k q_k S(B|k), measurement on qubit A."""
    r = rho.reshape(2, 2, 2, 2)
    rho_b = np.einsum("iaib->ab", r)

    def ent(m):
        lam = np.linalg.eigvalsh(m)
        lam = lam[lam > 1e-15]
        return float(-(lam * np.log2(lam)).sum())

    best = -1.0
    for th in np.linspace(0, math.pi, n_theta):
        for ph in np.linspace(0, 2 * math.pi, n_phi, endpoint=False):
            u = np.array([[math.cos(th / 2), math.sin(th / 2)],
                          [np.exp(1j * ph) * math.sin(th / 2), -np.exp(1j * ph) * math.cos(th / 2)]])
            cond = 0.0
            for k in range(2):
                sig = np.einsum("i,iajb,j->ab", u[:, k].conj(), r, u[:, k])
                q = np.trace(sig).real
                if q > 1e-15:
                    cond += q * ent(sig / q)
            best = max(best, ent(rho_b) - cond)
    return best


class TestBellDiagonal:
    @pytest.mark.parametrize("c", [(0.3, -0.5, 0.2), (-0.9, 0.1, 0.05), (0.4, 0.4, -0.6), (0.0, 0.0, 0.7), (0.2, -0.5, 0.3)])
    def test_luo_closed_form(self, c):
        r = partial_information(bell_diagonal(c), [2, 2], optimize=True)
        mi, disc = luo_discord(c)
        assert r.I[1] == pytest.approx(mi, abs=1e-10)
        assert r.one_way_discord[1] == pytest.approx(disc, abs=1e-9)
        assert r.J[1] >= r.chi[1] - 1e-12  # optimum never below the pointer measurement


class TestXStates:
    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_brute_force_grid(self, seed):
        rng = np.random.default_rng(seed)
        a, b, c, d = rng.dirichlet(np.ones(4))
        z = math.sqrt(a * d) * rng.uniform(0, 1) * np.exp(1j * rng.uniform(0, 2 * math.pi))
        y = math.sqrt(b * c) * rng.uniform(0, 1) * np.exp(1j * rng.uniform(0, 2 * math.pi))
        rho = np.array([[a, 0, 0, z], [0, b, y, 0], [0, np.conj(y), c, 0], [np.conj(z), 0, 0, d]])
        r = partial_information(rho, [2, 2], optimize=True)
        j_grid = grid_j(rho)
        assert r.J[1] >= j_grid - 1e-12  # the optimiser is never beaten by the grid
        assert r.J[1] - j_grid < 1e-3  # and the grid (2 and 5 degrees) comes close to it
        assert 0 <= r.one_way_discord[1] <= r.discord[1] + 1e-12


class TestQuditSystem:
    def test_qutrit_optimum_beats_random_measurements(self, rng):
        v = rng.normal(size=12) + 1j * rng.normal(size=12)
        a = np.outer(v, v.conj()) + 0.3 * np.eye(12) / 12
        rho = a / np.trace(a).real  # qutrit system, one qubit + ... environment
        r = partial_information(rho, [3, 2, 2], optimize=True, rng=np.random.default_rng(0))
        # chi uses the pointer basis (identity in the pointer frame): J - chi = cost(pointer) - min cost

        prep = prepare(rho, [3, 2, 2], 0, None, 2.0)
        r_sa = measured_state(prep, (0, 1))
        best_random = math.inf
        for _ in range(200):
            q, _ = np.linalg.qr(rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3)))
            best_random = min(best_random, _conditional_cost(r_sa, q, 2.0))
        j_random = r.chi[2] + _conditional_cost(r_sa, np.eye(3), 2.0) - best_random
        assert r.J[2] >= j_random - 1e-9
        assert r.J[2] >= r.chi[2] - 1e-12 and r.J[2] <= r.I[2] + 1e-12
