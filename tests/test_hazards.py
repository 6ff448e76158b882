"""The hazard log (docs/HAZARDS.md) names only tests that exist, and every hazard has a cause, a mitigation and tests.

Each `path::function` in a hazard's Tests list must be a file under tests/ defining that test function (read with
ast, so a test renamed or deleted fails here). Covers issue 12 §6: the log is kept true by the suite.
Run alone: .venv/bin/pytest tests/test_hazards.py
"""

import ast
import re

import pytest

from conftest import ROOT

LOG = ROOT / "docs" / "HAZARDS.md"
REF = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def hazards() -> dict[str, str]:
    text = LOG.read_text(encoding="utf-8")
    parts = re.split(r"^## (H\d+\. .+)$", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def defined(path) -> set[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


def test_the_log_lists_the_hazards_the_issue_names():
    titles = " ".join(hazards()).lower()
    for words in ("wrong score total", "range shown as a number", "wrong endpoint", "caution not shown",
                  "contradicts its source", "content that changes", "event lost", "wrong operator"):
        assert words in titles, words


@pytest.mark.parametrize("title", list(hazards()))
def test_every_hazard_has_a_cause_a_mitigation_and_tests_that_exist(title):
    body = hazards()[title]
    for part in ("**Cause.**", "**Mitigation.**", "**Tests.**"):
        assert part in body, f"{title}: no {part}"
    refs = REF.findall(body.split("**Tests.**", 1)[1])
    assert refs, f"{title} names no test"
    for path, name in refs:
        assert (ROOT / path).is_file(), f"{title}: {path} does not exist"
        assert name in defined(path), f"{title}: {path} defines no {name}"


def test_a_renamed_test_would_be_caught():
    # the check itself can fail: a reference to a test that does not exist is not found
    assert "test_no_such_thing" not in defined("tests/test_hazards.py")
    assert REF.findall("`tests/test_hazards.py::test_no_such_thing`") == [("tests/test_hazards.py", "test_no_such_thing")]
