"""Only the app imports Textual (shared/design/ARCHITECTURE.md: "the host's services never import Textual"):
every host module outside bedside/app/ (the CLI aside, which starts the app) imports neither Textual,
textual-plotext nor bedside.app, checked on the source of each import statement, lazy ones included.
Run alone: .venv/bin/pytest tests/app/test_app_boundaries.py
"""

import ast
from pathlib import Path

import pytest

HOST = Path(__file__).resolve().parents[2] / "host" / "bedside"
SERVICES = sorted(p for p in HOST.rglob("*.py") if "app" not in p.relative_to(HOST).parts[:1] and p.name != "cli.py")


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_services_are_found():
    names = {p.name for p in SERVICES}
    assert {"sync.py", "link.py", "casefile.py", "reports.py", "export.py", "operators.py"} <= names


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: str(p.relative_to(HOST)))
def test_a_service_never_imports_textual_or_the_app(path):
    bad = {n for n in imports(path) if n.split(".")[0] in ("textual", "textual_plotext") or n.startswith("bedside.app")}
    assert not bad, f"{path.relative_to(HOST)} imports {sorted(bad)}"
