"""The browsable reproduction report ``results/index.html``.

One self-contained HTML page (inline CSS, no JavaScript, no network access) built from the same
data as ``claims.json``: a summary (claims passing, mode, version, date, machine, run time), a
list of failing claims with links, and per reproduced figure its PNG (linked to the PDF), caption,
the paper and figure it reproduces, and the table of its claims with PASS / FAIL highlighted.
Figure paths in the data are made relative to the page, so the results folder can be moved or
zipped as a whole.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from .results import write_text

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       max-width: 1250px; padding: 1.2em 2em 4em; color: #1d1d1f; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; margin-top: 2.2em; border-bottom: 2px solid #ddd; padding-bottom: 0.2em; }
.summary { display: grid; grid-template-columns: max-content 1fr; gap: 0.25em 1.2em;
           background: #f5f5f7; border-radius: 8px; padding: 0.9em 1.2em; }
.summary dt { font-weight: 600; color: #555; }
.summary dd { margin: 0; }
.banner { font-size: 1.25em; font-weight: 700; padding: 0.6em 1em; border-radius: 8px; margin: 0.8em 0; }
.banner.ok { background: #e3f6e5; color: #13621f; border: 2px solid #2e9e43; }
.banner.bad { background: #fde4e4; color: #8b0000; border: 3px solid #d11; }
.failures { background: #fff3f3; border: 2px solid #d11; border-radius: 8px; padding: 0.5em 1.2em; }
.failures li { margin: 0.2em 0; }
nav ol { columns: 2; column-gap: 3em; }
figure { margin: 1em 0; }
figure img { max-width: 100%; box-sizing: border-box; border: 1px solid #ddd; }
td { overflow-wrap: break-word; }
figcaption { color: #333; font-size: 0.95em; margin-top: 0.4em; white-space: pre-line; }
.meta { color: #555; font-size: 0.92em; }
table { border-collapse: collapse; width: 100%; font-size: 0.86em; margin-top: 0.6em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.45em; vertical-align: top; text-align: left; }
th { background: #eee; position: sticky; top: 0; }
td.num { font-family: ui-monospace, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
td.key { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.92em; }
td.status { font-weight: 700; text-align: center; white-space: nowrap; }
tr.PASS td.status { background: #d8f5dc; color: #13621f; }
tr.PASSs td.status { background: #fff1c2; color: #7a5a00; }
tr.FAIL td { background: #ffe0e0; }
tr.FAIL td.status { background: #d11; color: #fff; }
.note { display: block; color: #7a5a00; font-size: 0.92em; margin-top: 0.2em; }
.error { background: #d11; color: #fff; padding: 0.5em 1em; border-radius: 6px; font-weight: 600; }
.badge { display: inline-block; font-size: 0.8em; font-weight: 700; padding: 0.05em 0.5em;
         border-radius: 4px; margin-left: 0.4em; vertical-align: middle; }
.badge.ok { background: #d8f5dc; color: #13621f; }
.badge.bad { background: #d11; color: #fff; }
"""


def _e(x: Any) -> str:
    if isinstance(x, float):
        return html.escape(f"{x:.10g}")
    return html.escape(str(x))


def _wrap(x: Any) -> str:
    """Escaped text with break opportunities after '/' and '#' (keys, paths)."""
    return _e(x).replace("/", "/<wbr>").replace("#", "#<wbr>")


def _rel(path: str, base: Path) -> str:
    p = Path(path)
    try:
        return Path(os.path.relpath(p.resolve(), base.resolve())).as_posix()
    except ValueError:  # different drive on Windows
        return p.as_posix()


def _anchor(pillar: str, name: str) -> str:
    return f"{pillar}-{name}".replace("_", "-")


