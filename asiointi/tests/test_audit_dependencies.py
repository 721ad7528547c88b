"""The dependency audit (`make lint`) checks the pinned versions of requirements.lock and says
plainly when its vulnerability database could not be reached."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "audit_dependencies", ROOT / "scripts" / "audit_dependencies.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _answer(
    monkeypatch: pytest.MonkeyPatch, module: ModuleType, dependencies: list[dict[str, Any]]
) -> list[str]:
    seen: list[str] = []

    def run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        seen.extend(args)
        return subprocess.CompletedProcess(args, 0, json.dumps({"dependencies": dependencies}), "")

    monkeypatch.setattr(module.subprocess, "run", run)
    return seen


def test_audit__runs_against_the_lock_file_with_its_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    module = _script()
    seen = _answer(monkeypatch, module, [{"name": "django", "version": "6.1.3", "vulns": []}])

    assert module.main() == 0
    assert str(ROOT / "requirements.lock") in seen
    assert "--require-hashes" in seen
    assert "--disable-pip" in seen


def test_audit__database_unreachable__says_so_plainly_and_does_not_fail(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = _script()
    skipped = [
        {
            "name": "django",
            "skip_reason": "Dependency not found on PyPI and could not be audited: django (6.1.3)",
        }
    ]
    _answer(monkeypatch, module, skipped)

    assert module.main() == 0
    assert "NOT DONE: the vulnerability database could not be reached" in capsys.readouterr().out


def test_audit__known_vulnerability__fails_naming_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = _script()
    vulns = [{"id": "PYSEC-2026-1", "fix_versions": ["6.1.4"]}]
    _answer(monkeypatch, module, [{"name": "django", "version": "6.1.3", "vulns": vulns}])

    assert module.main() == 1
    assert "django 6.1.3: PYSEC-2026-1 (fixed in 6.1.4)" in capsys.readouterr().err


def test_lock_file__pins_every_package_with_hashes_and_names_no_index_or_local_path() -> None:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")

    pins = [line for line in text.splitlines() if line[:1].isalnum()]
    assert pins and all("==" in line for line in pins)
    assert text.count("--hash=sha256:") >= len(pins)
    for forbidden in ("--index-url", "--extra-index-url", "--find-links", "file:", "://"):
        assert forbidden not in text, forbidden
    assert re.search(r"(^|\s)/\w", text) is None, "an absolute path of the machine that wrote it"
    for name in ("django==", "pytest-xdist==", "uv=="):
        assert name in text.lower()
