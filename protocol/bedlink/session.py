# bedlink/session.py — both ends of a session: the panel's responder, the host's requester.
#
# No I/O: bytes in, frames out, so both ends are tested without a link. The
# panel answers every request with exactly one reply or error; frames that fail
# framing are dropped and counted (their seq cannot be trusted). The host numbers
# its requests and matches replies by seq; a reply to an older request is stale.

from bedlink import PROTOCOL_VERSION, messages
from bedlink.errors import ProtocolError, E_INTERNAL, E_SHAPE, E_UNKNOWN_TYPE, E_VERSION
from bedlink.framing import DEFAULT_MAX_PAYLOAD, FrameDecoder, encode_frame

VERSION_MIN = 1  # the oldest protocol version this build speaks
VERSION_MAX = PROTOCOL_VERSION
MIN_FRAME = 256  # smallest max_frame a side may state: every error message fits in it


def error_frame(seq, code, reason, max_payload=DEFAULT_MAX_PAYLOAD):
    """The frame of an error message {code, reason} answering request `seq`."""
    reason = _clip(reason, 160)
    return encode_frame(messages.encode("error", seq, {"code": code, "reason": reason}), max_payload)


def _clip(text, limit):
    """`text` cut to at most `limit` UTF-8 bytes, on a character boundary.

    The reason field is limited in bytes: cutting characters let a non-ASCII
    reason overflow it, and the error reply itself then raised out of feed().
    """
    b = text.encode("utf-8")
    if len(b) <= limit:
        return text
    i = limit
    while i > 0 and b[i] & 0xC0 == 0x80:  # b[i] continues a character cut in two
        i -= 1
    return str(b[:i], "utf-8")