def report_html(data: dict[str, Any], *, base: str | os.PathLike[str] = ".") -> str:
    """Render the report page from claims data (the structure written to ``claims.json``).

    Parameters
    ----------
    data : dict
        ``{"mode", "provenance", "seconds", "recipes": [{"name", "pillar", "title", "caption",
        "paper", "seconds", "files", "error", "claims": [Claim.as_dict(), ...]}, ...]}``.
    base : path
        Folder the page will live in; figure paths are written relative to it.

    Returns
    -------
    str
        The HTML document.

    Examples
    --------
    >>> page = report_html({"mode": "quick", "recipes": [{"name": "f", "pillar": "spins", "title": "T",
    ...     "files": [], "claims": [{"key": "k", "quantity": "q", "expected": 1, "computed": 2,
    ...     "passed": False, "status": "FAIL"}]}]})
    >>> "0 / 1 claims pass" in page and 'class="FAIL"' in page
    True
    """
    basep = Path(base)
    recs = list(data.get("recipes", []))
    prov = dict(data.get("provenance", {}))
    claims = [c for r in recs for c in r.get("claims", [])]
    n_all = len(claims)
    n_pass = sum(bool(c.get("passed")) for c in claims)
    n_star = sum(c.get("status") == "PASS*" for c in claims)
    errors = [r for r in recs if r.get("error")]
    failing = [(r, c) for r in recs for c in r.get("claims", []) if not c.get("passed")]
    ok = not failing and not errors
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>qdarwin reproduction report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>qdarwin reproduction report</h1>",
        '<p class="meta">Each figure of the source papers regenerated through qdarwin\'s public API, '
        "next to the numbers it must reproduce. A claim compares a value quoted by the paper (or an "
        "independent reference computation) with the value computed in this run; the criterion column "
        "says exactly what decides PASS.</p>",
    ]
    cls = "ok" if ok else "bad"
    head = f"{n_pass} / {n_all} claims pass"
    if failing:
        head += f" &mdash; {len(failing)} FAIL"
    if errors:
        head += f" &mdash; {len(errors)} recipe error(s)"
    out.append(f'<div class="banner {cls}">{head}</div>')
    seconds = data.get("seconds")
    rows = [
        ("claims passing", f"{n_pass} of {n_all}" + (f" ({n_star} marked PASS*: pass only at the quoted precision, "
                                                      "see the note in the row)" if n_star else "")),
        ("claims failing", str(len(failing))),
        ("mode", f"{data.get('mode', '?')} (quick: reduced sizes, about a minute; full: published sizes)"),
        ("qdarwin version", f"{prov.get('qdarwin_version', '?')} (git {prov.get('git_hash', '?')})"),
        ("date (UTC)", prov.get("created_utc", "?")),
        ("machine", f"{prov.get('machine', '?')}, Python {prov.get('python_version', '?')}, "
                    f"NumPy {prov.get('numpy_version', '?')}, SciPy {prov.get('scipy_version', '?')}"),
        ("run time", f"{float(seconds):.1f} s" if isinstance(seconds, (int, float)) else "?"),
    ]
    out.append('<dl class="summary">')
    for k, v in rows:
        out.append(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>")
    out.append("</dl>")
    if failing or errors:
        out.append('<div class="failures"><h3>Failing claims and errors</h3><ul>')
        for r in errors:
            out.append(f'<li><a href="#{_anchor(r["pillar"], r["name"])}">{_e(r["pillar"])}/{_e(r["name"])}</a>: '
                       f"recipe error: {_e(r['error'])}</li>")
        for r, c in failing:
            out.append(f'<li><a href="#claim-{html.escape(str(c["key"]).replace("/", "-"))}"><code>{_e(c["key"])}</code></a>: '
                       f"{_e(c.get('quantity', ''))} &mdash; expected {_e(c.get('expected'))}, "
                       f"computed {_e(c.get('computed'))}</li>")
        out.append("</ul></div>")
    out.append("<nav><h3>Figures</h3><ol>")
    for r in recs:
        cs = r.get("claims", [])
        bad = sum(not c.get("passed") for c in cs) + bool(r.get("error"))
        badge = (f'<span class="badge bad">{bad} FAIL</span>' if bad
                 else f'<span class="badge ok">{len(cs)} pass</span>')
        out.append(f'<li><a href="#{_anchor(r["pillar"], r["name"])}">{_e(r["pillar"])}: {_e(r["title"])}</a>{badge}</li>')
    out.append("</ol></nav>")
    for r in recs:
        out.append(f'<section id="{_anchor(r["pillar"], r["name"])}">')
        out.append(f"<h2>{_e(r['pillar'])}: {_e(r['title'])}</h2>")
        meta = f"recipe <code>{_e(r['name'])}</code>"
        if r.get("paper"):
            meta = f"Reproduces: {_e(r['paper'])}. " + meta
        if isinstance(r.get("seconds"), (int, float)):
            meta += f", {float(r['seconds']):.1f} s"
        out.append(f'<p class="meta">{meta}</p>')
        if r.get("error"):
            out.append(f'<p class="error">ERROR: {_e(r["error"])}</p>')
        files = [str(f) for f in r.get("files", [])]
        pngs = [f for f in files if f.endswith(".png")]
        pdfs = [f for f in files if f.endswith(".pdf")]
        for png in pngs:
            src = _rel(png, basep)
            pdf = next((p for p in pdfs if p[:-4] == png[:-4]), None)
            img = f'<img src="{html.escape(src)}" alt="{_e(r["title"])}">'
            if pdf is not None:
                img = f'<a href="{html.escape(_rel(pdf, basep))}" title="open the PDF">{img}</a>'
            out.append("<figure>" + img)
            cap = r.get("caption") or ""
            links = f'PNG: <a href="{html.escape(src)}">{html.escape(src)}</a>'
            if pdf is not None:
                links += f' &middot; PDF: <a href="{html.escape(_rel(pdf, basep))}">{html.escape(_rel(pdf, basep))}</a>'
            out.append(f"<figcaption>{_e(cap)}\n{links}</figcaption></figure>")
        if not pngs and r.get("caption"):
            out.append(f"<p>{_e(r['caption'])}</p>")
        cs = r.get("claims", [])
        if cs:
            out.append("<table><thead><tr><th>claim</th><th>quantity</th><th>expected (paper)</th>"
                       "<th>computed</th><th>criterion / tolerance</th><th>result</th><th>source</th>"
                       "</tr></thead><tbody>")
            for c in cs:
                status = c.get("status") or ("PASS" if c.get("passed") else "FAIL")
                row_cls = {"PASS": "PASS", "PASS*": "PASSs"}.get(status, "FAIL")
                crit = c.get("criterion") or c.get("tolerance") or ""
                note = f'<span class="note">{_e(c["note"])}</span>' if c.get("note") else ""
                out.append(
                    f'<tr class="{row_cls}" id="claim-{html.escape(str(c["key"]).replace("/", "-"))}">'
                    f'<td class="key">{_wrap(c["key"])}</td><td>{_e(c.get("quantity", ""))}{note}</td>'
                    f'<td class="num">{_e(c.get("expected"))}</td><td class="num">{_e(c.get("computed"))}</td>'
                    f"<td>{_e(crit)}</td><td class=\"status\">{_e(status)}</td><td>{_wrap(c.get('source', ''))}</td></tr>"
                )
            out.append("</tbody></table>")
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_report(path: str | os.PathLike[str], data: dict[str, Any]) -> Path:
    """Write :func:`report_html` of ``data`` atomically to ``path`` (figure links relative to it).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_report(d / "index.html", {"mode": "quick", "recipes": []}).name
    'index.html'
    """
    p = Path(path)
    return write_text(p, report_html(data, base=p.parent))


__all__ = ["report_html", "write_report"]
