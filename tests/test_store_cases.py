"""The cases table (bedside.store.summaries), nurse entries (bedside.store.nurse) and sample data (bedside.samples).

Covers, on SQLite and PostgreSQL: sample cases written in bulk give summary rows identical
to those refresh() rebuilds from the stored events (so the bulk path and the ingest path
agree); the generator is deterministic; search (every word must match, % and _ are
literal), sort (each column, both directions, missing values last) and paging with a
total; a case ingested as the sync does appears in the table, partial ("12/40 events")
then synced, its date from the host until an anchor gives it the panel's wall clock; an
operator assigned on the host shows at once; nurse entries before the case exists (a
live case), their tallies (amounts add, a running total replaces what came before), the
combined figures in the case detail naming each source; bad entries refused with every
problem named and nothing stored; a figure too large for its integer column is unknown.
Numbers: the WHIH script of bedside/scenarios.py and the entries written here.
Run alone: .venv/bin/pytest tests/test_store_cases.py
"""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bedlink.mpack import pack
from bedside import samples
from bedside.scenarios import whih_case
from bedside.store import StoreError
from bedside.store import nurse
from bedside.store.summaries import SUMMARIES, case_detail, list_cases, refresh, refresh_stale, stale_count
from panel.case import Case

DEV = "panel-live"
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def whih_events(case_id="c-live", boot=5):
    case, t = None, 0
    for delay, kind, fields in whih_case():
        t += delay
        if kind == "new_case":
            case = Case.open(case_id, t, boot=boot)
        else:
            case.record(kind, t, fields or None)
    return case.events


def rows(events):
    """Events as the sync client hands them to Store.ingest."""
    return [(e["seq"], pack(e), e["k"], e["b"], e["t"]) for e in events]


def summary_rows(store):
    with store.engine.connect() as conn:
        return {(r.device_id, r.case_id): {k: v for k, v in r._mapping.items() if k != "updated_at"}
                for r in conn.execute(select(SUMMARIES))}


def test_samples_are_deterministic():
    a = [(c.case_id, c.events, c.anchor) for c in samples.sample_cases(15)]
    b = [(c.case_id, c.events, c.anchor) for c in samples.sample_cases(15)]
    assert a == b
    assert a != [(c.case_id, c.events, c.anchor) for c in samples.sample_cases(15, seed=1)]


def test_bulk_sample_rows_equal_rebuilt_rows(store):
    assert samples.fill(store, 40)["cases"] == 40
    assert refresh_stale(store) == 0 and stale_count(store) == 0  # nothing stale right after the fill
    store.ingest(samples.DEVICES[0], "case-00000", [])  # nothing new: stays fresh
    assert stale_count(store) == 0
    bulk = summary_rows(store)
    for device_id, case_id in list(bulk)[:12]:
        assert refresh(store, device_id, case_id)
    rebuilt = summary_rows(store)
    assert rebuilt == bulk
    with pytest.raises(StoreError, match="already holds sample cases"):
        samples.fill(store, 5)


def test_search_sort_and_paging(store):
    samples.fill(store, 60)
    page = list_cases(store, limit=25)
    assert page.total == 60 and len(page.rows) == 25
    dates = [r.date for r in page.rows]
    assert dates == sorted(dates, reverse=True)
    ids = [r.case_id for p in (0, 25, 50) for r in list_cases(store, limit=25, offset=p).rows]
    assert len(ids) == 60 and len(set(ids)) == 60  # paging covers every case once
    by_op = list_cases(store, sort="operator", descending=False, limit=100).rows
    named = [r.operator for r in by_op if r.operator is not None]
    assert named == sorted(named) and all(r.operator is None for r in by_op[len(named):])  # missing last
    for sort in ("vessel", "techniques", "outcome", "sync", "case", "procedure", "fluoro", "contrast"):
        asc = list_cases(store, sort=sort, descending=False, limit=100).rows
        assert len(asc) == 60
    quill = list_cases(store, search="QUILL", limit=100)
    assert quill.total == sum(1 for r in by_op if r.operator == "Dr Ada Quill") > 0
    both = list_cases(store, search="quill rca", limit=100)
    assert all(r.operator == "Dr Ada Quill" and r.vessel == "rca" for r in both.rows)
    assert list_cases(store, search="%").total == 0  # a literal percent sign, not "anything"
    assert list_cases(store, search="case_0").total == 0  # and a literal underscore
    assert list_cases(store, search="case-0001").total == 10  # case-00010 .. case-00019
    with pytest.raises(StoreError, match="cannot sort"):
        list_cases(store, sort="patient")


