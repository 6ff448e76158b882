"""The README's generated findings table matches the findings catalogue (make docs regenerates it).

Run alone: .venv/bin/pytest tests/test_docs.py
"""

from bedside.tools import docs
from conftest import ROOT
from panel.content.findings import FINDINGS


def test_readme_findings_table_is_fresh():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert docs.render(text) == text, "README.md is stale: run make docs"


def test_the_table_names_every_finding_and_its_values():
    table = docs.findings_table()
    for fid, kind, _label, _definition, spec, _group, _sources in FINDINGS:
        assert f"| `{fid}` |" in table
    assert '`"not_seen"`' in table and "integer 1–600 (mm)" in table
