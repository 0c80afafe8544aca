"""Check the shape of the imports in snt/: no cycles and no upward imports.

Run by `make lint` (so by `make test` and CI): `python tools/check_imports.py [snt]`.

Two rules, read from the source with `ast` (nothing is imported or executed):
1. No import cycle between modules, nor between the parts of the domain (the packages under
   snt/, and each top-level helper module counted as a part of its own). The parts' graph is
   built from domain modules only: a view may use any part, and is checked by rule 2.
2. No upward import: a domain or helper module never imports an interface module — the app
   factory (snt/__init__.py), a blueprint's views or forms, the admin area or the shell commands.

Exit status 1 with one line per problem; 0 and a one-line summary otherwise.
"""

import ast
import sys
from pathlib import Path

INTERFACE_PACKAGES = ("admin", "cli")  # every module in them is an interface module
INTERFACE_MODULES = ("views", "forms")  # snt/<part>/views.py, snt/<part>/forms.py


def module_names(root: Path) -> dict[str, Path]:
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def imported(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The snt modules `name` imports (anywhere in the file, function bodies included)."""
    found = set()
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *filter(None, [base])])
            # `from snt.public import documents` imports the module snt.public.documents
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def is_interface(name: str) -> bool:
    parts = name.split(".")
    if len(parts) == 1:
        return True  # snt/__init__.py: the app factory wires everything together
    return parts[1] in INTERFACE_PACKAGES or (len(parts) > 2 and parts[-1] in INTERFACE_MODULES)


def part_of(name: str) -> str:
    return ".".join(name.split(".")[:2])


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = stack[stack.index(node) :]
            del stack[stack.index(node) :]
            on_stack.difference_update(component)
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def problems(root: Path) -> tuple[list[str], int]:
    modules = module_names(root)
    graph = {name: imported(name, path, modules) for name, path in modules.items()}
    found = []
    for component in cycles(graph):
        found.append("import cycle between modules: " + " ↔ ".join(component))
    parts: dict[str, set[str]] = {}
    for name, targets in graph.items():
        if is_interface(name) or name == root.name:
            continue
        parts.setdefault(part_of(name), set()).update(
            part_of(t) for t in targets if part_of(t) != part_of(name) and not is_interface(t)
        )
    for component in cycles(parts):
        witnesses = [
            f"{name} → {t}"
            for name, targets in sorted(graph.items())
            if part_of(name) in component and not is_interface(name)
            for t in sorted(targets)
            if part_of(t) in component and part_of(t) != part_of(name)
        ]
        found.append(f"import cycle between parts {' ↔ '.join(component)}: {'; '.join(witnesses)}")
    for name, targets in sorted(graph.items()):
        if is_interface(name):
            continue
        for target in sorted(targets):
            if is_interface(target):
                found.append(f"upward import: {name} imports {target} (a view, form, admin or CLI module)")
    return found, len(modules)


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "snt")
    found, count = problems(root)
    for line in found:
        print(line)
    if found:
        return 1
    print(f"imports: {count} modules, no cycles, no upward imports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
