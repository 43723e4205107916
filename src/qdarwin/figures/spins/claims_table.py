"""Claims-only recipe: the spin-environment reference values (docs/theory-spins.md#reference-values).

Every number is recomputed through the public :mod:`qdarwin.spins` API and compared with the
reference value (tolerance 1e-9 absolute unless stated otherwise). No figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._recipe import Claim, FigureRecipe, Progress, cite, claim_close, claim_true

SOURCE = cite("spins", page="theory-spins.md#reference-values")
PREFIX = "spins/ref/"
T0 = 15 * math.pi / 64


@dataclass(frozen=True)
class ClaimsParams:
    """No tunable parameters: the inputs are those of the reference-value table."""

    atol: float = 1e-9
    maclaurin_seed: int = 2016  #: seed of the N = 64 Gaussian-coupling realisation (Maclaurin fact, docs/theory-spins.md#facts-checked-numerically)


@dataclass(frozen=True)
class ClaimsResult:
    """Computed values keyed by claim id (``values[key] = (expected, computed, atol, rtol, text)``)."""

    values: dict[str, tuple[float, float, float, float, str]] = field(default_factory=dict)
    facts: list[tuple[str, str, str, bool, Any]] = field(default_factory=list)


def params(full: bool) -> ClaimsParams:
    """Quick and full mode are identical (every value is cheap)."""
    return ClaimsParams()


def compute(p: ClaimsParams, progress: Progress = None) -> ClaimsResult:
    """Recompute every reference-value row through the public API."""
    from ...spins import averaging, chernoff, exact, model, redundancy

    v: dict[str, tuple[float, float, float, float, str]] = {}
    tol = p.atol

    def put(
        key: str, text: str, expected: float, computed: float, atol: float = tol, rtol: float = 0.0
    ) -> None:
        v[key] = (expected, float(computed), atol, rtol, text)

    total = 14
    step = 0

    def tick(desc: str) -> None:
        nonlocal step
        step += 1
        if progress is not None:
            progress(step, total, desc)

    # rows 1-3: single-spin Chernoff information
    put(
        "row1/xi",
        "xi single spin (a=1, theta=pi/2, g=0.5, omega=0, t0) [nats]",
        0.599641227094,
        chernoff.spin_chernoff(1.0, math.pi / 2, 0.0, 0.5, 0.0, T0),
    )
    put(
        "row2/xi",
        "xi single spin (a=11/16, theta=pi/3, phi=0.4, omega=0, t0) [nats]",
        0.0971899572711,
        chernoff.spin_chernoff(11 / 16, math.pi / 3, 0.4, 0.5, 0.0, T0),
    )
    put(
        "row3/xi",
        "xi single spin (a=1, theta=1, phi=0.3, omega=pi/2, t0) [nats]",
        0.277642534983,
        chernoff.spin_chernoff(1.0, 1.0, 0.3, 0.5, math.pi / 2, T0),
    )
    tick("single-spin Chernoff")
    # row 4: decoherence factor
    gam = model.decoherence_factor(model.bloch_state(0.8, 1.2, 0.5), 0.7, 0.3, 1.1)
    put(
        "row4/gamma-re",
        "Re gamma_k (a=0.8, theta=1.2, phi=0.5, g=0.7, omega=0.3, t=1.1)",
        0.066902532597,
        gam.real,
    )
    put("row4/gamma-im", "Im gamma_k (same inputs)", -0.407942850636, gam.imag)
    tick("decoherence factor")
    # row 5: insensitive axis and f
    axis = np.asarray(chernoff.insensitive_axis(0.5, math.pi / 2, T0))
    axis = axis * (1.0 if axis[2] >= 0 else -1.0)
    for i, (name, val) in enumerate((("x", 0.0), ("y", 0.931197586289), ("z", 0.364514821768))):
        put(
            f"row5/axis-{name}",
            f"insensitive axis m_{name} (g=0.5, omega=pi/2, t0; sign fixed m_z >= 0)",
            val,
            axis[i],
        )
    put(
        "row5/f",
        "field factor f (g=0.5, omega=pi/2, t0)",
        0.296960773274,
        chernoff.field_factor_f(0.5, math.pi / 2, T0),
    )
    tick("insensitive axis")
    # rows 6-7: Gaussian regime
    g0 = 2.0
    tau = redundancy.decoherence_time(moments=g0**2 / 3.0, theta=math.pi / 2)
    put("row6/tau_D", "tau_D for G uniform on [-2, 2], theta = pi/2", 0.433012701892, tau)
    put(
        "row7/t_star",
        "onset time t* (tau_D = sqrt(3)/4, delta = 1e-16, alpha = 1)",
        3.71692218885,
        redundancy.onset_time(tau, 1e-16, 1.0),
    )
    tick("Gaussian regime")
    # row 8: random band
    lam1 = chernoff.mixedness_lambda(1.0)
    xi_band = redundancy.random_band_chernoff(1.0, 1.0, lam1, math.pi / 2)
    put(
        "row8/xi_qcb",
        "random band xi_QCB, log of mean (W=1, t=1, a=1) [nats]",
        0.902881814361,
        xi_band,
    )
    put(
        "row8/R",
        "random band R (N=32, delta=1e-10)",
        1.25477308732,
        redundancy.redundancy_qcb(32, xi_band, 1e-10),
    )
    put(
        "row8/mean_of_logs",
        "random band mean of logs [nats]",
        1.88543624267,
        redundancy.random_band_mean_of_logs(1.0, 1.0, lam1, math.pi / 2),
    )
    tick("random band")
    # row 9: pure-environment information
    env = model.SpinEnvironment(
        a=1.0,
        theta=[math.pi / 2, 1.0, 2.0, math.pi / 3],
        phi=[0.0, 0.5, 1.0, 2.0],
        g=[0.3, 0.7, 1.1, 0.5],
        omega=[0.0, 0.4, 0.0, 0.9],
        p=0.3,
        c=math.sqrt(0.21),
    )
    gabs = np.abs(model.decoherence_factors(env, 0.8))
    info = exact.info_pure_environment(env.p, env.c, gabs, [0, 2])
    put("row9/I", "pure-env I(S:F), F = {0, 2} [bits]", 1.07566103833, info.I)
    put("row9/chi", "pure-env chi(Pi_S:F) [bits]", 0.776252296903, info.chi)
    put("row9/discord", "pure-env discord [bits]", 0.299408741431, info.discord)
    tick("pure-environment information")
    # rows 10-11: permutation-symmetric method (spins/symmetric.py)
    from ...spins.symmetric import symmetric_environment_info

    s10 = symmetric_environment_info(6, 6, 0.6, math.pi / 2, 0.0, 1.0, 0.0, math.pi / 8, 0.5)
    put(
        "row10/chi",
        "identical mixed (Schur-Weyl) chi, m=N=6, a=0.6 [bits]",
        0.574597650897,
        s10.chi,
    )
    put("row10/I", "identical mixed I [bits]", 1.56329705919, s10.I)
    put("row10/deficit", "identical mixed H2(p) - chi [bits]", 0.425402349103, s10.deficit)
    s11 = symmetric_environment_info(3, 6, 0.8, 1.0, 0.2, 0.7, 0.5, 1.3, 0.3, math.sqrt(0.21))
    put(
        "row11/chi",
        "identical mixed chi, m=3, N=6, a=0.8, omega=0.5, p=0.3 [bits]",
        0.674231461215,
        s11.chi,
    )
    put("row11/I", "identical mixed I [bits]", 0.676333938401, s11.I)
    tick("symmetric method")
    # row 12: identical pure spins
    r_exact, _ = exact.identical_redundancy(0.8, 0.5, 1e-10)
    put(
        "row12/exact",
        "R/N identical pure spins, x=0.8, p=1/2, delta=1e-10 (rel 1e-8)",
        0.00983045162123,
        r_exact,
        atol=0.0,
        rtol=1e-8,
    )
    put(
        "row12/qcb",
        "R/N QCB estimate",
        0.00969100130081,
        redundancy.redundancy_qcb(1, -math.log(0.8), 1e-10),
    )
    r_exp = redundancy.redundancy_expansion(1, 0.8, 1e-10, 0.5)
    put(
        "row12/expansion",
        "R/N small-delta expansion vs exact (relative difference O(delta))",
        r_exact,
        r_exp,
        atol=0.0,
        rtol=10 * 1e-10,
    )
    tick("identical pure spins")
    # row 13 and other anchors
    put("row13/C", "expansion constant C(1/8)", 1.32769070622, redundancy.expansion_constant(0.125))
    put(
        "anchor/C-half", "C(1/2) = ln 4", 1.386294361, redundancy.expansion_constant(0.5), atol=1e-9
    )
    put(
        "anchor/gauss-qcb-t10",
        "Gaussian-regime estimate R at t = 10",
        14.476483,
        redundancy.gaussian_redundancy(10.0, tau, 1e-16),
        atol=1e-6,
    )
    put(
        "anchor/gauss-exact-t10",
        "Gaussian N = inf exact Holevo R at t = 10",
        14.605979,
        averaging.gaussian_exact_redundancy(10.0, tau, 1e-16, 0.5),
        atol=1e-6,
    )
    ratio = math.log(1e16) / -math.log(exact.threshold_overlap(0.5, 1e-16))
    put(
        "anchor/gauss-exact-over-qcb",
        "Gaussian N = inf exact/QCB ratio, p = 1/2, delta = 1e-16 (reference quotes 1.008946)",
        1.008946,
        ratio,
        atol=1e-6,
    )
    tick("anchors")
    # Maclaurin fact: finite-N exact redundancy >= QCB estimate (N = 64, Gaussian couplings)
    rng = np.random.default_rng(p.maclaurin_seed)
    n = 64
    genv = model.SpinEnvironment(g=rng.uniform(-2.0, 2.0, n) / math.sqrt(n))
    x = np.abs(model.decoherence_factors(genv, 3.0)) ** 2
    d = averaging.fragment_average_deficit(x, 0.5).deficit
    _, r_cont = averaging.redundancy_from_curve(d, 1e-6, 1.0, n)
    r_q = redundancy.redundancy_qcb(n, chernoff.typical_chernoff(genv, 3.0), 1e-6)
    facts = [
        (
            "fact/maclaurin",
            "exact finite-N R_delta (continuous) >= QCB estimate, N=64, t=3, delta=1e-6",
            "exact >= QCB (reference example 3.39 vs 2.98)",
            bool(r_cont >= r_q),
            f"{r_cont:.4f} vs {r_q:.4f}",
        )
    ]
    tick("Maclaurin fact")
    return ClaimsResult(v, facts)


def claims(result: ClaimsResult) -> list[Claim]:
    """One claim per reference-value entry, anchor and Maclaurin fact (keys ``spins/ref/...``)."""
    out = [
        claim_close(f"{PREFIX}{k}", text, exp, comp, atol=atol, rtol=rtol, source=SOURCE)
        for k, (exp, comp, atol, rtol, text) in result.values.items()
    ]
    out += [
        claim_true(f"{PREFIX}{k}", q, e, ok, w, criterion="R_exact(continuous F) >= R_QCB", source=cite("spins", page="theory-spins.md#facts-checked-numerically"))
        for k, q, e, ok, w in result.facts
    ]
    return out


RECIPE = FigureRecipe(
    name="spec_reference_values",
    pillar="spins",
    title="Spin environments: reference values",
    params=params,
    compute=compute,
    plot=None,
    claims=claims,
)

__all__ = ["RECIPE", "ClaimsParams", "ClaimsResult", "claims", "compute", "params"]
