"""``python -m a11y``: run the accessibility sweep through pytest and write the report."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    return int(
        pytest.main(
            [
                "-p",
                "no:cacheprovider",
                "-m",
                # The video tests run in a network namespace of their own (make video).
                "a11y and not video",
                "--ds=a11y.settings",
                f"--rootdir={here.parent}",
                str(here / "tests"),
                *argv,
            ]
        )
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
