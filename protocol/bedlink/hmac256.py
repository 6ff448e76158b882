# bedlink/hmac256.py — HMAC-SHA256 (RFC 2104) over hashlib.sha256, and a constant-time compare.
#
# MicroPython has hashlib.sha256 but no `hmac` module, so both sides use this one
# definition (checked against RFC 4231's vectors and CPython's hmac in the tests).
# MicroPython's sha256 objects cannot be copied and are final after digest(),
# so every call hashes the padded key afresh. A key used for many messages (a
# session key, bedlink.seal) keeps its two padded blocks (pads()) and MACs each
# message with digest_padded(): two SHA-256 runs a message, no Python loop.
#
#   HMAC(K, m) = H((K' ^ opad) || H((K' ^ ipad) || m))
#   K' = K zero-padded to the 64-byte block (H(K) first if K is longer than a block)

import hashlib

BLOCK = 64  # SHA-256 block size, bytes
SIZE = 32  # SHA-256 digest size, bytes
_IPAD = 0x36
_OPAD = 0x5C


def _pad(key, byte):
    # key XOR byte over one block; bytes past the key are 0 XOR byte.
    out = bytearray(BLOCK)
    n = len(key)
    for i in range(BLOCK):
        out[i] = (key[i] if i < n else 0) ^ byte
    return out


def pads(key):
    """The (inner, outer) padded blocks of `key`: K' ^ ipad and K' ^ opad, 64 bytes each."""
    if len(key) > BLOCK:
        key = hashlib.sha256(key).digest()
    return bytes(_pad(key, _IPAD)), bytes(_pad(key, _OPAD))


def digest_padded(inner, outer, parts):
    """HMAC-SHA256 under the key whose pads() are (inner, outer), of the concatenation of `parts`."""
    h = hashlib.sha256(inner)
    for p in parts:
        h.update(p)
    mac = h.digest()
    h = hashlib.sha256(outer)
    h.update(mac)
    return h.digest()


def digest(key, msg):
    """HMAC-SHA256 of `msg` under `key` (both bytes-like): 32 bytes."""
    inner, outer = pads(key)
    return digest_padded(inner, outer, (msg,))


def equal(a, b):
    """True when bytes `a` and `b` are equal, in time independent of where they differ.

    The lengths are not secret (a MAC's length is fixed by the protocol), so
    unequal lengths return False at once; equal lengths always visit every byte.
    """
    if len(a) != len(b):
        return False
    acc = 0
    for i in range(len(a)):
        acc |= a[i] ^ b[i]
    return acc == 0
