# panel/journal/log.py — one case's events on flash, with the interface of panel.case.PackedLog.
#
# append() writes one whole record with one write to the file opened "ab" and closes it
# before it returns: littlefs commits a file on close, so a power cut leaves the file
# without the record or with all of it. get(seq) and events(first) read back from flash
# through the journal's sparse index; nothing of the case's events is held in RAM.

from panel.journal import files
from panel.journal.format import CHUNK, HEADER, JournalCorrupt, JournalError, JournalWriteError, event_at, record
from panel.journal.summary import DAMAGED, TORN


class JournalLog:
    """One case's events on flash (append, len, iter, get, events)."""

    def __init__(self, journal, case_id):
        self.journal = journal
        self.case_id = case_id

    def append(self, ev):
        """Write ev as the case's next record; return once it is on flash. JournalWriteError if not."""
        j = self.journal
        info = j.info(self.case_id)
        if info.flags & DAMAGED:
            raise JournalError("case %s is damaged at byte %d of its journal: it is read-only" % (info.id, info.end))
        seq = ev.get("seq")
        if type(seq) is not int or seq != info.count + 1:
            raise JournalError("event seq %r does not follow case %s's %d events" % (seq, info.id, info.count))
        rec = record(ev)
        path = j.path(info.id)
        try:
            if info.flags & TORN:
                files.replace(path, info.end)
                info.flags &= ~TORN
            files.write(path, rec)
        except OSError as e:
            j.stale(info)
            raise JournalWriteError("event %d of case %s is not recorded: %s" % (seq, info.id, e))
        if info.idx is not None:
            info.idx.add(seq, info.end)
        info.end += len(rec)
        info.count = seq
        info.note(ev)

    def __len__(self):
        return self.journal.info(self.case_id).count

    def get(self, seq):
        """Event seq (1-based), read from flash."""
        j = self.journal
        info = j.info(self.case_id)
        if type(seq) is not int or not 1 <= seq <= info.count:
            raise IndexError("case %s has no event %r" % (info.id, seq))
        at, total = j.locate(info, seq)
        buf = files.read(j.path(info.id), at, total)
        if len(buf) != total:
            raise JournalCorrupt("event %d of case %s is cut short" % (seq, info.id))
        return event_at(buf, 0, total)

    def __iter__(self):
        return self.events(1)

    def events(self, first=1):
        """The events from seq `first` on, in order (sync resumes at acked + 1), read CHUNK bytes at a time."""
        j = self.journal
        info = j.info(self.case_id)
        last = info.count
        if first < 1:
            first = 1
        if first > last:
            return
        path = j.path(info.id)
        end = info.end
        pos = 0 if first == 1 else j.locate(info, first)[0]
        seq = first
        buf = bytearray(CHUNK)  # this iteration's own: other reads may run between two events
        mv = memoryview(buf)
        while seq <= last:
            data = buf
            got = files.read_into(path, pos, mv[: min(CHUNK, end - pos)])
            at = 0
            while seq <= last and got - at >= HEADER:
                total = HEADER + ((data[at] << 8) | data[at + 1])
                if total > got - at:
                    if at:
                        break
                    data = files.read(path, pos, total)
                    got = len(data)
                    if got < total:
                        raise JournalCorrupt("event %d of case %s is cut short" % (seq, info.id))
                    continue
                ev = event_at(data, at, total)
                at += total
                seq += 1
                yield ev
            if at == 0:
                raise JournalCorrupt("event %d of case %s is cut short" % (seq, info.id))
            pos += at
