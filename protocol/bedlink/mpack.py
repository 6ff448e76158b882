# bedlink/mpack.py — the project's own msgpack codec, the subset the wire needs.
#
# Types: nil, bool, int (-2**63 .. 2**64-1), str (UTF-8), bin, array, map. No
# float, no ext: the wire carries integers with stated units. The encoder is
# canonical: the smallest encoding of every value, map entries sorted by the
# bytes of their encoded keys (RFC 8949 §4.2.1 order), so both runtimes produce
# identical bytes. The decoder accepts any width but refuses anything it cannot
# bound: a length longer than the data left, nesting deeper than MAX_DEPTH,
# duplicate or unhashable map keys, bad UTF-8, trailing bytes.
# Type tags: msgpack spec, github.com/msgpack/msgpack/blob/master/spec.md.

from bedlink.errors import ProtocolError, E_DECODE

MAX_DEPTH = 16
_U64 = 0xFFFFFFFFFFFFFFFF
_I64_MIN = -0x8000000000000000


def pack(obj):
    """Encode obj canonically; raise TypeError/ValueError for what msgpack-subset cannot hold."""
    out = bytearray()
    _pack(obj, out, 0)
    return bytes(out)


def _head(out, n, small, small_max, t8, t16, t32):
    # Length/size header: fix form when it fits, else the smallest explicit width.
    if n <= small_max and small is not None:
        out.append(small | n)
    elif n < 0x100 and t8 is not None:
        out.append(t8)
        out.append(n)
    elif n < 0x10000:
        out.append(t16)
        out.extend(n.to_bytes(2, "big"))
    elif n <= 0xFFFFFFFF:
        out.append(t32)
        out.extend(n.to_bytes(4, "big"))
    else:
        raise ValueError("msgpack length %d too large" % n)


def _pack(o, out, depth):
    if depth > MAX_DEPTH:
        raise ValueError("nesting deeper than %d" % MAX_DEPTH)
    t = type(o)
    if o is None:
        out.append(0xC0)
    elif t is bool:
        out.append(0xC3 if o else 0xC2)
    elif t is int:
        _pack_int(o, out)
    elif t is str:
        b = o.encode("utf-8")
        _head(out, len(b), 0xA0, 31, 0xD9, 0xDA, 0xDB)
        out.extend(b)
    elif t is bytes or t is bytearray or t is memoryview:
        _head(out, len(o), None, -1, 0xC4, 0xC5, 0xC6)
        out.extend(o)
    elif t is list or t is tuple:
        _head(out, len(o), 0x90, 15, None, 0xDC, 0xDD)
        for v in o:
            _pack(v, out, depth + 1)
    elif t is dict:
        _head(out, len(o), 0x80, 15, None, 0xDE, 0xDF)
        items = []
        for k in o:
            if type(k) is not int and type(k) is not str:
                raise TypeError("msgpack map keys must be int or str, not %s" % type(k).__name__)
            kb = bytearray()
            _pack(k, kb, depth + 1)
            items.append((bytes(kb), o[k]))
        items.sort(key=_first)
        for kb, v in items:  # type: ignore[assignment]  # the packed key, now bytes
            out.extend(kb)
            _pack(v, out, depth + 1)
    else:
        raise TypeError("cannot encode %s in msgpack (the wire carries no floats)" % t.__name__)


def _first(kv):
    return kv[0]


def _pack_int(o, out):
    if 0 <= o < 0x80:
        out.append(o)
    elif -32 <= o < 0:
        out.append(o & 0xFF)
    elif o >= 0:
        for tag, w in ((0xCC, 1), (0xCD, 2), (0xCE, 4), (0xCF, 8)):
            if o < (1 << (8 * w)):
                out.append(tag)
                out.extend(o.to_bytes(w, "big"))
                return
        raise ValueError("int %d above uint64" % o)
    else:
        for tag, w in ((0xD0, 1), (0xD1, 2), (0xD2, 4), (0xD3, 8)):
            if o >= -(1 << (8 * w - 1)):
                out.append(tag)
                out.extend((o + (1 << (8 * w))).to_bytes(w, "big"))
                return
        raise ValueError("int %d below int64" % o)


def unpack(data):
    """Decode exactly one msgpack value filling `data`; raise ProtocolError(E_DECODE)."""
    obj, i = _unpack(data, 0, 0)
    if i != len(data):
        raise ProtocolError(E_DECODE, "%d trailing bytes after the msgpack value" % (len(data) - i))
    return obj


def _need(data, i, k):
    if i + k > len(data):
        raise ProtocolError(E_DECODE, "truncated msgpack: %d bytes needed at offset %d" % (k, i))


def _uint(data, i, w):
    _need(data, i, w)
    return int.from_bytes(data[i : i + w], "big")