def test_an_ingested_case_enters_the_table(store):
    events = whih_events()
    store.upsert_case(DEV, "c-live", "open", len(events), 0)
    store.ingest(DEV, "c-live", rows(events[:20]))
    (row,) = list_cases(store).rows
    assert row.sync == f"20/{len(events)} events" and row.date_source == "host" and row.vessel == "rca"
    assert row.outcome == "unknown" and row.techniques == "" and row.events == 20
    store.ingest(DEV, "c-live", rows(events[20:]))
    assert stale_count(store) == 1
    seen = []
    assert refresh_stale(store, progress=lambda done, total: seen.append((done, total))) == 1 and seen == [(1, 1)]
    store.upsert_case(DEV, "c-live", "closed", len(events), len(events))
    (row,) = list_cases(store).rows
    assert row.sync == "synced" and row.outcome == "success" and row.techniques == "whih" and row.closed
    assert row.contrast_ml == 240 and row.fluoro_s == 96 * 60  # the panel's outcome and the WHIH record
    assert row.scores["jcto"]["lo"] == row.scores["jcto"]["hi"]
    # an anchor for the case's boot: the date becomes the panel's wall clock of event 1
    wall0 = int(T0.timestamp() * 1000)
    store.add_anchors(DEV, [(5, events[0]["t"], wall0)])
    (row,) = list_cases(store).rows
    assert row.date_source == "panel" and row.date == T0
    op = store.add_operator("Dr Host Assigned")
    store.assign_case(DEV, "c-live", reference="REF-1", operator_id=op)
    (row,) = list_cases(store).rows
    assert row.operator == "Dr Host Assigned" and row.reference == "REF-1"
    assert list_cases(store, search="ref-1").total == 1


