"""The import-linter contracts of pyproject.toml (run by `make lint`) hold today, and a planted
back-arrow breaks them: each test copies the code into a temporary folder, adds one module that
imports against the layering, and runs ``lint-imports`` on the copy."""

from __future__ import annotations

import os
import shutil
import subprocess  # runs lint-imports of our own virtual environment  # nosec B404
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy(tmp_path: Path) -> Path:
    """The Python code and pyproject.toml, without templates, static files or catalogues."""
    skip = shutil.ignore_patterns("__pycache__", "static", "templates", "*.txt", "*.json", "*.toml")
    for package in ("asiointi", "config"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=skip)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own lint-imports on our own copy)  # nosec B603
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_lint_imports__code_as_it_is__keeps_every_contract(tmp_path):
    result = _lint(_copy(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "source", "contract", "arrow"),
    [
        (
            "asiointi/core/back_arrow.py",
            "from asiointi.network import models\n",
            "Apps import only the apps below them BROKEN",
            "asiointi.core.back_arrow -> asiointi.network.models",
        ),
        (
            "asiointi/network/back_arrow.py",
            "from asiointi.accounts import selectors\n",
            "Apps import only the apps below them BROKEN",
            "asiointi.network.back_arrow -> asiointi.accounts.selectors",
        ),
        (
            "asiointi/catalogue/back_arrow.py",
            "from asiointi.accounts import models\n",  # siblings in one layer stay apart
            "Apps import only the apps below them BROKEN",
            "asiointi.catalogue.back_arrow -> asiointi.accounts.models",
        ),
        (
            "asiointi/ledger/back_arrow.py",
            "from asiointi.demo import loader\n",
            "Demo data is imported only by the demo app itself and by tests BROKEN",
            "asiointi.ledger.back_arrow -> asiointi.demo.loader",
        ),
    ],
)
def test_lint_imports__planted_back_arrow__breaks_the_contract(tmp_path, module, source, contract, arrow):
    root = _copy(tmp_path)
    (root / module).write_text(source)

    result = _lint(root)

    assert result.returncode == 1, result.stdout + result.stderr
    assert contract in result.stdout
    assert arrow in result.stdout
