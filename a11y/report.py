"""The sweep's report: ``var/a11y/report.json``, ``var/a11y/report.html`` and a summary line."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from html import escape
from pathlib import Path

from django.conf import settings

from .routes import ROLES, skipped_routes
from .sweep import Check

REPORT_DIR = Path(settings.BASE_DIR) / "var" / "a11y"


def summary(checks: Sequence[Check], seconds: float | None = None) -> str:
    routes = {c.route for c in checks}
    languages = sorted({c.language for c in checks}, key=["fi", "sv", "en"].index)
    seen = {c.role for c in checks}
    roles = [role for role in ROLES if role in seen] + sorted(seen - set(ROLES))
    product = sum(len(c.violations) for c in checks if not c.admin)
    admin_serious = sum(len(c.failing) for c in checks if c.admin)
    admin_other = sum(len(c.violations) - len(c.failing) for c in checks if c.admin)
    csp = sum(len(c.csp) for c in checks)
    structure = sum(len(c.structure) for c in checks)
    broken = sum(1 for c in checks if c.status != c.expected_status or c.error)
    on_product = sum(1 for c in checks if not c.admin)
    in_error_state = sum(1 for c in checks if c.state)
    line = (
        f"a11y sweep: {len(checks)} page × language × role combinations checked "
        f"({on_product} of product pages, {len(checks) - on_product} of admin pages, "
        f"{in_error_state} of them forms in a state with errors; {len(routes)} routes, "
        f"languages: {', '.join(languages)}, roles: {', '.join(roles)}), "
        f"{product} violations on product pages, "
        f"{admin_serious} serious/critical on admin pages ({admin_other} moderate/minor), "
        f"{csp} CSP violations, {structure} structure problems"
    )
    if broken:
        line += f", {broken} pages not opened (an unexpected status or an error)"
    if seconds is not None:
        line += f", {seconds:.0f} s"
    return line


def _by_rule(checks: Sequence[Check]) -> list[tuple[str, str, bool, int, int, list[str]]]:
    """(rule, impact, admin, pages, nodes, example urls) for every rule that was violated."""
    pages: Counter[tuple[str, str, bool]] = Counter()
    nodes: Counter[tuple[str, str, bool]] = Counter()
    examples: defaultdict[tuple[str, str, bool], list[str]] = defaultdict(list)
    for check in checks:
        for violation in check.violations:
            key = (violation.rule, violation.impact or "", check.admin)
            pages[key] += 1
            nodes[key] += violation.nodes
            if len(examples[key]) < 3:
                examples[key].append(f"{check.url} ({check.role})")
    return [(*key, pages[key], nodes[key], examples[key]) for key in sorted(pages)]


def write(
    checks: Sequence[Check],
    directory: Path = REPORT_DIR,
    seconds: float | None = None,
    refused: Mapping[str, str] | None = None,
) -> str:
    """Write the JSON and HTML reports into ``directory`` and return the summary line."""
    directory.mkdir(parents=True, exist_ok=True)
    line = summary(checks, seconds)
    data = {
        "summary": line,
        "seconds": seconds,
        "skipped": {**skipped_routes(), **(refused or {})},
        "checks": [
            {**asdict(c), "ok": c.ok, "violations": [{**asdict(v), "nodes": v.nodes} for v in c.violations]}
            for c in checks
        ],
    }
    (directory / "report.json").write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    (directory / "report.html").write_text(
        _html(checks, line, {**skipped_routes(), **(refused or {})}), encoding="utf-8"
    )
    return line


def _html(checks: Sequence[Check], line: str, skipped: Mapping[str, str]) -> str:
    rows = []
    for c in checks:
        found = ", ".join(f"{v.rule} ({v.impact}, {v.nodes})" for v in c.violations) or "none"
        problems = "; ".join([*c.csp, *c.structure, *([c.error] if c.error else [])]) or "none"
        rows.append(
            "<tr>"
            f"<th scope='row'><a href='{escape(c.url)}'>{escape(c.url)}</a></th>"
            f"<td>{escape(c.route)}</td><td>{escape(c.language)}</td><td>{escape(c.role)}</td>"
            f"<td>{escape(c.state) or 'page'}</td><td>{'admin' if c.admin else 'product'}</td>"
            f"<td>{c.status}</td><td>{escape(found)}</td><td>{escape(problems)}</td>"
            f"<td>{'pass' if c.ok else 'FAIL'}</td></tr>"
        )
    rules = [
        "<tr>"
        f"<th scope='row'>{escape(rule)}</th><td>{escape(impact)}</td><td>{'admin' if admin else 'product'}</td>"
        f"<td>{n_pages}</td><td>{n_nodes}</td><td>{escape('; '.join(examples))}</td></tr>"
        for rule, impact, admin, n_pages, n_nodes, examples in _by_rule(checks)
    ]
    rule_table = (
        "<table><caption>Violations by rule</caption><thead><tr><th scope='col'>Rule</th>"
        "<th scope='col'>Impact</th><th scope='col'>Pages of</th><th scope='col'>Page checks</th>"
        "<th scope='col'>Elements</th><th scope='col'>Examples</th></tr></thead><tbody>"
        + "".join(rules)
        + "</tbody></table>"
        if rules
        else "<p>No rule was violated.</p>"
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>Accessibility sweep – Asiointi</title></head><body><main>"
        "<h1>Accessibility sweep</h1>"
        f"<p>{escape(line)}</p>"
        "<p>axe-core 4.14.1, WCAG 2.0 and 2.1, levels A and AA, in Chromium. Product pages fail on any "
        "violation; Django's admin pages on serious or critical ones.</p>"
        "<h2>Violations by rule</h2>"
        f"{rule_table}"
        "<h2>Routes not checked</h2><ul>"
        + "".join(
            f"<li><code>{escape(name)}</code>: {escape(why)}</li>" for name, why in sorted(skipped.items())
        )
        + "</ul><h2>Every check</h2>"
        "<table><caption>Pages, languages and roles checked</caption><thead><tr>"
        "<th scope='col'>URL</th><th scope='col'>Route</th><th scope='col'>Language</th>"
        "<th scope='col'>Role</th><th scope='col'>State</th><th scope='col'>Kind</th>"
        "<th scope='col'>HTTP status</th><th scope='col'>Violations (impact, elements)</th>"
        "<th scope='col'>CSP violations, structure problems and errors</th><th scope='col'>Result</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></main></body></html>\n"
    )
