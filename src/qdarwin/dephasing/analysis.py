"""One-call analyses behind ``qdarwin dephasing check``, ``fit`` and ``limits`` (JSON-ready reports).

They combine :func:`~qdarwin.dephasing.check_constraints`, :func:`~qdarwin.dephasing.margin_uncertainty`,
:func:`~qdarwin.dephasing.bootstrap_p_value`, :func:`~qdarwin.dephasing.invert_rates` and
:func:`~qdarwin.dephasing.fit_coherence`; see ``docs/dephasing.md``.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from math import comb

from .._checks import as_real_array, check_int, check_nonnegative
from .._typing import Progress
from .constraints import check_constraints, margin_uncertainty
from .fitting import fit_coherence
from .nearest import bootstrap_p_value, invert_rates
from .speed_limits import hamming_eigenvalues, krawtchouk, two_qubit_limits, two_qubit_rates


def analyse_rates(
    gamma: Any,
    omega: Any = None,
    sigma_gamma: Any = None,
    sigma_omega: Any = None,
    *,
    project: bool = True,
    bootstrap: int = 0,
    seed: int = 0,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Constraint check, margin uncertainty, bootstrap and canonical operators in one report.

    The report behind ``qdarwin dephasing check`` (a JSON-ready dict): the fields of
    :class:`~qdarwin.dephasing.ConstraintReport`; with ``sigma_gamma`` the delta-method
    ``margin_sigma`` and ``margin_z``; with ``bootstrap > 0`` draws the parametric-bootstrap
    p-value (``rng = numpy.random.default_rng(seed)``; ``progress(done, total, "bootstrap")``
    after each draw); the nearest physical data (``project``) and the canonical operators and
    Hamiltonian of the data (or of the nearest physical data). Rates in the input's units.

    Examples
    --------
    >>> rep = analyse_rates([[0, 1.0], [1.0, 0]])
    >>> rep["physical"], rep["canonical_rank"]
    (True, 1)
    """
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, (int, np.integer)) or bootstrap < 0:
        raise ValueError(f"bootstrap must be an integer >= 0, got {bootstrap!r}")
    rep = check_constraints(gamma, omega)
    out: dict[str, Any] = {
        "physical": rep.physical,
        "message": rep.message,
        "n_levels": int(np.shape(rep.gram)[0] + 1),
        "margin": rep.margin,
        "level_margins": rep.level_margins,
        "pivots": rep.pivots,
        "range_residuals": rep.range_residuals,
        "first_violation": rep.first_violation,
        "paper_constraint": rep.paper_constraint,
        "violating_direction": [[float(z.real), float(z.imag)] for z in rep.violating_direction],
        "lambda_min_G": rep.lambda_min_G,
        "tol": rep.tol,
    }
    w_g = w_o = None
    if sigma_gamma is not None:
        mu = margin_uncertainty(gamma, omega, sigma_gamma, sigma_omega)
        out["margin_sigma"], out["margin_z"] = mu.sigma, mu.z
        w_g = 1.0 / np.asarray(sigma_gamma, dtype=float) ** 2 if np.ndim(sigma_gamma) == 0 else None
        if np.ndim(sigma_gamma) == 2:
            sg = np.array(sigma_gamma, dtype=float)
            np.fill_diagonal(sg, 1.0)
            w_g = 1.0 / sg**2
        if omega is not None and sigma_omega is not None:
            so = np.array(sigma_omega, dtype=float) * np.ones(np.shape(gamma))
            np.fill_diagonal(so, 1.0)
            w_o = 1.0 / so**2
    if bootstrap > 0:
        if sigma_gamma is None or (omega is not None and sigma_omega is None):
            raise ValueError("--bootstrap needs sigma_gamma (and sigma_omega when omega is given) in the file")
        bs = bootstrap_p_value(
            gamma, omega, sigma_gamma, sigma_omega, n_boot=bootstrap, rng=np.random.default_rng(seed), progress=progress
        )
        out["bootstrap"] = {"p_value": bs.p_value, "distance": bs.distance, "n_boot": bootstrap, "seed": seed}
    inv = invert_rates(gamma, omega, project=project, weights_gamma=w_g, weights_omega=w_o)
    if inv.projected_gamma is not None:
        out["nearest_physical"] = {"gamma": inv.projected_gamma, "omega": inv.projected_omega, "distance": inv.distance}
    if inv.V is not None:
        out["canonical_operators"] = [[[float(z.real), float(z.imag)] for z in row] for row in inv.V]
        out["canonical_rank"] = inv.rank
        out["hamiltonian"] = inv.h
        out["canonical_of"] = "data" if inv.physical else "nearest physical data"
    return out


MAX_SERIES_LEVELS = 4096  #: most levels analyse_series builds (n x n rate matrices and a Gram check)


