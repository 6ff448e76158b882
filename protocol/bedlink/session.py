# bedlink/session.py — both ends of a session: the panel's responder, the host's requester.
#
# No I/O: bytes in, frames out, so both ends are tested without a link. The
# panel answers every request with exactly one reply or error; frames that fail
# framing are dropped and counted (their seq cannot be trusted). The host numbers
# its requests and matches replies by seq; a reply to an older request is stale.
#
# Version 3: once `auth_ok` has gone out, every frame of the session in both
# directions is sealed (bedlink.seal) under the session key. The panel answers a
# frame that is not (a plain frame, a wrong tag, a replayed or reordered counter)
# with a plain E_AUTH and ends the session; a plain `hello` is a host starting over.

from bedlink import PROTOCOL_VERSION, messages, seal
from bedlink.errors import ProtocolError, E_AUTH, E_INTERNAL, E_SHAPE, E_UNKNOWN_TYPE, E_VERSION
from bedlink.framing import DEFAULT_MAX_PAYLOAD, FrameDecoder, encode_frame

VERSION_MIN = 1  # the oldest protocol version this build speaks
VERSION_MAX = PROTOCOL_VERSION
MIN_FRAME = 256  # smallest max_frame a side may state: every error message fits in it, sealed too


def error_frame(seq, code, reason, max_payload=DEFAULT_MAX_PAYLOAD):
    """The frame of an error message {code, reason} answering request `seq` (plain)."""
    return encode_frame(error_payload(seq, code, reason), max_payload)


def error_payload(seq, code, reason):
    """The msgpack of an error message, its reason cut to 160 bytes."""
    return messages.encode("error", seq, {"code": code, "reason": _clip(reason, 160)})


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


def _seq_of(message):
    """The seq of a message, read without trusting it (0 when it cannot be read): for error replies."""
    try:
        return messages.decode(message)[1]
    except ProtocolError as e:
        return e.seq


