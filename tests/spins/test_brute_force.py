"""Independent brute-force routes: full S + E state vectors / density matrices for N <= 8, and QuTiP.

The closed forms of qdarwin.spins are checked against states built qubit by qubit (product of
conditional unitaries, or exp(-iHt) of the spec §1.1 Hamiltonian), partial traces and entropies.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import qutip
from scipy.linalg import expm

from qdarwin.info import (
    chernoff_information,
    holevo_information,
    mutual_information,
    partial_trace,
    von_neumann_entropy,
)
from qdarwin.spins.averaging import fragment_average_information
from qdarwin.spins.chernoff import spin_chernoff, typical_chernoff, typical_chernoff_states
from qdarwin.spins.exact import info_pure_environment, information_curve
from qdarwin.spins.model import SpinEnvironment, conditional_unitary, decoherence_factors
from tests.systems import I2, SX, SZ, kron_all


def _random_env(
    rng: np.random.Generator,
    n: int,
    *,
    pure: bool = True,
    p: float = 0.35,
    c: complex | None = None,
) -> SpinEnvironment:
    return SpinEnvironment(
        a=1.0 if pure else rng.uniform(0.2, 1.0, n),
        theta=rng.uniform(0, math.pi, n),
        phi=rng.uniform(0, 2 * math.pi, n),
        g=rng.normal(size=n),
        omega=rng.normal(size=n) * 0.8,
        p=p,
        c=c,
    )


def _spin_ket(theta: float, phi: float) -> np.ndarray:
    return np.array([math.cos(theta / 2), np.exp(1j * phi) * math.sin(theta / 2)])


def _branch_kets(env: SpinEnvironment, t: float) -> tuple[np.ndarray, np.ndarray]:
    """|Psi_s> = prod_k U_{k,s} |psi_k> for s = up, down (pure environment)."""
    out = []
    for s in (1, -1):
        kets = [
            conditional_unitary(s, g, om, t) @ _spin_ket(th, ph)
            for th, ph, g, om in zip(env.theta, env.phi, env.g, env.omega)
        ]
        v = np.array([1.0 + 0j])
        for k in kets:
            v = np.kron(v, k)
        out.append(v)
    return out[0], out[1]


def _global_ket(env: SpinEnvironment, t: float) -> np.ndarray:
    up, down = _branch_kets(env, t)
    assert env.c is not None
    phase = env.c / abs(env.c) if abs(env.c) > 0 else 1.0
    return np.concatenate([math.sqrt(env.p) * up, math.sqrt(1 - env.p) * phase * down])


def _global_dm(env: SpinEnvironment, t: float) -> np.ndarray:
    """Full density matrix of S + E (mixed spins and/or mixed system) from conditional unitaries."""
    rho_e0 = kron_all(*env.spin_states())
    us = {
        s: kron_all(*[conditional_unitary(s, g, om, t) for g, om in zip(env.g, env.omega)])
        for s in (1, -1)
    }
    rs = env.system_state()
    blocks = [
        [rs[i, j] * us[si] @ rho_e0 @ us[sj].conj().T for j, sj in enumerate((1, -1))]
        for i, si in enumerate((1, -1))
    ]
    return np.block(blocks)


class TestDecoherenceFactorBruteForce:
    @pytest.mark.parametrize("n", [1, 3, 6])
    def test_branch_overlap(self, rng: np.random.Generator, n: int) -> None:
        env = _random_env(rng, n)
        up, down = _branch_kets(env, 0.83)
        assert np.vdot(down, up) == pytest.approx(
            np.prod(decoherence_factors(env, 0.83)), abs=1e-12
        )

    def test_hamiltonian_route(self, rng: np.random.Generator) -> None:
        n = 4
        env = _random_env(rng, n, c=0.4)
        sz = [kron_all(*[SZ if j == k else I2 for j in range(n + 1)]) for k in range(n + 1)]
        sx = [kron_all(*[SX if j == k else I2 for j in range(n + 1)]) for k in range(n + 1)]
        H = sum(env.g[k] * sz[0] @ sz[k + 1] + env.omega[k] * sx[k + 1] for k in range(n))
        psi0 = _global_ket(env, 0.0)
        t = 1.37
        assert np.allclose(expm(-1j * t * H) @ psi0, _global_ket(env, t), atol=1e-11)

    def test_mixed_spins_density_matrix(self, rng: np.random.Generator) -> None:
        env = _random_env(rng, 3, pure=False, p=0.4, c=0.3 - 0.2j)
        rho = _global_dm(env, 0.9)
        rho_s = partial_trace(rho, [0], [2] * 4)
        assert rho_s[0, 1] == pytest.approx(
            env.c * np.prod(decoherence_factors(env, 0.9)), abs=1e-13
        )


def _conditional_spin_states(rho: np.ndarray, n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    d = 2**n
    out = []
    for s in (0, 1):
        block = rho[s * d : (s + 1) * d, s * d : (s + 1) * d]
        block = block / np.trace(block)
        out.append(partial_trace(block, [k], [2] * n))
    return out[0], out[1]


class TestChernoffBruteForce:
    def test_per_spin_and_typical(self, rng: np.random.Generator) -> None:
        n = 3
        env = _random_env(rng, n, pure=False)
        t = 1.1
        rho = _global_dm(env, t)
        ups, downs = zip(*[_conditional_spin_states(rho, n, k) for k in range(n)])
        xi = spin_chernoff(env.a, env.theta, env.phi, env.g, env.omega, t)
        for k in range(n):
            assert xi[k] == pytest.approx(chernoff_information(ups[k], downs[k]).xi, abs=1e-9)
        assert typical_chernoff(env, t) == pytest.approx(
            typical_chernoff_states(np.array(ups), np.array(downs)).xi, abs=1e-9
        )


class TestInformationBruteForce:
    @pytest.mark.parametrize("n", [4, 8])
    def test_random_fragments_pure_system(self, rng: np.random.Generator, n: int) -> None:
        env = _random_env(rng, n, p=0.3)
        t = 0.7
        psi = _global_ket(env, t)
        up, down = _branch_kets(env, t)
        gabs = np.abs(decoherence_factors(env, t))
        dims = [2] * (n + 1)
        for _ in range(4):
            size = int(rng.integers(1, n + 1))
            frag = sorted(rng.choice(n, size=size, replace=False).tolist())
            info = info_pure_environment(env.p, env.c, gabs, frag)
            i_bf = mutual_information(psi, [0], [1 + k for k in frag], dims)
            chi_bf = holevo_information(
                [env.p, 1 - env.p],
                [partial_trace(up, frag, [2] * n), partial_trace(down, frag, [2] * n)],
            )
            assert info.I == pytest.approx(i_bf, abs=1e-10)
            assert info.chi == pytest.approx(chi_bf, abs=1e-10)
            assert info.discord == pytest.approx(i_bf - chi_bf, abs=1e-10)

    def test_mixed_system(self, rng: np.random.Generator) -> None:
        n = 5
        env = _random_env(rng, n, p=0.6, c=0.2 + 0.25j)
        rho = _global_dm(env, 1.2)
        gabs = np.abs(decoherence_factors(env, 1.2))
        for frag in ([0], [1, 3], [0, 2, 4], [0, 1, 2, 3, 4]):
            info = info_pure_environment(env.p, env.c, gabs, frag)
            assert info.I == pytest.approx(
                mutual_information(rho, [0], [1 + k for k in frag], [2] * (n + 1)), abs=1e-10
            )

    def test_nested_curve(self, rng: np.random.Generator) -> None:
        n = 6
        env = _random_env(rng, n)
        psi = _global_ket(env, 0.5)
        curve = information_curve(env.p, env.c, np.abs(decoherence_factors(env, 0.5)))
        for m in range(1, n + 1):
            assert curve.I[m] == pytest.approx(
                mutual_information(psi, [0], list(range(1, m + 1)), [2] * (n + 1)), abs=1e-10
            )

    def test_fragment_average(self, rng: np.random.Generator) -> None:
        n = 6
        env = _random_env(rng, n, p=0.45)
        psi = _global_ket(env, 0.9)
        avg = fragment_average_information(np.abs(decoherence_factors(env, 0.9)), env.p, env.c)
        for m in (1, 2, 4):
            vals = [
                mutual_information(psi, [0], [1 + k for k in f], [2] * (n + 1))
                for f in itertools.combinations(range(n), m)
            ]
            assert avg.I[m] == pytest.approx(np.mean(vals), abs=1e-10)


class TestQutipAgreement:
    def test_partial_trace_and_entropy(self, rng: np.random.Generator) -> None:
        n = 5
        env = _random_env(rng, n, p=0.3)
        psi = _global_ket(env, 0.6)
        q = qutip.Qobj(psi.reshape(-1, 1), dims=[[2] * (n + 1), [1] * (n + 1)])
        keep = [0, 2, 3]
        ours = partial_trace(psi, keep, [2] * (n + 1))
        theirs = q.ptrace(keep).full()
        assert np.allclose(ours, theirs, atol=1e-13)
        assert von_neumann_entropy(ours) == pytest.approx(
            qutip.entropy_vn(q.ptrace(keep), base=2), abs=1e-10
        )

    def test_mutual_information_from_qutip_entropies(self, rng: np.random.Generator) -> None:
        n = 5
        env = _random_env(rng, n, p=0.3)
        t = 0.6
        q = qutip.Qobj(_global_ket(env, t).reshape(-1, 1), dims=[[2] * (n + 1), [1] * (n + 1)])
        frag = [1, 4]
        s_s = qutip.entropy_vn(q.ptrace([0]), base=2)
        s_f = qutip.entropy_vn(q.ptrace([1 + k for k in frag]), base=2)
        s_sf = qutip.entropy_vn(q.ptrace([0] + [1 + k for k in frag]), base=2)
        info = info_pure_environment(env.p, env.c, np.abs(decoherence_factors(env, t)), frag)
        assert info.I == pytest.approx(s_s + s_f - s_sf, abs=1e-9)
