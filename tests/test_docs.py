"""Every shell block the docs mark as runnable (an `<!-- runnable -->` line right above a ```sh
block) runs as written, in the docs' order, from a copy of the project folder with an empty
instance/ (so the blocks' files and database stay out of the real one). Blocks that need root, a
server or a real gateway are not marked; their commands are covered by the tests they name."""

import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import sqlite_only

REPO = Path(__file__).resolve().parent.parent
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
MARK = "<!-- runnable -->"


def runnable_blocks(path: Path) -> list[tuple[int, str]]:
    """(line number, script) of each marked block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks = []
    for number, line in enumerate(lines):
        if line.strip() != MARK:
            continue
        assert lines[number + 1].startswith("```sh"), (
            f"{path.name}:{number + 1}: {MARK} not above a ```sh block"
        )
        end = next(i for i in range(number + 2, len(lines)) if lines[i].startswith("```"))
        blocks.append((number + 2, "\n".join(lines[number + 2 : end])))
    return blocks


def scratch_project(folder: Path) -> Path:
    """The project's files by symlink, except instance/ (fresh) and what git ignores."""
    folder.mkdir()
    for entry in REPO.iterdir():
        if entry.name not in {"instance", ".git", ".pytest_cache", ".ruff_cache"}:
            (folder / entry.name).symlink_to(entry)
    (folder / "instance").mkdir()
    return folder


def test_the_docs_mark_runnable_blocks():
    counts = {path.name: len(runnable_blocks(path)) for path in DOCS}
    assert all(counts.get(name, 0) > 0 for name in ("treasurer.md", "development.md")), counts


@sqlite_only
@pytest.mark.parametrize("doc", [d for d in DOCS if runnable_blocks(d)], ids=lambda d: d.name)
def test_runnable_blocks_run_as_written(doc, tmp_path):
    """One shell for the whole document, as a reader types the blocks into one terminal (an
    `export` in one block holds in the next); the first failing command stops it."""
    project = scratch_project(tmp_path / "snt")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SNT_", "FLASK_", "VIRTUAL_ENV"))}
    env.update(HOME=str(tmp_path), SNT_PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
    script = "\n".join(f"echo '=== {doc.name}:{line}'\n{block}" for line, block in runnable_blocks(doc))
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