class Responder:
    """The panel's end: feed() takes received bytes and returns the reply frames.

    `handlers` maps a request name to fn(fields) -> the reply's fields (a dict),
    or an iterable of them for an answer in several frames (a pull), all of
    message messages.REPLY[name] and the request's seq. feed() returns, per
    request, either one frame (bytes) or an iterator that builds the frames of a
    long answer one at a time, so that a pull never sits whole in RAM. A handler raising ProtocolError
    sends that error; any other exception becomes E_INTERNAL: the panel never dies
    of a request. `hello` is handled here: version negotiation is the protocol's,
    and so are the sealing rules. `gate(name)` (optional) raises ProtocolError for a
    request not allowed now; `on_session()` (optional) runs when a session starts or ends.
    The auth handler calls start_sealing(session key): its reply goes out plain, and
    every frame after it is sealed until the session ends.
    """

    def __init__(self, handlers, identity, max_payload=DEFAULT_MAX_PAYLOAD, gate=None, on_session=None):
        self.decoder = FrameDecoder(max_payload)
        self.handlers = handlers
        self.identity = identity  # hello_reply fields but version and max_frame
        self.gate = gate
        self.on_session = on_session
        self.version = 0  # negotiated version; 0 until a hello succeeds
        self.peer_max = 0  # largest payload the host accepts
        self.channel = None  # seal.Channel while the session is sealed (v3, after auth_ok)
        self.opened = 0  # sealed frames accepted since boot: the app's idle clock watches it
        self._key = None  # the session key of the auth being answered: sealing starts after its reply
        self._last = None  # (request payload, its one-frame answer): a duplicated frame is answered again, not re-run

    @property
    def sealed(self):
        """True while every frame of the session is sealed (after auth_ok in a v3 session)."""
        return self.channel is not None

    def reset(self):
        """The host went away: drop the partial frame and end the session."""
        self.decoder.reset()
        self.end_session()

    def end_session(self):
        """Forget the session: its version, the host's frame limit, the session key, the duplicate cache."""
        self.version = 0
        self.peer_max = 0
        self.channel = None
        self._key = None
        self._last = None
        if self.on_session is not None:
            self.on_session()

    def start_sealing(self, session_key):
        """Seal every frame after the reply to the request being answered (the auth handler calls this)."""
        self._key = session_key

    def limit(self):
        """The largest message a frame sent now can carry (less the seal's overhead in a sealed session)."""
        if self.channel is not None:
            return self._limit() - seal.OVERHEAD
        return self._limit()

    def push(self, name, fields):
        """The frame of a message the panel sends unasked (seq 0), e.g. live events; sealed in a sealed session."""
        return self._frame(messages.encode(name, 0, fields))

    def feed(self, data, n=-1):
        """The answers to the requests these bytes complete: bytes, or an iterator of frames each.

        Answers go out in the order of their requests: once one answer is an iterator (a
        pull), every later answer of the same read is built only when it is iterated, so
        that the counters of a sealed session run in the order the frames are sent.
        """
        out = []
        lazy = False
        for item in self.decoder.feed(data, n):
            if isinstance(item, ProtocolError):
                continue
            if lazy:
                out.append(self._later(item))
                continue
            a = self.answer(item)
            out.append(a)
            lazy = type(a) is not bytes
        return out

    def _later(self, payload):
        a = self.answer(payload)
        if type(a) is bytes:
            yield a
        else:
            for frame in a:
                yield frame

    def answer(self, payload):
        """Return the frame (or the iterator of frames) answering one good payload.

        A request repeated byte for byte (same seq: a frame duplicated on the line) gets
        the same answer again without running twice: an auth_start or an ack is not
        repeated, and a sealed request's answer keeps its counter (the host drops it as
        a duplicate). A long answer (a pull) is not kept; running it again is harmless.
        """
        last = self._last
        if last is not None and last[0] == payload:
            return last[1]
        out = self._answer(payload)
        self._last = (bytes(payload), out) if type(out) is bytes else None
        return out

    def _answer(self, payload):
        channel = self.channel
        if seal.is_sealed(payload):
            if channel is None:
                return self._refuse(_seq_of(seal.message_of(payload)), "no authenticated session: say hello and "
                                    "authenticate")
            try:
                message = channel.open(payload)
            except ProtocolError as e:
                self.end_session()
                return self._refuse(_seq_of(seal.message_of(payload)), e.reason + ": session ended")
            self.opened += 1
            return self._request(message)
        if channel is not None:  # plain in a sealed session: someone without the key, or a host starting over
            self.end_session()
            try:
                name, seq, _f = messages.decode(payload)
            except ProtocolError as e:
                name, seq = None, e.seq
            if name != "hello":
                return self._refuse(seq, "this session is sealed: a frame without its MAC ends it")
        return self._request(payload)

    def _refuse(self, seq, reason):
        return error_frame(seq, E_AUTH, reason, self.decoder.max_payload)

    def _request(self, payload):
        self._key = None
        try:
            name, seq, fields = messages.decode(payload)
        except ProtocolError as e:
            return self._error(e.seq, e.code, e.reason)
        try:
            if name == "hello":
                reply = self._hello(fields)
            else:
                fn = self.handlers.get(name)
                if fn is None:
                    raise ProtocolError(E_UNKNOWN_TYPE, "'%s' is not a request the panel answers" % name)
                need = messages.needs(name)
                if need > 1 and self.version < need:
                    raise ProtocolError(E_VERSION, "'%s' needs a session of protocol version %d: say hello"
                                        % (name, need))
                if self.channel is None:
                    if name not in messages.OPEN:
                        raise ProtocolError(E_AUTH, "authenticate first")
                elif name in messages.AUTHENTICATING:
                    raise ProtocolError(E_AUTH, "this session is authenticated: say hello to start another")
                if self.gate is not None:
                    self.gate(name)
                reply = fn(fields)
        except ProtocolError as e:
            return self._error(seq, e.code, e.reason)
        except Exception as e:  # a bug in a handler must cost one error reply, not the panel
            return self._error(seq, E_INTERNAL, "%s: %s" % (type(e).__name__, e))
        if type(reply) is not dict:  # an answer in several frames, one seq, built as they go out
            return self._frames(messages.REPLY[name], seq, reply)
        try:
            frame = self._frame(messages.encode(messages.REPLY[name], seq, reply))
        except Exception as e:  # the panel built a reply it cannot send: its fault, not the host's
            self._key = None
            return self._error(seq, E_INTERNAL, "reply not sent: %s" % e)
        if self._key is not None:  # auth_ok is out: from the next frame on, the session is sealed
            self.channel = seal.Channel(self._key, seal.PANEL)
            self._key = None
        return frame

    def _frame(self, message):
        # The frame carrying `message`, sealed in a sealed session, within the host's limit.
        if self.channel is not None:
            message = self.channel.seal(message)
        return encode_frame(message, self._limit())

    def _error(self, seq, code, reason):
        # An error answering an authentic request: sealed in a sealed session, like any answer.
        try:
            return self._frame(error_payload(seq, code, reason))
        except ProtocolError:  # the session's counter is used up: it ends, and the error goes out plain
            self.end_session()
            return error_frame(seq, code, reason, self.decoder.max_payload)

    def _frames(self, rname, seq, parts):
        # A failure midway ends the answer with an error of the same seq: the host has
        # what came before and asks again from there.
        try:
            for part in parts:
                yield self._frame(messages.encode(rname, seq, part))
        except ProtocolError as e:
            yield self._error(seq, e.code, e.reason)
        except Exception as e:
            yield self._error(seq, E_INTERNAL, "answer cut short: %s: %s" % (type(e).__name__, e))

    def _limit(self):
        if self.peer_max:
            return min(self.peer_max, self.decoder.max_payload)
        return self.decoder.max_payload

    def _hello(self, f):
        if f["max_frame"] < MIN_FRAME:
            raise ProtocolError(E_SHAPE, "max_frame must be at least %d" % MIN_FRAME)
        if f["vmin"] > VERSION_MAX or f["vmax"] < VERSION_MIN or f["vmin"] > f["vmax"]:
            raise ProtocolError(E_VERSION, "panel speaks versions %d..%d" % (VERSION_MIN, VERSION_MAX))
        self.end_session()  # a new hello is a new session: authenticate again
        self.version = min(f["vmax"], VERSION_MAX)
        self.peer_max = f["max_frame"]
        reply = {"version": self.version, "max_frame": self.decoder.max_payload}
        for k in self.identity:
            reply[k] = self.identity[k]
        return reply


