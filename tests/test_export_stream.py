"""Exports stream: memory stays flat as the number of cases grows, and a failed export leaves no half file.

Covers bedside.export.write in every format on SQLite: the peak of Python's allocations
(tracemalloc) while exporting 40 cases is within 200 KB of the peak for 10 (the cases are
the scripted WHIH case under 10 and 40 case ids, read 5 to a page, so a page is never the
whole store); reading them all at once (export.collect) grows by megabytes, which shows the
measure sees a store held whole. Exporting 10,000 cases used to take 7.5 GB (JSON); make
bench reports the peak RSS at 1,000 and 10,000 cases. A FHIR export whose third case does
not validate raises ExportError naming it, leaves the file that was there untouched and no
temporary file; the JSON document holds one case a line and reads back as export.collect.
Run alone: .venv/bin/pytest tests/test_export_stream.py
"""

import json
import tracemalloc

import pytest

from bedside import export, fhir
from bedside.store import Store
from bedside.store.summaries import refresh_stale
from dbs import ingest_whih

FLAT_KB = 200


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    d = tmp_path_factory.mktemp("stream")
    out = {}
    for n in (10, 40):
        store = Store(f"sqlite:///{d / f'{n}.db'}")
        for i in range(n):
            ingest_whih(store, "panel-1", f"case-{i:04d}")
        refresh_stale(store)
        out[n] = store
    yield out
    for store in out.values():
        store.close()


def peak_kb(fn) -> int:
    fn()  # warm: imports, compiled statements, content tables
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] // 1024
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_export_memory_stays_flat_as_the_cases_grow(fmt, stores, tmp_path):
    peaks = {n: peak_kb(lambda: export.write(s, fmt, tmp_path / f"{n}.{fmt}", page=5)) for n, s in stores.items()}
    assert peaks[40] - peaks[10] < FLAT_KB, peaks


def test_the_measure_sees_a_store_held_whole(stores):
    held = {n: peak_kb(lambda: export.collect(s)) for n, s in stores.items()}
    assert held[40] - held[10] > 10 * FLAT_KB, held  # every case at once: megabytes more


def test_a_failed_export_leaves_the_old_file_and_no_half_one(stores, tmp_path, monkeypatch):
    target = tmp_path / "bundle.json"
    target.write_text("the export of last week")
    real, calls = fhir.validate, []

    def refuse_the_third(doc):
        calls.append(1)
        if len(calls) == 3:
            raise ValueError("1 validation error for Bundle\nentry.0.resource: bad")
        return real(doc)

    monkeypatch.setattr(fhir, "validate", refuse_the_third)
    with pytest.raises(export.ExportError, match=r"case case-\d+ does not make valid FHIR resources \(1 validation"):
        export.write(stores[10], "fhir", target, page=4)
    assert target.read_text() == "the export of last week"
    assert [p.name for p in tmp_path.iterdir()] == ["bundle.json"]


def test_the_json_document_holds_one_case_a_line_and_reads_back_whole(stores, tmp_path):
    (path,) = export.write(stores[10], "json", tmp_path / "cases.json", page=3)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 10 + 7  # header 5, one case a line, the closing 2
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc == json.loads(json.dumps(export.to_json(export.collect(stores[10])), default=str))
