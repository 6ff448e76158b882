"""The clinical content's version changes whenever the content does, so a change never applies in the middle of a case.

A case records CONTENT_VERSION when it opens and is not continued under another (tests/portable/test_case.py).
That protects a case only if every change to the content bumps the version. This test pins a digest of the
content's data (every checklist, score, finding and outcome definition as the firmware holds it: comments and
layout do not count) to the version it belongs to: changing the content without bumping CONTENT_VERSION in
firmware/panel/content/__init__.py, or bumping it without pinning the new digest here, fails.
Run alone: .venv/bin/pytest tests/test_content_version.py
"""

import hashlib

from panel.content import CONTENT_VERSION, outcomes
from panel.content import scores as score_content
from panel.content.checklists import INDEX, load
from panel.content.findings import FINDINGS

# version -> sha256 of content_digest()'s text; one line per released content, oldest first
PINNED = {
    "cto-2026.11.1": "d215e66807683f1efe8e688836857c4caf33de44e99ee165b56900c7361e66ee",
    "cto-2026.11.2": "8517e2221799f9019cc6fa451b812771f80cee8227b487b5cf3b71e4a155a996",
    "cto-2026.11.3": "aa29faa8974d98119605d435e5665fbf32a45702b64370470ae64f82236e6763",
    "cto-2026.11.4": "95d3b389f38daf086b8cbfdeeb1f0d8d70e806f68a1c7db129474aabc1b8778c",
}


def content_text():
    """The content as data, in a fixed order: what a case runs with."""
    parts = [repr(load(cid)) for cid, _title, _module in INDEX]
    parts += [repr(score_content.load(sid)) for sid in score_content.SCORE_IDS]
    parts.append(repr(FINDINGS))
    parts += [repr(getattr(outcomes, name)) for name in sorted(dir(outcomes)) if name.isupper()]
    return "\n".join(parts)


def test_the_content_version_names_exactly_this_content():
    digest = hashlib.sha256(content_text().encode()).hexdigest()
    assert PINNED.get(CONTENT_VERSION) == digest, (
        f"the clinical content is {digest} but CONTENT_VERSION {CONTENT_VERSION} is pinned to "
        f"{PINNED.get(CONTENT_VERSION)}: a content change bumps CONTENT_VERSION (firmware/panel/content/__init__.py) "
        "and pins its digest here")


def test_each_version_names_one_content_and_the_current_one_is_the_last():
    assert len(set(PINNED.values())) == len(PINNED)
    assert list(PINNED)[-1] == CONTENT_VERSION
