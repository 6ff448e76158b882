"""The link fuzz corpus: hostile byte strings for the panel's decoder, codec and request handlers.

Deterministic: corpus() builds the same list of byte strings from the same seed on
every machine (random.Random with an int seed), so nothing binary is committed and a
failing item is found again by its index. Each item is one write's worth of bytes
for the link; items are meant to be sent one after another on one stream, with a
0x00 now and then to end whatever partial frame an item left behind. The builders
take a random.Random, so tests/test_fuzz.py also drives them from Hypothesis.

Families (the tag of each item in corpus_items()):
  random      random byte runs: with and without zeros, short and longer than a frame
  mutated     valid request frames with a bit flipped, cut short, bytes inserted or
              deleted, a wrong CRC, or a valid CRC around mutated msgpack
  catalogue   a frame with a good CRC for every message type of the catalogue, its
              fields random, out of range or of the wrong kind; replies and the error
              message sent to the panel as if they were requests; unknown keys
  msgpack     good-CRC frames of hostile msgpack: lengths of 4 GB in str/bin/array/
              map headers, nesting far past 16, duplicate and float keys, floats, ext,
              0xc1, bad UTF-8, trailing bytes, a map count larger than the bytes left
  oversized   frames one byte past the panel's max payload and far beyond it, and a
              frame of exactly the largest payload (which must be answered)
  storm       runs of delimiters, one-byte frames, COBS codes that run off the end
  order       valid requests in odd orders: auth before hello, pull before auth,
              pair_confirm without pair_start, v2 requests in a v1 session, a hello the
              panel must refuse, a 256-byte ping to a host that accepts 256 bytes, ...

Numbers: max payload 1024 (bedlink.framing, panel.app.MAX_PAYLOAD); field kinds and
limits from bedlink.messages.CATALOGUE; msgpack tags from the msgpack spec.
Used by: tests/test_fuzz.py (run alone: .venv/bin/pytest -q tests/test_fuzz.py).
"""

import random

from bedlink import cobs, messages, mpack
from bedlink.framing import crc32

SEED = 0xBED51DE
MAX_PAYLOAD = 1024  # the panel's, told in its hello_reply

REQUESTS = ("hello", "ping", "pair_start", "pair_confirm", "auth_start", "auth", "unpair", "set_time",
            "list_cases", "pull", "ack", "list_anchors", "profile")

# Hostile msgpack values, each a complete (or deliberately incomplete) encoding.
HOSTILE = (
    b"\xdb\xff\xff\xff\xff",  # str32 of 4 GB, no bytes
    b"\xda\xff\xff" + b"a" * 8,  # str16 of 65535, 8 bytes
    b"\xd9\xff" + b"a" * 3,  # str8 of 255, 3 bytes
    b"\xc6\xff\xff\xff\xff",  # bin32 of 4 GB
    b"\xc5\xff\xff",  # bin16 of 65535
    b"\xc4\x20" + b"\x00" * 8,  # bin8 of 32, 8 bytes
    b"\xdd\xff\xff\xff\xff",  # array32 of 4 G items
    b"\xdc\xff\xff\xc0",  # array16 of 65535 items, one there
    b"\xdf\xff\xff\xff\xff",  # map32 of 4 G entries
    b"\xde\xff\xff\x00\x00",  # map16 of 65535 entries, one there
    b"\x91" * 17 + b"\xc0",  # arrays nested 17 deep
    b"\x91" * 200 + b"\xc0",  # and 200 deep
    b"\x81\x00" * 17 + b"\xc0",  # maps nested 17 deep
    b"\xdc\x00\x01" * 40 + b"\x90",  # array16 nested 40 deep
    b"\xca\x3f\x80\x00\x00",  # float32 1.0
    b"\xcb\x3f\xf0\x00\x00\x00\x00\x00\x00",  # float64 1.0
    b"\xcb\x7f\xf8\x00\x00\x00\x00\x00\x00",  # float64 NaN
    b"\xd4\x01\x00",  # fixext1
    b"\xd6\xff\x00\x00\x00\x00",  # timestamp32
    b"\xc7\x00\x05",  # ext8 empty
    b"\xc8\xff\xff\x01",  # ext16 of 65535
    b"\xc9\xff\xff\xff\xff\x01",  # ext32 of 4 GB
    b"\xc1",  # never used
    b"\xa2\xc3\x28",  # invalid UTF-8
    b"\xa2\xc0\x80",  # overlong NUL
    b"\xa3\xed\xa0\x80",  # a surrogate
    b"\xa4\xf4\x90\x80\x80",  # above U+10FFFF
    b"\xa1\x00",  # NUL in a str
    b"\xcd\x01",  # uint16 cut short
    b"\xcf\xff\xff\xff\xff\xff\xff\xff\xff",  # 2**64 - 1
    b"\xd3\x80\x00\x00\x00\x00\x00\x00\x00",  # -2**63
    b"\xd0\x80",  # int8 -128
    b"\xcc\x05",  # 5 in a wide form
    b"\xd1\x00\x05",  # 5 as a signed int16
    b"\x82\x00\x01\x00\x02",  # duplicate key
    b"\x81\x91\x00\x00",  # array as a map key
    b"\x81\xc0\x00",  # nil as a map key
    b"\x81\xca\x00\x00\x00\x00\x00",  # float as a map key
    b"\x81\xc4\x01\x00\x00",  # bin as a map key
    b"\x90", b"\x80", b"\xc0", b"\xc2", b"\xc3", b"\xa0", b"\xc4\x00",
)

