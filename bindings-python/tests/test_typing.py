"""The stubs type real use: `mypy --strict` on `typing/usage.py` reports exactly the lines
marked `# E:` and nothing else."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mypy")

HERE = Path(__file__).resolve().parent


def test_mypy_reports_exactly_the_marked_mistakes() -> None:
    usage = HERE / "typing" / "usage.py"
    expected = {i for i, line in enumerate(usage.read_text().splitlines(), 1) if "# E:" in line}
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file",
         str(HERE.parent / "mypy.ini"), str(usage)],
        capture_output=True, text=True, cwd=HERE.parent, timeout=600)
    reported = {int(m.group(1)) for m in re.finditer(r"usage\.py:(\d+): error", done.stdout)}
    assert reported == expected, done.stdout


def test_every_model_type_can_be_made_at_run_time() -> None:
    from airbyte_core.api import config_api, public_api

    for module in (public_api, config_api):
        for name in module._MODELS:
            assert getattr(module, name) is not None, name
    assert "status" in public_api.JobResponse.__annotations__