def test_nurse_entries_for_a_live_case_before_it_is_synced(store):
    at = [T0 + timedelta(minutes=m) for m in range(10)]
    nurse.add_entry(store, DEV, "c-live", "contrast_ml", value=20, entered_by="RN Kim", at=at[0])
    nurse.add_entry(store, DEV, "c-live", "contrast_ml", value=30, entered_by="RN Kim", at=at[1])
    nurse.add_entry(store, DEV, "c-live", "fluoro_min", value=12.5, is_total=True, entered_by="RN Kim", at=at[2])
    nurse.add_entry(store, DEV, "c-live", "contrast_ml", value=200, is_total=True, entered_by="RN Lee", at=at[3])
    nurse.add_entry(store, DEV, "c-live", "contrast_ml", value=15, entered_by="RN Lee", at=at[4])
    nurse.add_entry(store, DEV, "c-live", "device", item="Corsair Pro 150 cm", lot="LOT-77A1", entered_by="RN Lee",
                    at=at[5], at_seq=40)
    nurse.add_entry(store, DEV, "c-live", "complication", item="perforation", entered_by="RN Lee", at=at[6])
    nurse.add_entry(store, DEV, "c-live", "note", text="patient comfortable", entered_by="RN Kim", at=at[7])
    got = nurse.entries(store, DEV, "c-live")
    assert [e.kind for e in got] == ["contrast_ml"] * 2 + ["fluoro_min", "contrast_ml", "contrast_ml", "device",
                                                           "complication", "note"]
    assert got[5].lot == "LOT-77A1" and got[5].entered_by == "RN Lee" and got[5].entered_at == at[5]
    # contrast: 20 + 30 given, then the injector read 200 in total, then 15 more: 215; fluoro 12.5 min = 750 s
    assert nurse.tallies(got) == {"contrast_ml": 215, "fluoro_s": 750, "dose_mgy": None}
    detail = case_detail(store, DEV, "c-live")  # no case row, no events yet: the entries alone
    assert detail["sync"] is None and detail["summary"]["events"] == 0
    assert detail["figures"]["contrast_ml"] == {"value": 215, "source": "nurse entries",
                                                "all": [{"value": 215, "source": "nurse entries"}]}
    # the case arrives: the panel's end-of-case contrast (240) leads, the nurses' 215 stays beside it
    events = whih_events()
    store.ingest(DEV, "c-live", rows(events))
    detail = case_detail(store, DEV, "c-live")
    assert detail["figures"]["contrast_ml"]["value"] == 240
    assert [a["source"] for a in detail["figures"]["contrast_ml"]["all"]] == [
        "panel outcome", "nurse entries", "panel checklist record (whih)"]
    assert detail["figures"]["fluoro_s"] == {"value": 750, "source": "nurse entries", "all": [
        {"value": 750, "source": "nurse entries"}, {"value": 96 * 60, "source": "panel checklist record (whih)"}]}
    assert len(detail["nurse_entries"]) == 8
    (row,) = list_cases(store).rows
    assert row.complications == 1 and row.fluoro_s == 750
    nurse.add_entry(store, DEV, "c-live", "dose_mgy", value=1800, is_total=True, entered_by="RN Kim")
    (row,) = list_cases(store).rows
    assert row.dose_mgy == 1800  # a new entry refreshes the row


def test_bad_nurse_entries_are_refused_and_nothing_is_stored(store):
    with pytest.raises(StoreError) as e:
        nurse.add_entry(store, DEV, "c-1", "contrast_ml", value=-5, entered_by=" ")
    assert "entered_by" in str(e.value) and "0 to 2000 ml" in str(e.value)
    for kind, kw, words in (
        ("fluoro_min", {"value": "ten"}, "needs a number"),
        ("device", {"lot": "L1"}, "name the device"),
        ("complication", {"item": "stroke"}, "complication must be one of"),
        ("complication", {"item": "other"}, "needs text"),
        ("note", {}, "needs text"),
        ("note", {"text": "x", "value": 3}, "takes no value"),
        ("coffee", {}, "kind must be one of"),
    ):
        with pytest.raises(StoreError, match=words):
            nurse.add_entry(store, DEV, "c-1", kind, entered_by="RN Kim", **kw)
    assert nurse.entries(store, DEV, "c-1") == []
    with pytest.raises(StoreError, match="no case"):
        case_detail(store, DEV, "c-1")


def test_a_figure_too_large_for_its_column_is_unknown_not_a_failure(store):
    """A case open on boot 5 and closed on boot 6, whose anchors lie 190 years apart (each one a wall time the host
    accepts): the panel clock's procedure time, 6 billion seconds, fits no integer column (PostgreSQL refused it)."""
    case = Case.open("c-long", 1000, boot=5)
    case.record("finding", 2000, {"f": "vessel", "v": "rca"})
    case.boot = 6  # the panel rebooted
    case.record("close", 500)
    store.ingest(DEV, "c-long", rows(case.events))
    store.add_anchors(DEV, [(5, 1000, 1_000_000_000_000), (6, 500, 7_000_000_000_000)])  # 2001, 2191
    (row,) = list_cases(store).rows
    assert row.procedure_s is None and row.closed and row.date_source == "panel"
    detail = case_detail(store, DEV, "c-long")
    assert detail["summary"]["duration_ms"] == 6_000_000_000_000  # the case file still says it