# Header byte -> (kind, width of the explicit length/value field).
_WIDTH = {
    0xC4: ("bin", 1), 0xC5: ("bin", 2), 0xC6: ("bin", 4),
    0xCC: ("uint", 1), 0xCD: ("uint", 2), 0xCE: ("uint", 4), 0xCF: ("uint", 8),
    0xD0: ("int", 1), 0xD1: ("int", 2), 0xD2: ("int", 4), 0xD3: ("int", 8),
    0xD9: ("str", 1), 0xDA: ("str", 2), 0xDB: ("str", 4),
    0xDC: ("array", 2), 0xDD: ("array", 4),
    0xDE: ("map", 2), 0xDF: ("map", 4),
}


def _utf8_ok(b):
    """True if b is well-formed UTF-8 (RFC 3629 §4), as CPython's decoder requires.

    MicroPython's str(b, "utf-8") accepts overlong forms, surrogates and code
    points above U+10FFFF; refusing them here makes both runtimes agree.
    """
    n = len(b)
    i = 0
    while i < n:
        c = b[i]
        if c < 0x80:
            i += 1
            continue
        if 0xC2 <= c <= 0xDF:
            k, lo, hi = 1, 0x80, 0xBF
        elif c == 0xE0:
            k, lo, hi = 2, 0xA0, 0xBF  # no overlong 3-byte form
        elif c == 0xED:
            k, lo, hi = 2, 0x80, 0x9F  # no surrogate
        elif 0xE1 <= c <= 0xEF:
            k, lo, hi = 2, 0x80, 0xBF
        elif c == 0xF0:
            k, lo, hi = 3, 0x90, 0xBF  # no overlong 4-byte form
        elif 0xF1 <= c <= 0xF3:
            k, lo, hi = 3, 0x80, 0xBF
        elif c == 0xF4:
            k, lo, hi = 3, 0x80, 0x8F  # nothing above U+10FFFF
        else:
            return False
        if i + k >= n or not lo <= b[i + 1] <= hi:
            return False
        for j in range(i + 2, i + k + 1):
            if not 0x80 <= b[j] <= 0xBF:
                return False
        i += k + 1
    return True


def _unpack(data, i, depth):
    if depth > MAX_DEPTH:
        raise ProtocolError(E_DECODE, "msgpack nested deeper than %d" % MAX_DEPTH)
    _need(data, i, 1)
    b = data[i]
    i += 1
    if b < 0x80:
        return b, i
    if b >= 0xE0:
        return b - 0x100, i
    if b == 0xC0:
        return None, i
    if b == 0xC2:
        return False, i
    if b == 0xC3:
        return True, i
    if 0xA0 <= b <= 0xBF:
        kind, n = "str", b & 0x1F
    elif 0x90 <= b <= 0x9F:
        kind, n = "array", b & 0x0F
    elif 0x80 <= b <= 0x8F:
        kind, n = "map", b & 0x0F
    else:
        spec = _WIDTH.get(b)
        if spec is None:
            raise ProtocolError(E_DECODE, "unsupported msgpack type 0x%02x" % b)
        kind, w = spec
        n = _uint(data, i, w)
        i += w
        if kind == "uint":
            return n, i
        if kind == "int":
            return (n - (1 << (8 * w)) if n >= (1 << (8 * w - 1)) else n), i
    if kind == "str" or kind == "bin":
        _need(data, i, n)
        raw = bytes(data[i : i + n])
        if kind == "bin":
            return raw, i + n
        try:
            s = str(raw, "utf-8")
        except UnicodeError:
            s = None
        # len(s) < n: some non-ASCII text, which MicroPython's str() checks loosely.
        if s is None or (len(s) != n and not _utf8_ok(raw)):
            raise ProtocolError(E_DECODE, "invalid UTF-8 in msgpack str")
        return s, i + n
    # Every element takes at least one byte: a count beyond the data left is refused
    # before anything is allocated for it.
    if n > len(data) - i:
        raise ProtocolError(E_DECODE, "truncated msgpack: %s of %d items, %d bytes left" % (kind, n, len(data) - i))
    if kind == "array":
        arr = []
        for _ in range(n):
            v, i = _unpack(data, i, depth + 1)
            arr.append(v)
        return arr, i
    d = {}
    for _ in range(n):
        k, i = _unpack(data, i, depth + 1)
        if type(k) is not int and type(k) is not str:
            raise ProtocolError(E_DECODE, "msgpack map key must be int or str")
        if k in d:
            raise ProtocolError(E_DECODE, "duplicate msgpack map key %r" % (k,))
        v, i = _unpack(data, i, depth + 1)
        d[k] = v
    return d, i
