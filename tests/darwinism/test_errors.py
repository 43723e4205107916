"""Bad input to the general analysis: one clear ValueError naming the argument."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from qdarwin.darwinism import partial_information


def ghz(n: int) -> np.ndarray:
    v = np.zeros(2**n)
    v[0] = v[-1] = 1 / np.sqrt(2)
    return v


class TestBadInput:
    def test_not_normalised(self):
        with pytest.raises(ValueError, match="norm"):
            partial_information(2 * ghz(3), [2, 2, 2])

    def test_not_psd(self):
        rho = np.diag([1.2, -0.2, 0, 0])
        with pytest.raises(ValueError, match="negative eigenvalue"):
            partial_information(rho, [2, 2])

    def test_not_hermitian_and_trace(self):
        with pytest.raises(ValueError, match="Hermitian"):
            partial_information(np.array([[0.5, 0.1, 0, 0], [0, 0.5, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]), [2, 2])
        with pytest.raises(ValueError, match="trace"):
            partial_information(np.eye(4) / 2, [2, 2])

    def test_dims_mismatch(self):
        with pytest.raises(ValueError, match="dims: the product of \\[2, 3\\] is 6, which does not match the state size 8"):
            partial_information(ghz(3), [2, 3])
        with pytest.raises(ValueError, match="dims"):
            partial_information(ghz(3))
        with pytest.raises(ValueError, match="dims"):
            partial_information(ghz(3), [2, 2, 2.5])

    @pytest.mark.parametrize("system", [3, -1, [0, 5], [0, 0], [0, 1, 2], []])
    def test_system_index(self, system):
        with pytest.raises(ValueError, match="system"):
            partial_information(ghz(3), [2, 2, 2], system=system)

    def test_options(self):
        with pytest.raises(ValueError, match="fragments"):
            partial_information(ghz(3), [2, 2, 2], fragments="every")
        with pytest.raises(ValueError, match="n_samples"):
            partial_information(ghz(3), [2, 2, 2], fragments="sample", n_samples=1)
        with pytest.raises(ValueError, match="n_samples"):
            partial_information(ghz(3), [2, 2, 2], n_samples=10)
        with pytest.raises(ValueError, match="pointer"):
            partial_information(ghz(3), [2, 2, 2], pointer=np.ones((2, 2)))
        with pytest.raises(ValueError, match="pointer"):
            partial_information(ghz(3), [2, 2, 2], pointer="x-basis")
        with pytest.raises(ValueError, match="base"):
            partial_information(ghz(3), [2, 2, 2], base=1.0)
        with pytest.raises(ValueError, match="progress"):
            partial_information(ghz(3), [2, 2, 2], progress=True)

    def test_nan_state(self):
        v = ghz(3).astype(complex)
        v[1] = np.nan
        with pytest.raises(ValueError, match="NaN"):
            partial_information(v, [2, 2, 2])


class TestTooLarge:
    def test_exact_request_over_memory_limit_names_fragment_count(self):
        with pytest.raises(ValueError, match=r"above the memory limit .*all 2\^9 = 512 fragments"):
            partial_information(ghz(10), [2] * 10, memory_limit=10**4)
        # past the state copies, the per-fragment working memory is checked too
        with pytest.raises(ValueError, match=r"all 2\^9 = 512 fragments of the N = 9 environment subsystems need"):
            partial_information(ghz(10), [2] * 10, memory_limit=16 * 4 * 2**10 + 1)

    def test_refused_before_allocating(self):
        psi = ghz(12)
        tracemalloc.start()
        try:
            with pytest.raises(ValueError, match="memory limit"):
                partial_information(psi, [2] * 12, memory_limit=2**16)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 4 * 16 * psi.size  # validation and the factor copies only, no fragment work

    def test_huge_request_refused_from_shapes_alone(self, monkeypatch):
        from qdarwin.darwinism import _curves as module

        monkeypatch.setattr(module, "MAX_EXACT_FRAGMENTS", 2**5)
        # an array-like that must never be converted: the refusal comes from shape and dims
        class Shape:
            shape = (2**40,)

        with pytest.raises(ValueError, match=r"all 2\^39 = 549755813888 fragments"):
            partial_information(Shape(), [2] * 40)
        with pytest.raises(ValueError, match="state: validating and factorising a state of dimension 1099511627776"):
            partial_information(Shape(), [2] * 40, fragments="sample")

    def test_fragment_count_cap(self, monkeypatch):
        from qdarwin.darwinism import _curves as module

        monkeypatch.setattr(module, "MAX_EXACT_FRAGMENTS", 2**5)
        with pytest.raises(ValueError, match=r"all 2\^7 = 128 fragments .*use fragments='sample'"):
            partial_information(ghz(8), [2] * 8)
        assert partial_information(ghz(8), [2] * 8, fragments="sample", n_samples=5, rng=0).n_fragments[3] == 5


class TestSolverRoundOff:
    """States from ODE solvers: tiny errors are repaired with a note, larger ones refused."""

    def test_density_matrix_with_tiny_negative_eigenvalue(self):
        rho = np.diag([0.5, 0.5 + 2e-6, 0.0, -2e-6])
        r = partial_information(rho, [2, 2])
        assert "negative eigenvalues down to -2e-06 set to zero" in r.attrs["note"]
        exact = partial_information(np.diag([0.5, 0.5, 0.0, 0.0]), [2, 2])
        np.testing.assert_allclose(r.I, exact.I, atol=1e-4)

    def test_ket_norm_off_by_solver_error(self):
        r = partial_information(ghz(3) * (1 + 1e-7), [2, 2, 2])
        assert "renormalised" in r.attrs["note"]
        np.testing.assert_allclose(r.I, [0, 1, 2], atol=1e-12)

    def test_degenerate_system_state_gets_computational_pointer(self):
        # rho_S = 1/2 up to a 1e-9 coherence: the pointer basis is resolved toward |0>, |1>
        psi = ghz(3).astype(complex)
        psi[1] = 1e-9
        psi /= np.linalg.norm(psi)
        r = partial_information(psi, [2, 2, 2])
        np.testing.assert_allclose(np.abs(r.pointer), np.eye(2), atol=1e-6)
        assert r.chi[1] == pytest.approx(1.0, abs=1e-6)
