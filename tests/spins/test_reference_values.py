"""Spec spin-environments.md §9 reference values and §7 validation table, through the public API."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qdarwin import spins

T0 = 15 * math.pi / 64
ATOL = 1e-9


class TestSection9Rows:
    def test_row1_xi_pure_no_field(self) -> None:
        assert spins.spin_chernoff(1.0, math.pi / 2, 0.0, 0.5, 0.0, T0) == pytest.approx(
            0.599641227094, abs=ATOL
        )

    def test_row2_xi_mixed_no_field(self) -> None:
        assert spins.spin_chernoff(11 / 16, math.pi / 3, 0.4, 0.5, 0.0, T0) == pytest.approx(
            0.0971899572711, abs=ATOL
        )

    def test_row3_xi_with_field(self) -> None:
        assert spins.spin_chernoff(1.0, 1.0, 0.3, 0.5, math.pi / 2, T0) == pytest.approx(
            0.277642534983, abs=ATOL
        )

    def test_row4_decoherence_factor(self) -> None:
        gam = spins.decoherence_factor(spins.bloch_state(0.8, 1.2, 0.5), 0.7, 0.3, 1.1)
        assert gam.real == pytest.approx(0.066902532597, abs=ATOL)
        assert gam.imag == pytest.approx(-0.407942850636, abs=ATOL)
        env = spins.SpinEnvironment(a=0.8, theta=1.2, phi=0.5, g=0.7, omega=0.3)
        assert spins.decoherence_factors(env, 1.1)[0] == pytest.approx(gam, abs=1e-14)

    def test_row5_axis_and_f(self) -> None:
        m = spins.insensitive_axis(0.5, math.pi / 2, T0)
        m = m if m[2] >= 0 else -m
        assert np.allclose(m, [0.0, 0.931197586289, 0.364514821768], atol=ATOL)
        assert spins.field_factor_f(0.5, math.pi / 2, T0) == pytest.approx(0.296960773274, abs=ATOL)

    def test_row6_tau_d(self) -> None:
        assert spins.decoherence_time(moments=2.0**2 / 3) == pytest.approx(0.433012701892, abs=ATOL)

    def test_row7_onset(self) -> None:
        tau = spins.decoherence_time(moments=4 / 3)
        assert spins.onset_time(tau, 1e-16, 1.0) == pytest.approx(3.71692218885, abs=ATOL)

    def test_row8_random_band(self) -> None:
        lam = spins.mixedness_lambda(1.0)
        xi = spins.random_band_chernoff(1.0, 1.0, lam, math.pi / 2)
        assert xi == pytest.approx(0.902881814361, abs=ATOL)
        assert spins.redundancy_qcb(32, xi, 1e-10) == pytest.approx(1.25477308732, abs=ATOL)
        assert spins.random_band_mean_of_logs(1.0, 1.0, lam, math.pi / 2) == pytest.approx(
            1.88543624267, abs=ATOL
        )

    def test_row9_pure_environment_information(self) -> None:
        env = spins.SpinEnvironment(
            a=1.0,
            theta=[math.pi / 2, 1.0, 2.0, math.pi / 3],
            phi=[0.0, 0.5, 1.0, 2.0],
            g=[0.3, 0.7, 1.1, 0.5],
            omega=[0.0, 0.4, 0.0, 0.9],
            p=0.3,
            c=math.sqrt(0.21),
        )
        info = spins.info_pure_environment(
            env.p, env.c, np.abs(spins.decoherence_factors(env, 0.8)), [0, 2]
        )
        assert info.I == pytest.approx(1.07566103833, abs=ATOL)
        assert info.chi == pytest.approx(0.776252296903, abs=ATOL)
        assert info.discord == pytest.approx(0.299408741431, abs=ATOL)

    def test_row10_symmetric(self) -> None:
        r = spins.symmetric_environment_info(
            6, 6, 0.6, math.pi / 2, 0.0, 1.0, 0.0, math.pi / 8, 0.5
        )
        assert r.chi == pytest.approx(0.574597650897, abs=ATOL)
        assert r.I == pytest.approx(1.56329705919, abs=ATOL)
        assert r.deficit == pytest.approx(0.425402349103, abs=ATOL)

    def test_row11_symmetric(self) -> None:
        r = spins.symmetric_environment_info(
            3, 6, 0.8, 1.0, 0.2, 0.7, 0.5, 1.3, 0.3, math.sqrt(0.21)
        )
        assert r.chi == pytest.approx(0.674231461215, abs=ATOL)
        assert r.I == pytest.approx(0.676333938401, abs=ATOL)

    def test_row12_identical_pure(self) -> None:
        r, _ = spins.identical_redundancy(0.8, 0.5, 1e-10)
        assert r == pytest.approx(0.00983045162123, rel=1e-8)
        assert spins.redundancy_qcb(1, -math.log(0.8), 1e-10) == pytest.approx(
            0.00969100130081, abs=ATOL
        )
        assert spins.redundancy_expansion(1, 0.8, 1e-10, 0.5) == pytest.approx(r, rel=1e-9)

    def test_row13_expansion_constant(self) -> None:
        assert spins.expansion_constant(1 / 8) == pytest.approx(1.32769070622, abs=ATOL)


class TestOtherAnchors:
    def test_c_half(self) -> None:
        assert spins.expansion_constant(0.5) == pytest.approx(1.386294361, abs=ATOL)

    def test_gaussian_t10(self) -> None:
        tau = spins.decoherence_time(moments=4 / 3)
        assert spins.gaussian_redundancy(10.0, tau, 1e-16) == pytest.approx(14.476483, abs=1e-6)
        assert spins.gaussian_exact_redundancy(10.0, tau, 1e-16) == pytest.approx(
            14.605979, abs=1e-6
        )

    def test_figure_values(self) -> None:
        """Quoted in §8: equatorial maxima (Fig. 2), onset and random-band curves (Fig. 5)."""
        assert spins.spin_chernoff(11 / 16, math.pi / 2, 0.0, 0.5, 0.0, T0) == pytest.approx(
            0.1318054534, abs=1e-9
        )
        assert -math.log(1 - spins.field_factor_f(0.5, math.pi / 2, T0)) == pytest.approx(
            0.3523425897, abs=1e-9
        )
        delta = 1e-10
        for wt, solid, dashed in (
            (0.25, 0.119141, 0.120856),
            (1.0, 1.302583, 1.321327),
            (3.0, 1.065996, 1.081335),
        ):
            xi = spins.random_band_chernoff(1.0, wt)
            assert xi / math.log(2) == pytest.approx(solid, abs=1e-6)
            L = math.log(1 / delta)
            assert xi * L / ((L - math.log(math.log(4))) * math.log(2)) == pytest.approx(
                dashed, abs=1e-6
            )

    def test_haziness_table(self) -> None:
        """Fig. 4: haziness h = H2((1+a)/2) and the dotted values at t = pi/8."""
        from qdarwin.info import binary_entropy

        rows = [
            (1.0, 1.0, 1.0),
            (0.9377510794, 0.6526919046, 0.569920),
            (0.8412347990, 0.4593300333, 0.376442),
            (0.7077951932, 0.2935823017, 0.229029),
            (0.5139922924, 0.1422051974, 0.106409),
        ]
        for i, (a, lam, dotted) in enumerate(rows):
            assert binary_entropy((1 + a) / 2) == pytest.approx(0.2 * i, abs=1e-9)
            assert spins.mixedness_lambda(a) == pytest.approx(lam, abs=1e-9)
            assert spins.spin_chernoff(a, math.pi / 2, 0.0, 1.0, 0.0, math.pi / 8) / math.log(
                2
            ) == pytest.approx(dotted, abs=1e-6)


class TestSection7Validation:
    def test_bloch_length(self) -> None:
        for call in (
            lambda: spins.bloch_state(1.1, 0, 0),
            lambda: spins.spin_chernoff(-0.1, 0, 0, 1, 0, 1),
            lambda: spins.SpinEnvironment(a=[0.2, 1.2]),
        ):
            with pytest.raises(ValueError, match=r"Bloch vector length must be in \[0, 1\]"):
                call()

    def test_density_matrix(self) -> None:
        with pytest.raises(ValueError, match="not a valid density matrix"):
            spins.decoherence_factor(np.array([[1.0, 0.0], [0.0, 0.5]]), 1.0, 0.0, 1.0)
        with pytest.raises(ValueError, match="not a valid density matrix"):
            spins.typical_chernoff_states(
                np.array([[[0.5, 0.6], [0.6, 0.5]]]), np.array([np.eye(2) / 2])
            )

    @pytest.mark.parametrize("delta", [0.0, 1.0, -1e-3, 2.0])
    def test_delta(self, delta: float) -> None:
        msg = r"delta must lie in the open interval \(0, 1\)"
        for call in (
            lambda: spins.redundancy_qcb(10, 0.1, delta),
            lambda: spins.identical_redundancy(0.5, 0.5, delta),
            lambda: spins.f_delta([1.0, 0.1], delta, 1.0),
            lambda: spins.annealed_redundancy([0.5], 0.5, delta),
            lambda: spins.discretised_redundancy(4, [0.5], delta),
        ):
            with pytest.raises(ValueError, match=msg):
                call()

    def test_p(self) -> None:
        with pytest.raises(ValueError, match=r"p must be in \[0, 1\]"):
            spins.info_pure_environment(1.5, None, [0.5], [0])
        with pytest.raises(ValueError, match=r"p must be in \[0, 1\]"):
            spins.fragment_average_deficit([0.5], -0.1)
        for call in (
            lambda: spins.expansion_constant(0.0),
            lambda: spins.identical_redundancy(0.5, 1.0, 0.1),
            lambda: spins.redundancy_expansion(4, 0.5, 0.1, 1.0),
        ):
            with pytest.raises(ValueError, match=r"no missing information \(p in \{0,1\}\)"):
                call()

    def test_system_coherence(self) -> None:
        with pytest.raises(ValueError, match="system state is not positive"):
            spins.SpinEnvironment(p=0.3, c=0.5)
        with pytest.raises(ValueError, match="system state is not positive"):
            spins.information_curve(0.3, 0.46, [0.5])

    def test_fragment(self) -> None:
        for frag in ([0, 0], [3], [-1], [1.5]):
            with pytest.raises(ValueError, match="invalid fragment"):
                spins.info_pure_environment(0.5, None, [0.1, 0.2, 0.3], frag)

    def test_sizes(self) -> None:
        with pytest.raises(ValueError, match="equal length"):
            spins.SpinEnvironment(g=[1.0, 2.0], a=[0.5, 0.5, 0.5])
        with pytest.raises(ValueError, match="n_env"):
            spins.SpinEnvironment.identical(0)
        with pytest.raises(ValueError, match="m_max must be <= N"):
            spins.fragment_average_deficit([0.5, 0.5], 0.5, m_max=3)

    def test_bandwidth(self) -> None:
        with pytest.raises(ValueError, match="bandwidth must be positive"):
            spins.random_band_chernoff(0.0, 1.0)

    def test_receptivity(self) -> None:
        with pytest.raises(ValueError, match="receptivity must be positive"):
            spins.onset_time(1.0, 0.1, alpha=0.0)
        with pytest.raises(ValueError, match="receptivity must be positive"):
            spins.gaussian_redundancy(1.0, 1.0, 0.1, alpha=-1.0)


class TestNonErrors:
    def test_any_real_time_and_t_zero(self) -> None:
        env = spins.SpinEnvironment(a=0.7, theta=1.0, g=[0.3, 0.5])
        assert spins.typical_chernoff(env, 0.0) == 0.0
        assert spins.typical_chernoff(env, -2.0) == pytest.approx(
            spins.typical_chernoff(env, 2.0), abs=1e-15
        )
        assert spins.random_band_chernoff(1.0, 0.0) == 0.0

    def test_infinite_xi_and_zero_redundancy(self) -> None:
        assert spins.spin_chernoff(1.0, math.pi / 2, 0.0, 0.5, 0.0, math.pi / 2) == math.inf
        assert spins.redundancy_qcb(10, 0.0, 0.1) == 0.0
        assert spins.redundancy_from_curve([1.0, 0.9, 0.8], 0.1, 1.0, 2) == (0.0, 0.0)


class TestClaimsRecipe:
    def test_all_claims_pass(self) -> None:
        from qdarwin.figures.spins import RECIPES
        from qdarwin.figures.spins.claims_table import RECIPE

        assert RECIPE in RECIPES and RECIPE.plot is None
        result = RECIPE.compute(RECIPE.params(False), None)
        claims = RECIPE.claims(result)
        assert len(claims) >= 30
        failed = [c.key for c in claims if not c.passed]
        assert failed == []
        assert all(c.key.startswith("spins/ref/") for c in claims)
