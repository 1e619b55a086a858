"""Shared test setup."""

from __future__ import annotations

import os
from pathlib import Path

import xanoctl

REPO = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    if os.environ.get("XANOCTL_REQUIRE_INSTALLED"):
        package = Path(xanoctl.__file__).resolve().parent
        if REPO in package.parents:
            raise RuntimeError(f"tests imported xanoctl from the source tree ({package}), not the installed package")
