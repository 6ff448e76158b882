# panel/service.py — what the panel answers on the link: pairing, authentication, time, sync, profiles.
#
# Each handler takes a request's fields and returns its reply's fields (a list of
# them for a pull, one per frame); refusals are ProtocolErrors with their named
# code. Nothing here touches the link itself: bedlink.session.Responder frames
# the answers, panel.app moves the bytes. Before authentication only the
# handshake, ping, pairing and authentication are answered (the gate); after it
# the responder seals the session under the key the auth gave (protocol v3).
# A pull answers from the journal on flash, packing as many events into each
# frame as fit the smaller of the two sides' frame limits.

from bedlink import messages
from bedlink.errors import E_AUTH, E_NO_CASE, E_SHAPE, E_STORAGE, ProtocolError
from bedlink.mpack import pack
from panel.journal import AnchorRefused, JournalError

MAX_EVENTS_PER_FRAME = 255  # the events list's limit in the catalogue


def _bin_head(n):
    return 2 if n < 256 else 3  # msgpack bin8 / bin16 header


def _list_head(n):
    return 1 if n < 16 else 3  # fixarray / array16


class LinkService:
    """The request handlers of one panel, over its journal, pairing state and profiles."""

    def __init__(self, journal, pairing, profiles, boot, uptime, clock, responder_limit):
        self.journal = journal
        self.pairing = pairing
        self.profiles = profiles
        self.boot = boot
        self.uptime = uptime  # non-decreasing ms (pairing backoff)
        self.clock = clock  # ticks (anchors)
        self.limit = responder_limit  # fn() -> the largest payload a frame may carry now
        self.start_sealing = None  # fn(session key): seal the session after the auth_ok (the responder's)

    def handlers(self):
        return {  # "ping" is panel.app's: it owns the link counters
            "pair_start": self.pair_start, "pair_confirm": self.pair_confirm,
            "auth_start": self.auth_start, "auth": self.auth, "unpair": self.unpair,
            "set_time": self.set_time, "list_cases": self.list_cases, "pull": self.pull, "ack": self.ack,
            "list_anchors": self.list_anchors, "profile": self.profile,
        }

    def gate(self, name):
        """Refuse what an unauthenticated host may not ask (E_AUTH)."""
        if not self.pairing.allowed(name):
            raise ProtocolError(E_AUTH, "authenticate first")

    # -- pairing and authentication (panel.pairing holds the rules) -------------

    def pair_start(self, f):
        return self.pairing.pair_start(f["host_id"], f["host_name"], f["host_nonce"], self.uptime.now())

    def pair_confirm(self, f):
        return self.pairing.pair_confirm(f["proof"], self.uptime.now())

    def auth_start(self, f):
        return self.pairing.auth_start(f["host_id"], f["host_nonce"], self.uptime.now())

    def auth(self, f):
        reply = self.pairing.auth(f["mac"], self.uptime.now())
        if self.start_sealing is not None:
            self.start_sealing(self.pairing.take_session_key())
        return reply

    def unpair(self, f):
        self.pairing.unpair(self.pairing.authed_host)
        return {}

    # -- time -----------------------------------------------------------------

    def set_time(self, f):
        ticks = self.clock.ticks_ms()
        try:
            self.journal.anchor(self.boot, ticks, f["wall_ms"])
        except AnchorRefused as e:  # before the build date, beyond 2100, or backwards in this boot
            raise ProtocolError(E_SHAPE, str(e))
        except OSError as e:
            raise ProtocolError(E_STORAGE, "anchor not recorded: %s" % e)
        return {"boot": self.boot, "ticks": ticks}

    def list_anchors(self, f):
        page, nxt = self.journal.anchors_page(f["start"], messages.PAGE)
        return {"anchors": page, "next": nxt}

    # -- sync -----------------------------------------------------------------

    def list_cases(self, f):
        rows, nxt = self.journal.cases_page(f["start"], messages.PAGE)
        page = [[c["case"], c["count"], c["acked"], c["closed"]] for c in rows]
        return {"cases": page, "next": nxt, "storage": self.journal.storage_state()}

    def _case(self, case_id):
        try:
            return self.journal.row(case_id)
        except JournalError:
            raise ProtocolError(E_NO_CASE, "no case %s" % case_id)

    def pull(self, f):
        """The frames of a pull, built one at a time from the journal as they are sent."""
        case_id = f["case"]
        count = self._case(case_id)["count"]
        if f["start"] < 1 or f["window"] < 1:
            raise ProtocolError(E_SHAPE, "pull needs start >= 1 and window >= 1")
        return self._pull(case_id, count, f["start"], f["window"])

    def _pull(self, case_id, count, start, window):
        limit = self.limit()
        base = len(messages.encode("events", 0xFFFF, {"case": case_id, "first": 0xFFFFFFFF, "events": [],
                                                      "last": False}))
        if start > count:
            yield {"case": case_id, "first": start, "events": [], "last": True}
            return
        events = self.journal.log(case_id).events(start)
        sent = 0
        batch = []
        size = base
        first = start
        try:
            for ev in events:
                rec = pack(ev)
                grow = len(rec) + _bin_head(len(rec)) + _list_head(len(batch) + 1) - _list_head(len(batch))
                if batch and (size + grow > limit or len(batch) == MAX_EVENTS_PER_FRAME):
                    sent += 1
                    done = sent == window
                    yield {"case": case_id, "first": first, "events": batch, "last": done}
                    if done:
                        return
                    first += len(batch)
                    batch = []
                    size = base
                    grow = len(rec) + _bin_head(len(rec)) + _list_head(1)
                if size + grow > limit:
                    raise ProtocolError(E_SHAPE, "event %d does not fit a frame of %d bytes" % (ev["seq"], limit))
                batch.append(rec)
                size += grow
        finally:
            if hasattr(events, "close"):
                events.close()  # a window cut short leaves the generator mid-file: close its file now
        yield {"case": case_id, "first": first, "events": batch, "last": True}

    def ack(self, f):
        case_id = f["case"]
        count = self._case(case_id)["count"]
        if f["upto"] > count:
            raise ProtocolError(E_SHAPE, "ack of %d, but case %s holds %d events" % (f["upto"], case_id, count))
        try:
            self.journal.ack(case_id, f["upto"])
        except OSError as e:
            raise ProtocolError(E_STORAGE, "ack not recorded: %s" % e)
        return {"case": case_id, "upto": self.journal.acked(case_id)}

    # -- operator profiles ------------------------------------------------------

    def profile(self, f):
        try:
            self.profiles.store(f["operator_id"], f)
        except ValueError as e:
            raise ProtocolError(E_STORAGE, str(e))
        except OSError as e:
            raise ProtocolError(E_STORAGE, "profile not stored: %s" % e)
        return {"operator_id": f["operator_id"]}

    def live_frame_fields(self, case_id, ev):
        """The fields of the `events` push for one event just recorded."""
        return {"case": case_id, "first": ev["seq"], "events": [pack(ev)], "last": True}

