"""The repository's copy of the clinical reference is the team's current one (shared/clinical).

Every clinical number is checked against tests/reference/clinical; this test proves that
copy is byte-identical to shared/clinical beside the repository, so a change to the
reference cannot go unnoticed. shared/ is beside every checkout CI runs: there a
missing shared/ fails (BEDSIDE_CI=1); on a machine without it the test skips with its reason.
Run alone: .venv/bin/pytest tests/test_reference_copy.py
"""

import pytest

from conftest import CLINICAL, SHARED_CLINICAL, need_ci_service


@pytest.mark.parametrize("name", ["SCORES.md", "TECHNIQUES.md"])
def test_copy_matches_shared_clinical(name):
    if not SHARED_CLINICAL.is_dir():
        need_ci_service(f"{SHARED_CLINICAL} is not beside this checkout")
    assert (CLINICAL / name).read_bytes() == (SHARED_CLINICAL / name).read_bytes(), (
        f"shared/clinical/{name} changed: copy it to tests/reference/clinical/ and update the content"
    )
