"""Tests for qdarwin.dephasing.symbolic: det G polynomials and the 6/22/130/822 term counts."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from qdarwin.dephasing import det_gram_polynomial, det_gram_term_count, gram_matrix, gram_symbolic


class TestGramSymbolic:
    def test_numeric_agreement(self, rng: np.random.Generator) -> None:
        gm = gram_symbolic(4, shifts="all")
        g = rng.uniform(0, 2, (4, 4))
        g = np.triu(g, 1) + np.triu(g, 1).T
        om = rng.standard_normal((4, 4))
        om = om - om.T
        subs = {}
        for m in range(4):
            for n in range(m + 1, 4):
                subs[sp.Symbol(f"g{m}{n}", real=True)] = g[m, n]
                subs[sp.Symbol(f"w{m}{n}", real=True)] = om[m, n]
        num = np.array(gm.subs(subs).evalf(), dtype=complex)
        np.testing.assert_allclose(num, gram_matrix(g, om), atol=1e-12)

    def test_bad_shifts(self) -> None:
        with pytest.raises(ValueError, match="shifts"):
            gram_symbolic(3, shifts="some")  # type: ignore[arg-type]


class TestDetGramPolynomial:
    def test_n3_formula(self) -> None:
        g01, g02, g12, p12 = sp.symbols("g01 g02 g12 p12", real=True)
        expected = 2 * (g01 * g12 + g12 * g02 + g01 * g02) - g01**2 - g12**2 - g02**2 - p12**2
        assert sp.expand(det_gram_polynomial(3, shifts="canonical") - expected) == 0

    def test_n4_is_twice_p4(self) -> None:
        s = {f"{m}{n}": sp.Symbol(f"g{m}{n}", real=True) for m in range(4) for n in range(m + 1, 4)}
        g01, g02, g03, g12, g13, g23 = (s[k] for k in ["01", "02", "03", "12", "13", "23"])
        p4 = (
            -(g01**2) * g23 - g02**2 * g13 - g03**2 * g12 - g01 * g23**2 - g02 * g13**2 - g03 * g12**2
            + g01 * g02 * (g13 + g23 - g12) + g01 * g03 * (g12 + g23 - g13) + g02 * g03 * (g12 + g13 - g23)
            + g01 * g23 * (g12 + g13) + g02 * g13 * (g12 + g23) + g03 * g12 * (g13 + g23) - g12 * g13 * g23
        )
        assert sp.expand(det_gram_polynomial(4) - 2 * p4) == 0


class TestDetGramTermCount:
    @pytest.mark.parametrize("n, count", [(3, 6), (4, 22), (5, 130), (6, 822)])
    def test_no_shifts(self, n: int, count: int) -> None:
        assert det_gram_term_count(n) == count

    @pytest.mark.parametrize("n, count", [(3, 7), (4, 34)])
    def test_canonical_shifts(self, n: int, count: int) -> None:
        assert det_gram_term_count(n, shifts="canonical") == count

    @pytest.mark.parametrize("n, count", [(3, 12), (4, 76)])
    def test_all_shifts(self, n: int, count: int) -> None:
        assert det_gram_term_count(n, shifts="all") == count
