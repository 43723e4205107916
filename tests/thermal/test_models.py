"""Tests of qdarwin.thermal.models: Ising chain, SK environment, broadcasting set-ups."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import scipy.linalg as sla
from hypothesis import given
from hypothesis import strategies as st

from qdarwin.thermal.models import (
    HX_DEFAULT,
    HZ_DEFAULT,
    BroadcastSetup,
    ChaoticIsing,
    SKEnvironment,
    encoding,
    interpolating,
    partial_degeneracy,
    preset,
    product_branches,
    random_axis,
    redundant,
)
from tests.systems import I2, SX, SY, SZ, kron_all

PAULIS = (SX, SY, SZ)


def site_op(op: np.ndarray, j: int, n: int) -> np.ndarray:
    return kron_all(*[op if k == j else I2 for k in range(n)])


def ising_bruteforce(n: int, J: float, hx: float, hz: float, periodic: bool) -> np.ndarray:
    """Dense H_E from Kronecker products (independent of the bit tricks)."""
    h = np.zeros((2**n, 2**n), dtype=complex)
    bonds = [(j, j + 1) for j in range(n - 1)] + ([(n - 1, 0)] if periodic else [])
    for a, b in bonds:
        h += J * site_op(SZ, a, n) @ site_op(SZ, b, n)
    for j in range(n):
        h += hx * site_op(SX, j, n) + hz * site_op(SZ, j, n)
    return h


def sk_bruteforce(env: SKEnvironment) -> np.ndarray:
    n = env.n_sites
    h = np.zeros((2**n, 2**n), dtype=complex)
    for (i, j), jab in zip(env.pairs, env.couplings):
        for a in range(3):
            for b in range(3):
                h += jab[a, b] * site_op(PAULIS[a], i, n) @ site_op(PAULIS[b], j, n)
    return h / math.sqrt(n)


def embed(op: np.ndarray, sites: list[int], n: int) -> np.ndarray:
    """Embed an operator on ``sites`` (in that order) into the n-qubit space."""
    m = len(sites)
    rest = [s for s in range(n) if s not in sites]
    full = np.kron(op, np.eye(2 ** (n - m)))
    order = sites + rest
    t = full.reshape((2,) * (2 * n))
    perm = [order.index(s) for s in range(n)]
    t = t.transpose(perm + [n + p for p in perm])
    return t.reshape(2**n, 2**n)


def product_state(vecs: list[np.ndarray]) -> np.ndarray:
    return kron_all(*[v.reshape(2, 1) for v in vecs]).ravel()


class TestChaoticIsing:
    def test_defaults(self) -> None:
        env = ChaoticIsing(5)
        assert env.J == 1.0 and env.boundary == "periodic"
        assert env.hx == pytest.approx(0.904508497187474, abs=1e-15)
        assert env.hz == pytest.approx(0.809016994374947, abs=1e-15)
        assert env.is_uniform_ring and not ChaoticIsing(5, boundary="open").is_uniform_ring

    @pytest.mark.parametrize("periodic", [True, False])
    @pytest.mark.parametrize("n", [3, 4, 6])
    def test_sparse_matches_kronecker(self, n: int, periodic: bool) -> None:
        env = ChaoticIsing(n, J=0.7, hx=1.3, hz=-0.4, boundary="periodic" if periodic else "open")
        ref = ising_bruteforce(n, 0.7, 1.3, -0.4, periodic)
        assert np.allclose(env.to_sparse().toarray(), ref, atol=1e-13)
        assert np.allclose(env.diagonal(), np.diag(ref).real, atol=1e-13)

    def test_open_chain_two_sites(self) -> None:
        env = ChaoticIsing(2, boundary="open")
        assert np.allclose(env.to_sparse().toarray(), ising_bruteforce(2, 1.0, HX_DEFAULT, HZ_DEFAULT, False))

    def test_matches_qutip(self) -> None:
        import qutip
        n = 5
        env = ChaoticIsing(n)

        def op(o, j):  # type: ignore[no-untyped-def]
            return qutip.tensor([o if k == j else qutip.qeye(2) for k in range(n)])

        h = 0
        for j in range(n):
            h += op(qutip.sigmaz(), j) * op(qutip.sigmaz(), (j + 1) % n)
            h += HX_DEFAULT * op(qutip.sigmax(), j) + HZ_DEFAULT * op(qutip.sigmaz(), j)
        assert np.allclose(env.to_sparse().toarray(), h.full(), atol=1e-12)

    def test_apply_batched(self, rng: np.random.Generator) -> None:
        env = ChaoticIsing(7)
        psi = rng.standard_normal((2, 3, 128)) + 1j * rng.standard_normal((2, 3, 128))
        ref = psi @ env.to_sparse().toarray().T
        out = env.apply(psi)
        assert out.shape == psi.shape
        assert np.allclose(out, ref, atol=1e-12)

    def test_apply_validates_shape(self) -> None:
        with pytest.raises(ValueError, match="expected shape"):
            ChaoticIsing(4).apply(np.ones(8))

    def test_energy(self) -> None:
        env = ChaoticIsing(6)
        plus = np.full(64, 1 / 8, dtype=complex)
        assert env.energy(plus) == pytest.approx(6 * HX_DEFAULT, abs=1e-12)
        assert env.energy(2 * plus) == pytest.approx(6 * HX_DEFAULT, abs=1e-12)
        assert env.energy(np.eye(64)[0]) == pytest.approx(6 + 6 * HZ_DEFAULT)
        with pytest.raises(ValueError, match="zero state"):
            env.energy(np.zeros(64))

    def test_diagonal_is_read_only(self) -> None:
        diag = ChaoticIsing(4).diagonal()
        with pytest.raises(ValueError):
            diag[0] = 1.0

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"n_sites": 2}, "must be >= 3"),
            ({"n_sites": 1, "boundary": "open"}, "must be >= 2"),
            ({"n_sites": 4.5}, "integer"),
            ({"n_sites": 4, "boundary": "ring"}, "boundary"),
            ({"n_sites": 4, "hx": float("nan")}, "hx must be finite"),
            ({"n_sites": 4, "J": 1j}, "J must be a real number"),
            ({"n_sites": 4, "hz": float("inf")}, "hz must be finite"),
        ],
    )
    def test_validation(self, kwargs: dict, match: str) -> None:
        with pytest.raises(ValueError, match=match):
            ChaoticIsing(**kwargs)


class TestFractionHamiltonian:
    @pytest.mark.parametrize("m", [1, 2, 3, 5])
    def test_interval_is_open_chain(self, m: int) -> None:
        env = ChaoticIsing(8)
        ref = ChaoticIsing(m, boundary="open").to_sparse().toarray() if m >= 2 else (
            HX_DEFAULT * SX + HZ_DEFAULT * SZ).real
        assert np.allclose(env.fraction_hamiltonian(list(range(2, 2 + m))), ref)

    def test_wrapping_interval_on_ring(self) -> None:
        env = ChaoticIsing(6)
        ref = ChaoticIsing(4, boundary="open").to_sparse().toarray()
        assert np.allclose(env.fraction_hamiltonian([4, 5, 0, 1]), ref)

    def test_only_terms_inside(self) -> None:
        env = ChaoticIsing(6)
        h = env.fraction_hamiltonian([0, 2])  # no bond inside
        ref = sum(site_op(HX_DEFAULT * SX + HZ_DEFAULT * SZ, j, 2) for j in range(2)).real
        assert np.allclose(h, ref)
        full = env.fraction_hamiltonian(list(range(6)), force=False)
        assert np.allclose(full, env.to_sparse().toarray())

    def test_validation(self) -> None:
        env = ChaoticIsing(14)
        with pytest.raises(ValueError, match="m <= 12"):
            env.fraction_hamiltonian(list(range(13)))
        with pytest.raises(ValueError, match="duplicate"):
            env.fraction_hamiltonian([1, 1])
        with pytest.raises(ValueError, match=r"\[0, 14\)"):
            env.fraction_hamiltonian([14])
        with pytest.raises(ValueError, match="non-empty"):
            env.fraction_hamiltonian([])


class TestEnergyDensityProduct:
    # spec §15 A
    @pytest.mark.parametrize(
        ("axis", "e0", "e1"),
        [
            ([1, 0, 0], 0.0, 0.0),
            ([0, 1, 0], 0.9045084972, -0.9045084972),
            ([0.3, 0.8, 0.5], 1.1408573637, -0.3210491323),
        ],
    )
    @pytest.mark.parametrize("n", [3, 6, 9])
    def test_reference_table(self, axis: list[float], e0: float, e1: float, n: int) -> None:
        env = ChaoticIsing(n)
        setup = BroadcastSetup([axis, [-x for x in axis]])
        closed = env.energy_density_product(setup.bloch_vectors())
        from_states = env.energy(setup.initial_branches(n)) / n
        assert np.allclose(closed, [e0, e1], atol=1e-9)
        assert np.allclose(from_states, [e0, e1], atol=1e-9)

    def test_reference_bloch_vectors(self) -> None:
        v = BroadcastSetup([[0.3, 0.8, 0.5], [-0.3, -0.8, -0.5]]).bloch_vectors()
        assert np.allclose(v, [[0.9611833, 0.1051175, 0.2551020], [-0.6550608, 0.7112090, 0.2551020]], atol=1e-7)

    @given(st.floats(-1, 1), st.floats(-1, 1), st.floats(0.05, 1), st.integers(2, 7))
    def test_open_chain_closed_form(self, x: float, y: float, z: float, n: int) -> None:
        env = ChaoticIsing(n, boundary="open", J=0.8, hx=0.3, hz=-1.1)
        setup = BroadcastSetup([[x, y, z], [-x, -y, -z]], theta=0.3)
        v = setup.bloch_vectors()
        expected = 0.8 * (n - 1) / n * v[:, 2] ** 2 + 0.3 * v[:, 0] - 1.1 * v[:, 2]
        assert np.allclose(env.energy_density_product(v), expected, atol=1e-12)
        assert np.allclose(env.energy(setup.initial_branches(n)) / n, expected, atol=1e-12)

    def test_shape_check(self) -> None:
        with pytest.raises(ValueError, match=r"\(\.\.\., 3\)"):
            ChaoticIsing(4).energy_density_product([1.0, 0.0])


class TestSKEnvironment:
    def test_default_couplings(self) -> None:
        env = SKEnvironment(5, seed=3)
        ref = np.random.default_rng(3).standard_normal((10, 3, 3))
        assert np.array_equal(env.couplings, ref)
        assert env.pairs[:3] == ((0, 1), (0, 2), (0, 3)) and env.pairs[-1] == (3, 4)
        assert not env.is_uniform_ring

    @pytest.mark.parametrize("n", [2, 3, 5])
    def test_sparse_matches_kronecker(self, n: int) -> None:
        env = SKEnvironment(n, seed=n)
        ref = sk_bruteforce(env)
        h = env.to_sparse().toarray()
        assert np.allclose(h, ref, atol=1e-12)
        assert np.allclose(h, h.conj().T)

    def test_apply_and_energy(self, rng: np.random.Generator) -> None:
        env = SKEnvironment(6, seed=1)
        psi = rng.standard_normal((3, 64)) + 1j * rng.standard_normal((3, 64))
        h = env.to_sparse().toarray()
        assert np.allclose(env.apply(psi), psi @ h.T, atol=1e-12)
        e = env.energy(psi)
        ref = np.einsum("ki,ij,kj->k", psi.conj(), h, psi).real / np.sum(abs(psi) ** 2, axis=1)
        assert np.allclose(e, ref)

    def test_fraction_sum_identity(self) -> None:
        n, m = 5, 3
        env = SKEnvironment(n, seed=11)
        total = sum(embed(env.fraction_hamiltonian(list(f)), list(f), n) for f in itertools.combinations(range(n), m))
        assert np.allclose(total, math.comb(n - 2, m - 2) * env.to_sparse().toarray(), atol=1e-12)

    def test_fraction_site_order(self) -> None:
        env = SKEnvironment(4, seed=2)
        h1 = embed(env.fraction_hamiltonian([3, 1]), [3, 1], 4)
        h2 = embed(env.fraction_hamiltonian([1, 3]), [1, 3], 4)
        assert np.allclose(h1, h2)

    def test_time_reversal_even(self, rng: np.random.Generator) -> None:
        env = SKEnvironment(5, seed=4)
        h = env.to_sparse().toarray()
        yy = kron_all(*[SY] * 5)
        assert np.allclose(yy @ h.conj() @ yy, h, atol=1e-12)
        a = rng.uniform(0, 2 * math.pi)
        n = [math.cos(a), math.sin(a), 0.0]  # in-plane axis: antipodal Bloch vectors at theta = pi/4
        setup = BroadcastSetup([n, [-x for x in n]])
        assert np.allclose(setup.bloch_vectors()[0], -setup.bloch_vectors()[1])
        e = env.energy(setup.initial_branches(5))
        assert e[0] == pytest.approx(e[1], abs=1e-12)

    def test_normalisation_ground_state(self) -> None:
        env = SKEnvironment(8, seed=0)
        e0 = np.linalg.eigvalsh(env.to_sparse().toarray())[0] / 8
        assert -1.9 < e0 < -1.2
        assert abs(np.linalg.eigvalsh(env.to_sparse().toarray())).max() <= env.norm_bound()

    def test_validation(self) -> None:
        with pytest.raises(ValueError, match=r"\(3, 3, 3\)"):
            SKEnvironment(3, np.zeros((2, 3, 3)))
        with pytest.raises(ValueError, match="NaN"):
            SKEnvironment(3, np.full((3, 3, 3), np.nan))
        with pytest.raises(ValueError, match=">= 2"):
            SKEnvironment(1)


class TestBroadcastSetup:
    def test_normalises_axes_and_defaults(self) -> None:
        s = BroadcastSetup([[0, 2, 0], [0, 0, -3], [1, 1, 0]])
        assert np.allclose(np.linalg.norm(s.axes, axis=1), 1)
        assert s.d == 3 and np.allclose(s.probs, 1 / 3)
        assert s.theta == pytest.approx(math.pi / 4)

    @given(st.floats(-1, 1), st.floats(-1, 1), st.floats(-1, 1), st.floats(0, 3))
    def test_states_and_bloch(self, x: float, y: float, z: float, theta: float) -> None:
        n = np.array([x, y, z])
        if np.linalg.norm(n) < 1e-3:
            n = np.array([0.0, 0.0, 1.0])
        s = BroadcastSetup([n, -n], theta=theta)
        n = n / np.linalg.norm(n)
        u = sla.expm(-1j * theta * (n[0] * SX + n[1] * SY + n[2] * SZ)) @ np.array([1, 0])
        assert np.allclose(s.single_qubit_states()[0], u, atol=1e-12)
        zhat = np.array([0.0, 0.0, 1.0])
        v = math.cos(2 * theta) * zhat + math.sin(2 * theta) * np.cross(n, zhat) + (1 - math.cos(2 * theta)) * n[2] * n
        assert np.allclose(s.bloch_vectors()[0], v, atol=1e-12)
        rho = np.outer(u, u.conj())
        assert np.allclose([np.trace(rho @ p).real for p in PAULIS], v, atol=1e-12)

    def test_initial_branches(self) -> None:
        s = BroadcastSetup([[0.3, -0.2, 0.9], [1, 0, 0]], theta=0.7)
        b = s.initial_branches(4)
        u = s.single_qubit_states()
        for k in range(2):
            assert np.allclose(b[k], product_state([u[k]] * 4))
        assert np.allclose(np.linalg.norm(b, axis=1), 1)

    @pytest.mark.parametrize(
        ("setup", "bloch"),
        [
            (encoding(), [[0, -1, 0], [0, 1, 0]]),
            (redundant(), [[1, 0, 0], [-1, 0, 0]]),
            (interpolating(0.3), [[math.sin(0.3), -math.cos(0.3), 0], [-math.sin(0.3), math.cos(0.3), 0]]),
            (partial_degeneracy(), [[1, 0, 0], [-1, 0, 0], [0, -1, 0], [0, 1, 0]]),
        ],
    )
    def test_presets(self, setup: BroadcastSetup, bloch: list[list[float]]) -> None:
        assert np.allclose(setup.bloch_vectors(), bloch, atol=1e-12)
        assert np.allclose(setup.probs, 1 / setup.d)

    def test_interpolating_energy_difference(self) -> None:
        env = ChaoticIsing(5)
        for phi in (0.1, 0.7, 1.2):
            e = env.energy_density_product(interpolating(phi).bloch_vectors())
            assert e[0] - e[1] == pytest.approx(2 * HX_DEFAULT * math.sin(phi), abs=1e-12)

    def test_random_axis(self) -> None:
        a = random_axis(np.random.default_rng(5))
        b = random_axis(np.random.default_rng(5))
        assert np.array_equal(a.axes, b.axes) and np.allclose(a.axes[0], -a.axes[1])
        env = ChaoticIsing(4)
        e = env.energy_density_product(a.bloch_vectors())
        assert e[0] - e[1] == pytest.approx(2 * HX_DEFAULT * a.axes[0, 1], abs=1e-12)
        with pytest.raises(ValueError, match="Generator"):
            random_axis(5)  # type: ignore[arg-type]

    def test_preset_by_name(self) -> None:
        assert np.allclose(preset("redundant").axes, redundant().axes)
        assert np.allclose(preset("interpolating", phi=0.2).axes, interpolating(0.2).axes)
        assert np.allclose(preset("encoding", probs=[0.3, 0.7]).probs, [0.3, 0.7])
        with pytest.raises(ValueError, match="unknown preset"):
            preset("bogus")
        with pytest.raises(ValueError, match="preset 'interpolating'"):
            preset("interpolating")

    def test_amplitudes(self) -> None:
        s = BroadcastSetup([[0, 1, 0], [0, -1, 0]], amplitudes=[0.6, 0.8j])
        assert np.allclose(s.probs, [0.36, 0.64])
        assert np.allclose(s.system_amplitudes(), [0.6, 0.8j])
        assert np.allclose(redundant().system_amplitudes(), [math.sqrt(0.5)] * 2)
        with pytest.raises(ValueError, match="disagree"):
            BroadcastSetup([[0, 1, 0], [0, -1, 0]], probs=[0.5, 0.5], amplitudes=[0.6, 0.8])
        s2 = BroadcastSetup([[0, 1, 0], [0, -1, 0]], amplitudes=[1, 1], normalize=True)
        assert np.allclose(s2.probs, 0.5)

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"axes": [[1, 0, 0]]}, r"\(d, 3\)"),
            ({"axes": [[1, 0], [0, 1]]}, r"\(d, 3\)"),
            ({"axes": [[1, 0, 0], [0, 0, 0]]}, "branch 1 has norm"),
            ({"axes": [[1, 0, 0], [0, np.nan, 0]]}, "branch 1 contains NaN"),
            ({"axes": [[1, 0, 0], [0, 1, 0]], "probs": [0.5, 0.6]}, "sum 1.1"),
            ({"axes": [[1, 0, 0], [0, 1, 0]], "probs": [1.0]}, "must equal the number of axes"),
            ({"axes": [[1, 0, 0], [0, 1, 0]], "probs": [-0.5, 1.5]}, ">= 0"),
            ({"axes": [[1, 0, 0], [0, 1, 0]], "theta": np.inf}, "theta must be finite"),
        ],
    )
    def test_validation(self, kwargs: dict, match: str) -> None:
        with pytest.raises(ValueError, match=match):
            BroadcastSetup(**kwargs)

    def test_normalize_probs(self) -> None:
        s = BroadcastSetup([[1, 0, 0], [0, 1, 0]], [1, 3], normalize=True)
        assert np.allclose(s.probs, [0.25, 0.75])

    def test_read_only(self) -> None:
        s = redundant()
        with pytest.raises(ValueError):
            s.axes[0, 0] = 2.0


class TestProductBranches:
    def test_matches_uniform_setup(self) -> None:
        s = BroadcastSetup([[0.3, -0.5, 0.8], [0, 1, 0]], theta=0.9)
        v = s.bloch_vectors()
        psi = product_branches(np.repeat(v[:, None, :], 5, axis=1))
        overlaps = np.abs(np.einsum("ki,ki->k", psi.conj(), s.initial_branches(5)))
        assert np.allclose(overlaps, 1.0, atol=1e-12)  # equal up to a global phase

    @given(st.integers(0, 2**32 - 1))
    def test_bloch_vectors_reproduced(self, seed: int) -> None:
        rng = np.random.default_rng(seed)
        v = rng.standard_normal((2, 3, 3))
        psi = product_branches(v)
        v = v / np.linalg.norm(v, axis=2, keepdims=True)
        for k in range(2):
            for j in range(3):
                for a, pauli in enumerate(PAULIS):
                    assert np.vdot(psi[k], site_op(pauli, j, 3) @ psi[k]).real == pytest.approx(v[k, j, a], abs=1e-12)

    def test_poles(self) -> None:
        psi = product_branches([[[0, 0, 1], [0, 0, -2]]])
        assert np.allclose(psi, [[0, 1, 0, 0]])

    def test_validation(self) -> None:
        with pytest.raises(ValueError, match=r"\(d, N, 3\)"):
            product_branches([[1, 0, 0]])
        with pytest.raises(ValueError, match="branch 0, site 1"):
            product_branches([[[1, 0, 0], [0, 0, 0]]])


class TestSKClassical:
    def test_classical_energy_is_product_energy(self, rng: np.random.Generator) -> None:
        env = SKEnvironment(6, seed=8)
        v = rng.standard_normal((6, 3))
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        assert env.classical_energy(v) == pytest.approx(float(env.energy(product_branches(v[None])[0])), abs=1e-12)

    @pytest.mark.parametrize("sign", [-1, 1])
    def test_extremal_states(self, sign: int) -> None:
        env = SKEnvironment(8, seed=0)
        v = env.extremal_product_bloch(sign, rng=np.random.default_rng(1))
        assert np.allclose(np.linalg.norm(v, axis=1), 1)
        # local extremum: every spin is (anti)parallel to its local field
        h = np.einsum("iajb,jb->ia", env.coupling_matrix(), v)
        assert np.allclose(v, sign * h / np.linalg.norm(h, axis=1, keepdims=True), atol=1e-8)
        rand = np.random.default_rng(2).standard_normal((50, 8, 3))
        rand /= np.linalg.norm(rand, axis=2, keepdims=True)
        e_rand = [env.classical_energy(r) for r in rand]
        assert sign * env.classical_energy(v) > max(sign * e for e in e_rand)

    def test_validation(self) -> None:
        env = SKEnvironment(4)
        with pytest.raises(ValueError, match="sign"):
            env.extremal_product_bloch(0, rng=np.random.default_rng(0))
        with pytest.raises(ValueError, match="Generator"):
            env.extremal_product_bloch(-1, rng=3)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=r"\(N, 3\)"):
            env.classical_energy(np.ones((3, 3)))