def analyse_series(n_levels: int, pairs: Mapping[tuple[int, int], Mapping[str, Any]], *, project: bool = True) -> dict[str, Any]:
    """Fit every coherence, then check and invert the fitted rates (``qdarwin dephasing fit``).

    ``pairs`` maps ``(m, n)`` (m < n) to ``{"t": times, "z": complex coherences, "sigma": errors
    or None}`` (see :func:`qdarwin.io.tables.load_series_file`). Negative rate estimates are
    clipped to 0 for the check (the fits themselves are reported unclipped under ``"fit"``);
    zero standard errors are replaced by the largest one. Returns the :func:`analyse_rates`
    report plus ``"fit"``.
    """
    n = check_int(n_levels, "n_levels", minimum=2, maximum=MAX_SERIES_LEVELS)
    if not isinstance(pairs, Mapping):
        raise ValueError(f"pairs: expected a mapping (m, n) -> {{'t', 'z', 'sigma'}}, got {type(pairs).__name__}")
    g, om, sg, so = (np.zeros((n, n)) for _ in range(4))
    chi = np.zeros((n, n))
    for key, d in pairs.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            raise ValueError(f"pairs: keys must be level pairs (m, n), got {key!r:.40}")
        m, k = (check_int(v, f"pairs key {key!r:.40}", minimum=0, maximum=n - 1) for v in key)
        if m == k:
            raise ValueError(f"pairs: key {key!r} pairs a level with itself")
        if not isinstance(d, Mapping) or "t" not in d or "z" not in d:
            raise ValueError(f"pairs[{key!r}]: expected a mapping with 't' (times) and 'z' (coherences)")
        f = fit_coherence(d["t"], d["z"], d.get("sigma"))
        g[m, k] = g[k, m] = f.gamma
        om[m, k], om[k, m] = f.omega, -f.omega
        sg[m, k] = sg[k, m] = f.sigma_gamma
        so[m, k] = so[k, m] = f.sigma_omega
        chi[m, k] = chi[k, m] = f.chi2_red
    fits = {"gamma": g, "omega": om, "sigma_gamma": sg, "sigma_omega": so, "chi2_red": chi}
    g_check = np.clip(g, 0.0, None)
    sg_safe = np.where(sg > 0, sg, np.max(sg) if np.max(sg) > 0 else 1.0)
    so_safe = np.where(so > 0, so, np.max(so) if np.max(so) > 0 else 1.0)
    res = analyse_rates(g_check, om, sg_safe, so_safe, project=project)
    res["fit"] = fits
    return res


def _linear_form(coef: list[int]) -> str:
    """``coef[d-1]`` multiplies the rate factor of Hamming distance d: 1 for d = 1, else mu_{d-1}."""
    terms = []
    for d, c in list(enumerate(coef, start=1))[1:] + [(1, coef[0])]:
        if c == 0:
            continue
        mag = str(abs(c)) if d == 1 else ("" if abs(c) == 1 else f"{abs(c)} ")
        name = "" if d == 1 else f"mu_{d - 1}"
        sign = "-" if c < 0 else "+"
        terms.append(f"{sign} {mag}{name}")
    text = " ".join(terms).lstrip("+ ").strip() or "0"
    return text if not text.startswith("- ") else "-" + text[2:]


def limits_report(
    qubits: int,
    mu: Sequence[float] | None = None,
    gamma: float = 1.0,
    *,
    gamma_b: float | None = None,
    gamma14: float | None = None,
    gamma23: float | None = None,
) -> dict[str, Any]:
    """Speed limits for n qubits with Hamming-distance rates: the report of ``qdarwin dephasing limits``.

    Naming as in Oi and Schirmer's Fig. 3: coherences differing in one bit decay at ``gamma``,
    in k+1 bits at ``mu_k gamma``; ``mu = [mu_1, ..., mu_(n-1)]``. The report has the n linear
    constraints ``e_w >= 0`` as text, the weight eigenvalues and margin (with ``mu``), and for two
    qubits the allowed region of (Gamma14, Gamma23) and the check of a given point.

    Examples
    --------
    >>> rep = limits_report(3, [1.5, 1.0])
    >>> rep["hamming_constraints"][0], rep["margin"], rep["physical"]
    ('mu_1 + mu_2 - 1 >= 0', -0.5, False)
    """
    qubits = check_int(qubits, "qubits", minimum=1, maximum=64)
    gamma = check_nonnegative(gamma, "gamma")
    out: dict[str, Any] = {"qubits": qubits, "gamma": gamma}
    ineq = [
        _linear_form([-krawtchouk(k, w, qubits) for k in range(1, qubits + 1)]) + " >= 0" for w in range(1, qubits + 1)
    ]
    out["hamming_constraints"] = ineq
    if qubits == 2:
        lim = two_qubit_limits(gamma, gamma_b=gamma_b)
        out["two_qubit_region"] = lim.statement()
        if (gamma14 is None) != (gamma23 is None):
            raise ValueError("give both gamma14 and gamma23 (--gamma14, --gamma23)")
        if gamma14 is not None and gamma23 is not None:
            rep = check_constraints(two_qubit_rates(gamma, gamma14, gamma23, gamma_b=gamma_b))
            out["two_qubit_point"] = {
                "gamma14": gamma14, "gamma23": gamma23, "allowed": lim.allowed(gamma14, gamma23),
                "margin": rep.margin, "message": rep.message,
            }
    elif gamma_b is not None or gamma14 is not None or gamma23 is not None:
        raise ValueError("gamma_b, gamma14 and gamma23 (--gamma-b, --gamma14, --gamma23) apply to two qubits only")
    if mu is not None:
        mu = [float(x) for x in as_real_array(mu, "mu").reshape(-1)]
        if len(mu) != qubits - 1:
            raise ValueError(f"--mu: give {qubits - 1} value(s) mu_1 ... mu_{qubits - 1} (rates of 2 ... {qubits}-bit coherences), got {len(mu)}")
        mus = [1.0, *mu]
        e = hamming_eigenvalues(qubits, mus, gamma)
        out["mu"] = list(mu)
        out["rate_factors_by_distance"] = mus
        e = np.round(e, 12) + 0.0
        out["eigenvalues"] = [{"weight": w, "multiplicity": comb(qubits, w), "value": float(e[w - 1])} for w in range(1, qubits + 1)]
        out["margin"] = float(e.min())
        out["physical"] = bool(e.min() >= -1e-12 * max(1.0, abs(gamma) * max(mus)))
    return out


__all__ = ["analyse_rates", "analyse_series", "limits_report"]
