"""entropy_from_eigenvalues refuses spectra that belong to no density matrix."""

from __future__ import annotations

import pytest

from qdarwin.info import entropy_from_eigenvalues


@pytest.mark.parametrize("spectrum", [[1e308], [2.0], [0.5, 1.5]])
def test_eigenvalue_above_one_refused(spectrum: list[float]) -> None:
    with pytest.raises(ValueError, match="not an eigenvalue of a density matrix"):
        entropy_from_eigenvalues(spectrum)


def test_round_off_above_one_accepted() -> None:
    assert entropy_from_eigenvalues([1.0 + 1e-12, -1e-12]) == pytest.approx(0.0, abs=1e-9)