class Responder:
    """The panel's end: feed() takes received bytes and returns the reply frames.

    `handlers` maps a request name to fn(fields) -> the reply's fields (a dict),
    or an iterable of them for an answer in several frames (a pull), all of
    message messages.REPLY[name] and the request's seq. feed() returns, per
    request, either one frame (bytes) or an iterator that builds the frames of a
    long answer one at a time, so that a pull never sits whole in RAM. A handler raising ProtocolError
    sends that error; any other exception becomes E_INTERNAL: the panel never dies
    of a request. `hello` is handled here: version negotiation is the protocol's.
    `gate(name)` (optional) raises ProtocolError for a request not allowed now
    (authentication); `on_session()` (optional) runs when a session starts or ends.
    """

    def __init__(self, handlers, identity, max_payload=DEFAULT_MAX_PAYLOAD, gate=None, on_session=None):
        self.decoder = FrameDecoder(max_payload)
        self.handlers = handlers
        self.identity = identity  # hello_reply fields but version and max_frame
        self.gate = gate
        self.on_session = on_session
        self.version = 0  # negotiated version; 0 until a hello succeeds
        self.peer_max = 0  # largest payload the host accepts
        self._last = None  # (request payload, its one-frame answer): a duplicated frame is answered again, not re-run

    def reset(self):
        """The host went away: drop the partial frame and the negotiated session."""
        self.decoder.reset()
        self.version = 0
        self.peer_max = 0
        self._last = None
        if self.on_session is not None:
            self.on_session()

    def limit(self):
        """The largest payload either side accepts: the size every frame sent must fit."""
        return self._limit()

    def push(self, name, fields):
        """The frame of a message the panel sends unasked (seq 0), e.g. live events."""
        return encode_frame(messages.encode(name, 0, fields), self._limit())

    def feed(self, data, n=-1):
        """The answers to the requests these bytes complete: bytes, or an iterator of frames each."""
        out = []
        for item in self.decoder.feed(data, n):
            if isinstance(item, ProtocolError):
                continue
            out.append(self.answer(item))
        return out

    def answer(self, payload):
        """Return the frame (or the iterator of frames) answering one good payload.

        A request repeated byte for byte (same seq: a frame duplicated on the line) gets
        the same answer again without running twice: an auth_start or an ack is not
        repeated. A long answer (a pull) is not kept; running it again is harmless.
        """
        last = self._last
        if last is not None and last[0] == payload:
            return last[1]
        out = self._answer(payload)
        self._last = (bytes(payload), out) if type(out) is bytes else None
        return out

    def _answer(self, payload):
        limit = self.decoder.max_payload
        try:
            name, seq, fields = messages.decode(payload)
        except ProtocolError as e:
            return error_frame(e.seq, e.code, e.reason, limit)
        try:
            if name == "hello":
                reply = self._hello(fields)
            else:
                fn = self.handlers.get(name)
                if fn is None:
                    raise ProtocolError(E_UNKNOWN_TYPE, "'%s' is not a request the panel answers" % name)
                since = messages.SINCE[name]
                if since > 1 and self.version < since:
                    raise ProtocolError(E_VERSION, "'%s' needs a session of protocol version %d: say hello"
                                        % (name, since))
                if self.gate is not None:
                    self.gate(name)
                reply = fn(fields)
        except ProtocolError as e:
            return error_frame(seq, e.code, e.reason, limit)
        except Exception as e:  # a bug in a handler must cost one error reply, not the panel
            return error_frame(seq, E_INTERNAL, "%s: %s" % (type(e).__name__, e), limit)
        if type(reply) is not dict:  # an answer in several frames, one seq, built as they go out
            return self._frames(messages.REPLY[name], seq, reply)
        try:
            return encode_frame(messages.encode(messages.REPLY[name], seq, reply), self._limit())
        except Exception as e:  # the panel built a reply it cannot send: its fault, not the host's
            return error_frame(seq, E_INTERNAL, "reply not sent: %s" % e, limit)

    def _frames(self, rname, seq, parts):
        # A failure midway ends the answer with an error of the same seq: the host has
        # what came before and asks again from there.
        try:
            for part in parts:
                yield encode_frame(messages.encode(rname, seq, part), self._limit())
        except ProtocolError as e:
            yield error_frame(seq, e.code, e.reason, self.decoder.max_payload)
        except Exception as e:
            yield error_frame(seq, E_INTERNAL, "answer cut short: %s: %s" % (type(e).__name__, e),
                              self.decoder.max_payload)

    def _limit(self):
        if self.peer_max:
            return min(self.peer_max, self.decoder.max_payload)
        return self.decoder.max_payload

    def _hello(self, f):
        if f["max_frame"] < MIN_FRAME:
            raise ProtocolError(E_SHAPE, "max_frame must be at least %d" % MIN_FRAME)
        if f["vmin"] > VERSION_MAX or f["vmax"] < VERSION_MIN or f["vmin"] > f["vmax"]:
            raise ProtocolError(E_VERSION, "panel speaks versions %d..%d" % (VERSION_MIN, VERSION_MAX))
        if self.on_session is not None:
            self.on_session()  # a new hello is a new session: authenticate again
        self.version = min(f["vmax"], VERSION_MAX)
        self.peer_max = f["max_frame"]
        reply = {"version": self.version, "max_frame": self.decoder.max_payload}
        for k in self.identity:
            reply[k] = self.identity[k]
        return reply


class Requester:
    """The host's end: numbers requests, decodes replies, matches them by seq."""

    def __init__(self, max_payload=DEFAULT_MAX_PAYLOAD):
        self.decoder = FrameDecoder(max_payload)
        self.seq = 0

    def request(self, name, fields=None):
        """Return (seq, frame) for a new request; seq runs 1..65535 and wraps to 1."""
        self.seq = self.seq % messages.SEQ_MAX + 1
        payload = messages.encode(name, self.seq, fields)
        return self.seq, encode_frame(payload, self.decoder.max_payload)

    def feed(self, data):
        """Return the (name, seq, fields) replies and ProtocolErrors these bytes complete."""
        out = []
        for item in self.decoder.feed(data):
            if isinstance(item, ProtocolError):
                out.append(item)
                continue
            try:
                out.append(messages.decode(item))
            except ProtocolError as e:
                out.append(e)
        return out
