"""The import-shape check (tools/check_imports.py, run by `make lint`) passes on snt/ and fails on a
cycle or an upward import."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "check_imports.py"


def run(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TOOL), str(root)], capture_output=True, text=True, check=False)


def make_package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "snt"
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_snt_has_no_cycles_and_no_upward_imports():
    result = run(ROOT / "snt")
    assert result.returncode == 0, result.stdout
    assert "no cycles, no upward imports" in result.stdout


def test_a_module_cycle_fails(tmp_path):
    root = make_package(tmp_path, {"money.py": "from snt import text\n", "text.py": "import snt.money\n"})
    result = run(root)
    assert result.returncode == 1
    assert "import cycle between modules: snt.money ↔ snt.text" in result.stdout


def test_a_cycle_between_parts_fails(tmp_path):
    root = make_package(
        tmp_path,
        {
            "payments/__init__.py": "",
            "payments/services.py": "from snt.imports.common import finish\n",
            "imports/__init__.py": "",
            "imports/common.py": "def finish(): ...\n",
            "imports/payments.py": "from snt.payments import services\n",
        },
    )
    result = run(root)
    assert result.returncode == 1
    assert "import cycle between parts snt.imports ↔ snt.payments" in result.stdout


def test_an_upward_import_fails(tmp_path):
    root = make_package(
        tmp_path,
        {
            "admin/__init__.py": "",
            "admin/plots.py": "from snt.registry import services\n",
            "registry/__init__.py": "",
            "registry/services.py": "def helper():\n    from snt.admin.plots import bp\n",
        },
    )
    result = run(root)
    assert result.returncode == 1
    assert "upward import: snt.registry.services imports snt.admin.plots" in result.stdout
