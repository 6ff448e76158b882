# bedlink/pairing.py — the pairing and authentication crypto both sides share: pure functions.
#
# Pairing: the panel shows a 6-digit code; both sides derive the per-host key K
# from it, the two identities and both nonces, then each proves it holds K. The
# host proves first. Authentication: every session, a challenge-response with
# fresh nonces on both sides; each MAC covers both nonces and the device id, so
# no reply can be replayed into another session or to another panel.
#
#   K          = HMAC(code ASCII, "bedside-pair-v1\0" host_id "\0" device_id "\0" host_nonce panel_nonce)
#   host proof = HMAC(K, "pair-host"  panel_nonce host_nonce)
#   panel proof= HMAC(K, "pair-panel" host_nonce panel_nonce)
#   host MAC   = HMAC(K, "auth-host"  panel_nonce host_nonce device_id)
#   panel MAC  = HMAC(K, "auth-panel" host_nonce panel_nonce device_id)
#   SK         = HMAC(K, "bedside-session-v3" host_nonce panel_nonce device_id)   (v3: bedlink.seal)
#
# HMAC is HMAC-SHA256 (bedlink.hmac256); ids are UTF-8, 1..64 bytes with no NUL
# (NUL separates them, so no two (host_id, device_id) pairs give the same input);
# nonces are 16 bytes, K and every proof and MAC 32 bytes. A 6-digit code has
# 20 bits: anyone holding a transcript that contains a proof can find it offline
# (protocol/README.md, "Security limits"). Time and randomness are the caller's.

from bedlink import hmac256

NONCE_LEN = 16
KEY_LEN = 32
MAC_LEN = 32
CODE_DIGITS = 6
ID_MAX = 64  # longest host or device id, UTF-8 bytes
CODE_BYTES = 3  # random bytes drawn per code candidate: 24 bits stay a small int on a board
CODE_LIMIT = 16000000  # largest multiple of 10**6 <= 2**24: candidates at or above it are rejected

_KDF_LABEL = b"bedside-pair-v1\0"
_SESSION_LABEL = b"bedside-session-v3"


def code_from_bytes(b):
    """The 6-digit code three random bytes give, or None when they must be rejected.

    Rejection sampling: a 24-bit value below CODE_LIMIT maps onto 0..999999 with
    exactly 16 values per code, so every code is equally likely; the 777,216
    values at or above the limit (4.6 %) are thrown away and fresh bytes drawn.
    """
    if len(b) != CODE_BYTES:
        raise ValueError("a code candidate is %d bytes" % CODE_BYTES)
    n = (b[0] << 16) | (b[1] << 8) | b[2]
    if n >= CODE_LIMIT:
        return None
    return "%06d" % (n % 1000000)


def new_code(random_bytes):
    """A uniformly random 6-digit code (a str with leading zeros) from random_bytes(n)."""
    while True:
        code = code_from_bytes(random_bytes(CODE_BYTES))
        if code is not None:
            return code


def check_code(code):
    """Raise ValueError unless `code` is a str of exactly six ASCII digits."""
    if type(code) is not str or len(code) != CODE_DIGITS:
        raise ValueError("a pairing code is %d digits" % CODE_DIGITS)
    for c in code:
        if c < "0" or c > "9":
            raise ValueError("a pairing code is %d digits" % CODE_DIGITS)


def id_bytes(what, value):
    """The UTF-8 bytes of a host or device id; ValueError unless 1..64 bytes with no NUL."""
    if type(value) is not str:
        raise ValueError("%s must be a str" % what)
    b = value.encode("utf-8")
    if not 1 <= len(b) <= ID_MAX or b"\0" in b:
        raise ValueError("%s must be 1..%d UTF-8 bytes without NUL" % (what, ID_MAX))
    return b


def _bin(what, value, size):
    if (type(value) is not bytes and type(value) is not bytearray) or len(value) != size:
        raise ValueError("%s must be %d bytes" % (what, size))
    return value


def derive_key(code, host_id, device_id, host_nonce, panel_nonce):
    """K, the 32-byte per-host key both sides derive from the code shown on the panel."""
    check_code(code)
    msg = bytearray(_KDF_LABEL)
    msg.extend(id_bytes("host_id", host_id))
    msg.extend(b"\0")
    msg.extend(id_bytes("device_id", device_id))
    msg.extend(b"\0")
    msg.extend(_bin("host_nonce", host_nonce, NONCE_LEN))
    msg.extend(_bin("panel_nonce", panel_nonce, NONCE_LEN))
    return hmac256.digest(code.encode("utf-8"), msg)


def _mac(key, label, first, second, tail=b""):
    _bin("key", key, KEY_LEN)
    msg = bytearray(label)
    msg.extend(_bin("nonce", first, NONCE_LEN))
    msg.extend(_bin("nonce", second, NONCE_LEN))
    msg.extend(tail)
    return hmac256.digest(key, msg)


def host_proof(key, host_nonce, panel_nonce):
    """The host's pairing proof: HMAC(K, "pair-host" panel_nonce host_nonce)."""
    return _mac(key, b"pair-host", panel_nonce, host_nonce)


def panel_proof(key, host_nonce, panel_nonce):
    """The panel's pairing proof: HMAC(K, "pair-panel" host_nonce panel_nonce)."""
    return _mac(key, b"pair-panel", host_nonce, panel_nonce)


def host_mac(key, host_nonce, panel_nonce, device_id):
    """The host's session MAC: HMAC(K, "auth-host" panel_nonce host_nonce device_id)."""
    return _mac(key, b"auth-host", panel_nonce, host_nonce, id_bytes("device_id", device_id))


def panel_mac(key, host_nonce, panel_nonce, device_id):
    """The panel's session MAC: HMAC(K, "auth-panel" host_nonce panel_nonce device_id)."""
    return _mac(key, b"auth-panel", host_nonce, panel_nonce, id_bytes("device_id", device_id))


def session_key(key, host_nonce, panel_nonce, device_id):
    """SK, the key that seals every frame of the session this authentication opened:
    HMAC(K, "bedside-session-v3" host_nonce panel_nonce device_id)."""
    return _mac(key, _SESSION_LABEL, host_nonce, panel_nonce, id_bytes("device_id", device_id))
