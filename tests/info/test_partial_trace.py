"""Tests for qdarwin.info.partial_trace against QuTiP and explicit sums."""

from __future__ import annotations

import numpy as np
import pytest
import qutip

from qdarwin.info import partial_trace
from tests.systems import random_density_matrix, random_ket


class TestPartialTrace:
    @pytest.mark.parametrize("keep", [[0], [1], [2], [0, 2], [2, 0], [1, 2], [0, 1, 2]])
    def test_density_matrix_matches_qutip(self, rng: np.random.Generator, keep: list[int]) -> None:
        dims = [2, 3, 2]
        rho = random_density_matrix(12, rng)
        q = qutip.Qobj(rho, dims=[dims, dims])
        ref = q.ptrace(keep).full()
        # QuTiP orders kept factors ascending; ours follows `keep`.
        ours = partial_trace(rho, keep, dims)
        if keep != sorted(keep):
            ours_sorted = partial_trace(rho, sorted(keep), dims)
            np.testing.assert_allclose(ours_sorted, ref, atol=1e-13)
            perm = qutip.Qobj(ours_sorted, dims=[[dims[k] for k in sorted(keep)]] * 2).permute(
                [sorted(keep).index(k) for k in keep]
            )
            np.testing.assert_allclose(ours, perm.full(), atol=1e-13)
        else:
            np.testing.assert_allclose(ours, ref, atol=1e-13)

    def test_ket_matches_density_matrix(self, rng: np.random.Generator) -> None:
        dims = [2, 2, 3]
        psi = random_ket(12, rng)
        rho = np.outer(psi, psi.conj())
        for keep in ([0], [1, 2], [2, 0]):
            np.testing.assert_allclose(partial_trace(psi, keep, dims), partial_trace(rho, keep, dims), atol=1e-13)

    def test_qobj_dims_used(self, rng: np.random.Generator) -> None:
        psi = qutip.rand_ket([2, 3], seed=1)
        ours = partial_trace(psi, [1])
        np.testing.assert_allclose(ours, psi.ptrace(1).full(), atol=1e-13)

    def test_explicit_sum_two_qubits(self, rng: np.random.Generator) -> None:
        rho = random_density_matrix(4, rng).reshape(2, 2, 2, 2)
        ref = rho[:, 0, :, 0] + rho[:, 1, :, 1]
        np.testing.assert_allclose(partial_trace(rho.reshape(4, 4), [0], [2, 2]), ref, atol=1e-15)

    @pytest.mark.parametrize(
        "keep, dims, msg",
        [([3], [2, 2], "out of range"), ([0, 0], [2, 2], "duplicate"), ([0], [2, 3], "does not match")],
    )
    def test_bad_arguments(self, keep: list[int], dims: list[int], msg: str) -> None:
        with pytest.raises(ValueError, match=msg):
            partial_trace(np.eye(4) / 4, keep, dims)

    def test_dims_required_for_arrays(self) -> None:
        with pytest.raises(ValueError, match="dims"):
            partial_trace(np.eye(4) / 4, [0])
