"""(e) hypothesis properties of the partial-information curves over random states."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from qdarwin.darwinism import partial_information

TOL = 1e-9

dims_st = st.lists(st.sampled_from([2, 3]), min_size=2, max_size=5).filter(lambda d: int(np.prod(d)) <= 96)


def _state(dims: list[int], seed: int, rank: int):
    rng = np.random.default_rng(seed)
    d = int(np.prod(dims))
    a = rng.normal(size=(d, rank)) + 1j * rng.normal(size=(d, rank))
    if rank == 1:
        return a[:, 0] / np.linalg.norm(a)
    rho = a @ a.conj().T
    return rho / np.trace(rho).real


@given(dims=dims_st, seed=st.integers(0, 2**31 - 1), rank=st.sampled_from([1, 1, 2, 4]), sys=st.integers(0, 4))
def test_bounds_and_monotonicity(dims, seed, rank, sys):
    system = sys % len(dims)
    r = partial_information(_state(dims, seed, rank), dims, system=system)
    two_s = 2 * r.H_S
    assert np.all(r.chi >= -TOL) and np.all(r.chi <= r.I + TOL) and np.all(r.I <= two_s + TOL)
    assert np.all(r.chi <= r.H_pointer + TOL)
    assert np.all(np.diff(r.I) >= -TOL) and np.all(np.diff(r.chi) >= -TOL)
    assert r.I[0] == 0 and r.chi[0] == 0


@given(dims=dims_st, seed=st.integers(0, 2**31 - 1), sys=st.integers(0, 4))
def test_pure_state_identities(dims, seed, sys):
    r = partial_information(_state(dims, seed, 1), dims, system=sys % len(dims))
    n = r.n_env
    assert abs(r.I[n] - 2 * r.H_S) < TOL
    np.testing.assert_allclose(r.I + r.I[::-1], 2 * r.H_S, atol=TOL, rtol=0)


@settings(max_examples=12)
@given(seed=st.integers(0, 2**31 - 1), rank=st.sampled_from([1, 3]))
def test_monte_carlo_within_four_standard_errors(seed, rank):
    """Sample means are unbiased: within 4 standard errors (30 draws, C(7, m) = 35 for m = 3, 4)."""
    dims = [2, 2, 2, 3, 2, 2, 2, 2]
    state = _state(dims, seed, rank)
    exact = partial_information(state, dims)
    mc = partial_information(state, dims, fragments="sample", n_samples=30, rng=np.random.default_rng(seed))
    sampled = mc.I_sem > 0
    assert sampled.any()
    for name in ("I", "chi", "discord"):
        err = np.abs(getattr(mc, name) - getattr(exact, name))
        sem = getattr(mc, name + "_sem")
        assert np.all(err[sampled] <= 4 * sem[sampled] + 1e-12)
        assert np.all(err[~sampled] <= 1e-10)