class Requester:
    """The host's end: numbers requests, seals them in a sealed session, decodes and opens replies."""

    def __init__(self, max_payload=DEFAULT_MAX_PAYLOAD):
        self.decoder = FrameDecoder(max_payload)
        self.seq = 0
        self.channel = None  # seal.Channel while the session is sealed

    @property
    def sealed(self):
        return self.channel is not None

    def start_sealing(self, session_key):
        """auth_ok has been checked: seal every request from now on and accept only sealed answers."""
        self.channel = seal.Channel(session_key, seal.HOST)

    def end_session(self):
        """The session is over (a new hello, the link lost, the panel ended it): plain frames again."""
        self.channel = None

    def request(self, name, fields=None):
        """Return (seq, frame) for a new request; seq runs 1..65535 and wraps to 1."""
        self.seq = self.seq % messages.SEQ_MAX + 1
        payload = messages.encode(name, self.seq, fields)
        if self.channel is not None:
            payload = self.channel.seal(payload)
        return self.seq, encode_frame(payload, self.decoder.max_payload)

    def frames(self, data):
        """The payloads (bytes) and framing errors (ProtocolError) these bytes complete, not yet decoded."""
        return self.decoder.feed(data)

    def decode(self, payload):
        """(name, seq, fields) of one payload, opened in a sealed session; ProtocolError if it must be dropped.

        In a sealed session only sealed frames that open count, and a plain `error` E_AUTH: the
        panel ended the session (anyone on the line could send one; it can only end the session).
        """
        if self.channel is None:
            if seal.is_sealed(payload):
                raise ProtocolError(E_AUTH, "a sealed frame outside a sealed session")
            return messages.decode(payload)
        if seal.is_sealed(payload):
            return messages.decode(self.channel.open(payload))
        m = messages.decode(payload)
        if m[0] == "error" and m[2]["code"] == E_AUTH:
            self.channel = None
            return m
        raise ProtocolError(E_AUTH, "a plain '%s' in a sealed session" % m[0], m[1])

    def feed(self, data):
        """Return the (name, seq, fields) replies and ProtocolErrors these bytes complete."""
        out = []
        for item in self.decoder.feed(data):
            if isinstance(item, ProtocolError):
                out.append(item)
                continue
            try:
                out.append(self.decode(item))
            except ProtocolError as e:
                out.append(e)
        return out