MAP_EDGES = (
    b"\xdf\xff\xff\xff\xff",  # the message map's own count: 4 G entries
    b"\xde\x00\x02",  # map16 of two: a wide but legal header
    b"\x8f",  # fixmap of 15 with 2 entries present
)


def frame(payload):
    """The wire bytes of a frame carrying payload, of any size (no max-frame check)."""
    payload = bytes(payload)
    return cobs.encode(payload + crc32(payload).to_bytes(4, "little")) + b"\x00"


def raw_map(pairs, head=None):
    """A msgpack map of (key bytes, value bytes) pairs, in the order given; head overrides the count header."""
    n = len(pairs)
    if head is None:
        head = bytes((0x80 | n,)) if n < 16 else b"\xde" + n.to_bytes(2, "big")
    return head + b"".join(k + v for k, v in pairs)


def _uint_edge(rng, limit):
    """0..limit, often an edge: of the limit itself or of a msgpack width."""
    if rng.random() < 0.5:
        return rng.randint(0, limit)
    return rng.choice([v for v in (0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, limit - 1, limit)
                       if 0 <= v <= limit])


def _text(rng, nbytes):
    """A str of at most nbytes UTF-8 bytes, sometimes non-ASCII."""
    alphabet = "abcXYZ019-_ " if rng.random() < 0.6 else "aé€😀\u0301ß\u200b"
    out = ""
    while True:
        c = rng.choice(alphabet)
        if len((out + c).encode("utf-8")) > nbytes:
            return out
        out += c
        if rng.random() < 0.1 and len(out.encode("utf-8")) * 2 >= nbytes:
            return out


def valid_value(rng, kind):
    """A random value that fits a field kind of the catalogue."""
    k, limit = kind[0], kind[1]
    if k == "uint":
        return _uint_edge(rng, limit)
    if k == "str":
        return _text(rng, rng.choice((0, 1, limit, rng.randint(0, limit))))
    if k == "bin":
        least = kind[2] if len(kind) > 2 else 0
        return rng.randbytes(rng.choice((least, limit, rng.randint(least, limit))))
    if k == "bool":
        return rng.random() < 0.5
    if k == "list":
        item, most = limit
        return [valid_value(rng, item) for _ in range(rng.choice((0, 1, 2, min(most, 4))))]
    return [valid_value(rng, sub) for sub in limit]  # row


