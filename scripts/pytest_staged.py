"""Run pytest against a staged copy of the package (e.g. a sanitizer build) instead of the
editable install in .venv.  usage: python scripts/pytest_staged.py STAGE_DIR [pytest args]"""

from __future__ import annotations

import sys

stage, args = sys.argv[1], sys.argv[2:]
# The editable install puts a finder in front of sys.meta_path; drop it so STAGE_DIR wins.
sys.meta_path[:] = [f for f in sys.meta_path if "ScikitBuild" not in type(f).__name__]
sys.path.insert(0, stage)
for module in [m for m in sys.modules if m == "tradeengine" or m.startswith("tradeengine.")]:
    del sys.modules[module]

import pytest  # noqa: E402

import tradeengine  # noqa: E402

if not tradeengine.__file__.startswith(stage) and stage not in tradeengine.__file__:
    sys.exit(f"pytest_staged: imported {tradeengine.__file__}, not the staged package in {stage}")
sys.exit(pytest.main(args))
