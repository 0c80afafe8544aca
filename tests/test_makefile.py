"""`make run` installs only what the site needs; the test tools come with `make test`."""

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# pypdf is not one of them: the site joins the all-debtors receipts PDF with it.
TEST_TOOLS = {"pytest", "playwright", "hypothesis", "ruff", "aiosmtpd", "pytest-httpserver"}


def planned(target: str, tmp_path: Path) -> str:
    """What `make TARGET` would run in a fresh clone (no environment yet), without running it."""
    result = subprocess.run(
        ["make", "-n", f"VENV={tmp_path / 'venv'}", target],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def pinned(requirements: str) -> set[str]:
    names = set()
    for line in (REPO / requirements).read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)(\[[^]]*\])?==", line)
        if match:
            names.add(match.group(1).lower())
    return names


def test_make_run_installs_requirements_txt_only_and_it_holds_no_test_tool(tmp_path):
    plan = planned("run", tmp_path)
    assert "pip install" in plan and "-r requirements.txt" in plan
    assert "requirements-dev.txt" not in plan
    assert not pinned("requirements.txt") & TEST_TOOLS


def test_make_test_adds_the_test_tools(tmp_path):
    plan = planned("test", tmp_path)
    assert "-r requirements-dev.txt" in plan
    assert pinned("requirements-dev.txt") >= TEST_TOOLS
