"""The accessibility and language gate: an automated sweep of every page with axe-core in Chromium.

``python -m a11y`` (or ``make a11y``) runs the sweep and writes ``var/a11y/report.{json,html}``.
"""