def wrong_value(rng, kind):
    """A value of the wrong kind or out of range for a field kind, as msgpack bytes."""
    k, limit = kind[0], kind[1]
    pool = [mpack.pack(v) for v in (None, True, False, -1, -(2 ** 63), 2 ** 64 - 1, "", b"", [], {}, [[[]]],
                                    {0: 0}, "x" * 300, b"\x00" * 300)]
    if k == "uint":
        pool += [mpack.pack(limit + 1)] if limit < 2 ** 64 - 1 else []
        pool += [mpack.pack(str(limit)), mpack.pack(b"\x01")]
    elif k == "str":
        pool += [mpack.pack("y" * (limit + 1)), mpack.pack("é" * (limit // 2 + 1)), mpack.pack(b"text")]
    elif k == "bin":
        least = kind[2] if len(kind) > 2 else 0
        pool += [mpack.pack(b"\xaa" * (limit + 1)), mpack.pack("a" * max(1, least))]
        if least:
            pool += [mpack.pack(b"\xaa" * (least - 1))]
    elif k == "bool":
        pool += [mpack.pack(0), mpack.pack(1), mpack.pack("true")]
    elif k == "list":
        item, most = limit
        pool += [mpack.pack([valid_value(rng, item)] * (most + 1)) if most < 64 else mpack.pack([None] * 300),
                 mpack.pack([None]), mpack.pack([[None] * 9])]
    else:  # row
        pool += [mpack.pack([None] * len(limit)), mpack.pack([0] * (len(limit) + 1)), mpack.pack([])]
    return rng.choice(pool + list(HOSTILE))


def message_payload(rng, name, seq=None, bad=0.0, extra=0.0):
    """The msgpack payload of message `name`: fields valid, or each with probability `bad` hostile.

    With probability `extra` an unknown key is added; with bad > 0 some required fields are
    left out and the type or seq may be hostile too. Keys go in key order, or shuffled.
    """
    t = messages.TYPE_OF[name]
    if seq is None:
        seq = rng.choice((0, 1, 65535, rng.randint(1, 65535)))
    pairs = [(b"\x00", mpack.pack(t)), (b"\x01", mpack.pack(seq))]
    for key, _field, kind, required in messages.CATALOGUE[t][1]:
        if not required and rng.random() < 0.3:
            continue
        if bad and rng.random() < bad / 3:
            continue  # a missing field
        if bad and rng.random() < bad:
            pairs.append((mpack.pack(key), wrong_value(rng, kind)))
        else:
            pairs.append((mpack.pack(key), mpack.pack(valid_value(rng, kind))))
    if rng.random() < extra:
        pairs.append((mpack.pack(rng.choice((9, 63, 127, 128, 65535, "k", -1))), mpack.pack(valid_value(
            rng, rng.choice((messages.U32, messages.SHORT_STR, messages.PING_BIN))))))
    if bad and rng.random() < bad / 2:
        i = rng.randrange(2)
        pairs[i] = (pairs[i][0], wrong_value(rng, messages.U16))  # type or seq itself hostile
    if rng.random() < 0.2:
        rng.shuffle(pairs)  # any order is accepted; only the encoder is canonical
    return raw_map(pairs)


def request_payload(rng, name=None, seq=None):
    """A valid request payload (the host's encoder would send it), random fields."""
    name = name or rng.choice(REQUESTS)
    return message_payload(rng, name, seq)


def mutate_bytes(rng, data):
    """data with one random mutation: bit flips, a cut, random bytes inserted, bytes deleted, a byte
    overwritten, or a HOSTILE value inserted."""
    b = bytearray(data)
    op = rng.randrange(6)
    if not b:
        return bytes(rng.randbytes(rng.randint(1, 8)))
    if op == 0:
        for _ in range(rng.choice((1, 1, 2, 8))):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
    elif op == 1:
        del b[rng.randrange(len(b)):]
    elif op == 2:
        i = rng.randrange(len(b) + 1)
        b[i:i] = rng.randbytes(rng.choice((1, 1, 3, 17)))
    elif op == 3:
        i = rng.randrange(len(b))
        del b[i : i + rng.choice((1, 1, 2, 9))]
    elif op == 4:
        b[rng.randrange(len(b))] = rng.choice((0x00, 0xFF, 0xC1, 0x80, 0xDF, rng.randrange(256)))
    else:
        i = rng.randrange(len(b))
        b[i:i] = rng.choice(HOSTILE)
    return bytes(b)


def mutated_frame(rng):
    """A request frame damaged on the wire or in its msgpack (then framed with a valid CRC)."""
    payload = request_payload(rng)
    how = rng.randrange(4)
    if how == 0:  # damaged after framing: the CRC (or COBS) must catch it
        f = frame(payload)
        return mutate_bytes(rng, f[:-1]) + b"\x00"
    if how == 1:  # a wrong CRC on a good payload
        crc = (crc32(payload) ^ (1 << rng.randrange(32))).to_bytes(4, "little")
        return cobs.encode(payload + crc) + b"\x00"
    if how == 2:  # damaged framing without its delimiter (the next item's 0x00 ends it)
        return mutate_bytes(rng, frame(payload))
    return frame(mutate_bytes(rng, payload))  # a good CRC around bad msgpack


def random_run(rng):
    """Random bytes: zero-free or not, a few bytes to several frames long."""
    n = rng.choice((1, 2, 5, 16, 100, 255, 256, 1028, 1029, 1100, 3000, rng.randint(1, 2000)))
    if rng.random() < 0.5:
        data = bytes(rng.randint(1, 255) for _ in range(n))  # no delimiter: one long frame
    else:
        data = rng.randbytes(n)
    return data + (b"\x00" if rng.random() < 0.5 else b"")


def catalogue_frame(rng, name):
    """A good-CRC frame of message `name` with random, hostile or extra fields."""
    return frame(message_payload(rng, name, bad=rng.choice((0.0, 0.0, 0.3, 1.0)), extra=0.3))


def msgpack_frame(rng, h=None):
    """A good-CRC frame of hostile msgpack h (one of HOSTILE by default) in place of a message, or inside one."""
    if h is None:
        h = rng.choice(HOSTILE)
    how = rng.randrange(6)
    if how == 0:
        payload = h  # the whole payload
    elif how == 1:
        payload = raw_map([(b"\x00", b"\x03"), (b"\x01", b"\x05"), (b"\x02", h)])  # ping whose data is hostile
    elif how == 2:
        payload = raw_map([(b"\x00", b"\x03"), (b"\x01", b"\x05"), (b"\x09", h)])  # an unknown key's value
    elif how == 3:
        payload = raw_map([(h, b"\x00"), (b"\x00", b"\x03"), (b"\x01", b"\x05")])  # hostile key
    elif how == 4:
        payload = rng.choice(MAP_EDGES) + b"\x00\x03\x01\x05"  # the map's count lies
    else:
        payload = request_payload(rng) + h  # trailing bytes
    return frame(payload)


def padded_ping(n, seq, pad_byte):
    """A ping of exactly n payload bytes: type, seq and an unknown key 9 holding bin16 padding."""
    pad = pad_byte * (n - 9)  # map head, type, seq, key 9, bin16 head: 9 bytes
    bin16 = b"\xc5" + len(pad).to_bytes(2, "big") + pad
    return raw_map([(b"\x00", b"\x03"), (b"\x01", bytes((seq,))), (b"\x09", bin16)])


def oversized_frames():
    """Frames past the panel's max payload, by either of the decoder's two checks, and ones of exactly the max."""
    out = []
    for n in (MAX_PAYLOAD + 1, MAX_PAYLOAD + 2, MAX_PAYLOAD + 4, 1100, 2048, 9000):
        out.append(frame(padded_ping(n, 7, b"p")))  # zero-free: longer than the buffer, skipped unstored
        out.append(frame(padded_ping(n, 7, b"\x00")))  # zeros cost COBS nothing: stored, then refused
    out.append(frame(padded_ping(MAX_PAYLOAD, 8, b"q")))  # exactly 1024 bytes of payload: answered
    out.append(frame(padded_ping(MAX_PAYLOAD, 9, b"\x00")))
    for n in (1031, 1032, 1033, 1034, 1035):  # encoded lengths around the decoder's buffer (1033 bytes)
        out.append(b"\x01" * n + b"\x00")
        out.append(b"\xfe" * n + b"\x00")
    out.append(b"\x01" * 20000 + b"\x00")  # a zero-free run far past any frame
    out.append(b"\xff" * 5000)  # COBS blocks of 254 with no end, then whatever follows
    return out


def storms():
    """Delimiters and tiny frames."""
    return [
        b"\x00" * 4000,
        b"\x01\x00" * 1000,  # 1000 frames decoding to one zero byte: truncated
        b"\x02\x01\x00" * 500,
        b"\x05\x01\x02\x03\x04\x00" * 300,  # 4 bytes, still no payload
        b"\xff\x00" * 500,  # a code running past the end
        b"\x03\x00\x00" * 300,
        frame(b"\x80") * 50,  # 50 empty maps in a row, good CRCs: 50 errors back
        frame(b"\xc0") * 50,  # 50 nils
        b"\x00".join(frame(request_payload(random.Random(i), "ping"))[:-1] for i in range(64)) + b"\x00",
    ]


def _req(rng, name, seq, fields):
    f = {}
    for key, field, kind, required in messages.CATALOGUE[messages.TYPE_OF[name]][1]:
        if field in fields:
            f[field] = fields[field]
        elif required:
            f[field] = valid_value(rng, kind)
    return frame(messages.encode(name, seq, f))


def odd_orders(rng):
    """Valid requests in orders a correct host never sends them; each item one stream."""

    def r(msg, seq, /, **fields):
        return _req(rng, msg, seq, fields)

    hello2 = lambda seq, mf=1024: r("hello", seq, vmin=1, vmax=2, max_frame=mf)  # noqa: E731
    host = {"host_id": "fuzz-host", "host_nonce": b"\x11" * 16}
    items = [
        r("auth_start", 1, **host) + r("auth", 2, mac=b"\x22" * 32),  # auth before hello
        r("auth", 3, mac=b"\x22" * 32),  # auth with no challenge
        r("pull", 4, case="00000000", start=1, window=8),  # pull before auth (and before hello)
        hello2(5) + r("pull", 6, case="00000000", start=1, window=8),  # pull before auth
        hello2(7) + r("pair_confirm", 8, proof=b"\x33" * 32),  # pair_confirm without pair_start
        hello2(9) + r("auth", 10, mac=b"\x44" * 32),  # auth without auth_start
        hello2(11) + r("auth_start", 12, **host) + r("auth", 13, mac=b"\x44" * 32)  # unknown host
        + r("auth", 14, mac=b"\x44" * 32),  # and the challenge used up
        hello2(15) + r("unpair", 16) + r("set_time", 17, wall_ms=1797000000000)
        + r("list_cases", 18, start=0) + r("list_anchors", 19, start=0) + r("ack", 20, case="x", upto=1)
        + r("profile", 21, operator_id="op", name="Dr X"),  # every authenticated request, unauthenticated
        r("hello", 22, vmin=1, vmax=1, max_frame=1024) + r("pair_start", 23, host_id="h", host_name="n",
                                                            host_nonce=b"\x00" * 16),  # v2 in a v1 session
        r("hello", 24, vmin=2, vmax=1, max_frame=1024),  # vmin > vmax
        r("hello", 25, vmin=3, vmax=65535, max_frame=1024),  # no version in common
        r("hello", 26, vmin=0, vmax=0, max_frame=1024),
        r("hello", 27, vmin=1, vmax=2, max_frame=255),  # max_frame below 256
        r("hello", 28, vmin=1, vmax=2, max_frame=0),
        hello2(29, 256) + r("ping", 30, data=b"\xee" * 256),  # a pong that cannot fit the host's frame
        hello2(31, 0xFFFFFFFF) + r("ping", 32, data=b"\xee" * 256),
        hello2(33) + r("pair_start", 34, host_id="fuzz-host", host_name="Fuzz", host_nonce=b"\x55" * 16)
        + r("pair_start", 35, host_id="fuzz-host", host_name="Fuzz", host_nonce=b"\x56" * 16)  # replaced
        + r("hello", 36, vmin=1, vmax=2, max_frame=1024)  # a new hello closes the window
        + r("pair_confirm", 37, proof=b"\x57" * 32),
        r("ping", 0) + r("ping", 65535) + r("ping", 0, data=b""),  # seq edges
        b"".join(frame(mpack.pack({0: t, 1: 40 + i})) for i, t in enumerate((2, 4, 6, 8, 10, 12, 14, 16, 18, 20,
                                                                             22, 24, 26, 127, 0, 28, 126, 255,
                                                                             65535, 2 ** 32, 2 ** 64 - 1))),
        frame(mpack.pack({0: 1, 1: 70})),  # hello with no fields
        b"".join(frame(mpack.pack(m)) for m in ({1: 71}, {0: 3}, {0: 3, 1: -1}, {0: 3, 1: 65536}, {0: -3, 1: 72},
                                                {0: "ping", 1: 73}, {"0": 3, "1": 74}, [3, 75])),  # no type or seq
        hello2(76) + hello2(77) + hello2(78) + r("ping", 79),  # hello again and again
    ]
    for i in range(12):  # random valid requests in a random order, with or without a hello first
        seq = rng.randint(1, 65535)
        head = hello2(seq) if rng.random() < 0.5 else b""
        items.append(head + b"".join(frame(request_payload(rng, seq=rng.randint(0, 65535)))
                                     for _ in range(rng.randint(1, 6))))
    return items


def corpus_items(seed=SEED):
    """[(family, bytes), ...]: the whole corpus, the same for the same seed."""
    rng = random.Random(seed)
    out = []
    out += [("random", random_run(rng)) for _ in range(400)]
    out += [("mutated", mutated_frame(rng)) for _ in range(6000)]
    names = [messages.CATALOGUE[t][0] for t in sorted(messages.CATALOGUE)]
    for _ in range(64):
        out += [("catalogue", catalogue_frame(rng, name)) for name in names]
    out += [("msgpack", msgpack_frame(rng)) for _ in range(2000)]
    out += [("msgpack", frame(h)) for h in HOSTILE]
    out += [("oversized", f) for f in oversized_frames()]
    out += [("storm", s) for s in storms()]
    out += [("order", s) for s in odd_orders(rng)]
    rng.shuffle(out)  # interleave the families, so that the state one leaves meets the next
    return out


def corpus(seed=SEED):
    """The corpus as a list of byte strings (see corpus_items for their families)."""
    return [b for _tag, b in corpus_items(seed)]


# Requests an authenticated host may send, except unpair (it would end the phase);
# and the frames of them a fuzzer sends once past authentication.
AUTHED = ("set_time", "list_cases", "pull", "ack", "list_anchors", "profile")


def authed_frame(rng, case_ids=()):
    """One frame for an authenticated session: an authenticated request, valid, hostile or damaged."""
    name = rng.choice(AUTHED)
    how = rng.randrange(5)
    if how == 0 and case_ids and name in ("pull", "ack"):  # a real case, edge numbers
        fields = {"case": rng.choice(case_ids)}
        if name == "pull":
            fields.update(start=rng.choice((0, 1, 2, 199, 200, 201, 2 ** 32 - 1, rng.randint(1, 300))),
                          window=rng.choice((0, 1, 2, 64, 65535, rng.randint(1, 100))))
        else:
            fields.update(upto=rng.choice((0, 1, 50, 199, 200, 201, 2 ** 32 - 1, rng.randint(0, 300))))
        return frame(messages.encode(name, rng.randint(1, 65535), fields))
    if how == 1:
        return frame(mutate_bytes(rng, message_payload(rng, name)))
    if how == 2:
        f = frame(message_payload(rng, name))
        return mutate_bytes(rng, f[:-1]) + b"\x00"
    return frame(message_payload(rng, name, bad=rng.choice((0.0, 0.3, 1.0)), extra=0.3))


def authed_corpus(seed=SEED, case_ids=(), n=600):
    """n frames (byte strings) for an authenticated session; case_ids: cases the panel holds."""
    rng = random.Random(seed + 1)
    return [authed_frame(rng, tuple(case_ids)) for _ in range(n)]


if __name__ == "__main__":
    items = corpus_items()
    fams = {}
    for tag, b in items:
        n, size = fams.get(tag, (0, 0))
        fams[tag] = (n + 1, size + len(b))
    for tag in sorted(fams):
        print("%-10s %5d items %8d bytes" % (tag, fams[tag][0], fams[tag][1]))
    print("%-10s %5d items %8d bytes" % ("total", len(items), sum(len(b) for _t, b in items)))
