# tests/portable/test_hmac_pairing.py — HMAC-SHA256, the pairing crypto and the panel's pairing state machine.
#
# Covers bedlink.hmac256 (RFC 4231 vectors, keys around the block size, the
# constant-time compare), bedlink.pairing (6-digit codes uniform by rejection
# sampling, golden values of the key, proofs and MACs, every input bound into the
# key) and panel.pairing on CPython and MicroPython: happy pairing, wrong code,
# the 120 s window at its edge (119,999 ms open, 120,000 closed), three wrong
# proofs close the window, backoff edges (refused at last failure + 2**f s - 1 ms,
# allowed at exactly + 2**f s, capped at 300 s), lockout at 10 failures until
# unlock(), auth happy path, replayed and wrong-key auth refused, an unknown host id
# answered like a known one (a decoy challenge, a counted failure), the session key
# of a successful auth, pairing that starts at the panel (arm(): pair_start refused
# before it and after ARM_MS, re-pairing too; the window's host name),
# unpair/forget, end_session, the allowed() table, keys and the failure count
# kept on flash across a new Pairing on the same root, damaged files failing closed.
# Numbers: RFC 4231 §4.2-4.8 (https://www.rfc-editor.org/rfc/rfc4231), test cases
# 1-4, 6, 7 (case 5 is a truncated output, not used here); the pairing limits are
# the project's (panel/pairing.py). The golden key/proof/MAC values were produced
# by bedlink.pairing and are recomputed from the written definitions with CPython's
# own hmac module in tests/test_host_pairing.py.
# Run alone: .venv/bin/pytest tests/portable/test_hmac_pairing.py
#   or: MICROPYPATH=tests/portable:protocol:firmware micropython tests/mprun.py test_hmac_pairing

import binascii
import hashlib
import os

from bedlink import hmac256
from bedlink import pairing as crypto
from bedlink.errors import E_AUTH, E_LOCKED, E_PAIRING, E_SHAPE, ProtocolError
from panel import atomic
from panel.pairing import (
    ARM_MS, BACKOFF_CAP_MS, LOCKOUT_AT, MAX_HOSTS, OPEN_REQUESTS, WINDOW_MS, Pairing, backoff_ms,
)
from ptest import raises

h2b = binascii.unhexlify

# RFC 4231 §4: (case, key, data, HMAC-SHA-256).
RFC4231 = (
    (1, b"\x0b" * 20, b"Hi There",
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    (2, b"Jefe", b"what do ya want for nothing?",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    (3, b"\xaa" * 20, b"\xdd" * 50,
     "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
    (4, h2b("0102030405060708090a0b0c0d0e0f10111213141516171819"), b"\xcd" * 50,
     "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
    (6, b"\xaa" * 131, b"Test Using Larger Than Block-Size Key - Hash Key First",
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    (7, b"\xaa" * 131,
     b"This is a test using a larger than block-size key and a larger than block-size data. "
     b"The key needs to be hashed before being used by the HMAC algorithm.",
     "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
)

DEVICE = "panel-0001"
HOST = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
T0 = 5000  # a panel that has been up a while


# -- helpers ---------------------------------------------------------------


class Rng:
    """Deterministic random_bytes(n): SHA-256 of a seed and a counter; counts the calls."""

    def __init__(self, seed=b"seed"):
        self.seed = seed
        self.n = 0
        self.calls = 0

    def __call__(self, n):
        self.calls += 1
        out = b""
        while len(out) < n:
            self.n += 1
            out += hashlib.sha256(self.seed + str(self.n).encode()).digest()
        return out[:n]


class Scripted:
    """random_bytes(n) that hands out the given byte strings in order."""

    def __init__(self, chunks):
        self.chunks = list(chunks)

    def __call__(self, n):
        b = self.chunks.pop(0)
        assert len(b) == n
        return b


_roots = [0]


def _remove_tree(root):
    try:
        names = os.listdir(root)
    except OSError:
        return
    for name in names:
        os.remove(root + "/" + name)
    os.rmdir(root)


def with_root(fn):
    """Run fn(root) on a fresh directory that is removed afterwards."""

    def run():
        _roots[0] += 1
        root = "/tmp/bedside-pairing-%s-%d" % (str(binascii.hexlify(os.urandom(6)), "ascii"), _roots[0])
        try:
            fn(root)
        finally:
            _remove_tree(root)

    return run


class Rig:
    """A panel Pairing with a code screen recorder, and a host that can answer it."""

    def __init__(self, root, seed=b"panel"):
        self.root = root
        self.shown = []
        self.p = Pairing(root, DEVICE, Rng(seed), self.shown.append)

    def reopen(self):
        """A new Pairing on the same root: what a reboot sees."""
        self.shown = []
        self.p = Pairing(self.root, DEVICE, Rng(b"after reboot"), self.shown.append)
        return self.p

    def start(self, now, host=HOST, hn=b"H" * 16):
        """Open pairing at the panel (someone taps Pair a host) and let `host` ask for a code at `now`."""
        if not self.p.armed(now):
            self.p.arm(now)
        reply = self.p.pair_start(host, "nurse station", hn, now)
        return hn, reply["panel_nonce"], self.shown[-1]

    def proof(self, code, hn, pn, host=HOST):
        return crypto.host_proof(crypto.derive_key(code, host, DEVICE, hn, pn), hn, pn)

    def pair(self, now, host=HOST):
        """Pair `host` fully at `now`; return its key."""
        hn, pn, code = self.start(now, host)
        reply = self.p.pair_confirm(self.proof(code, hn, pn, host), now)
        key = crypto.derive_key(code, host, DEVICE, hn, pn)
        assert reply["proof"] == crypto.panel_proof(key, hn, pn)
        return key

    def auth(self, key, now, host=HOST, hn=b"A" * 16):
        pn = self.p.auth_start(host, hn, now)["panel_nonce"]
        mac = crypto.host_mac(key, hn, pn, DEVICE)
        return hn, pn, mac, self.p.auth(mac, now)

    def fail_auth(self, now, host=HOST):
        """One wrong auth MAC at `now` (the host must be paired)."""
        self.p.auth_start(host, b"W" * 16, now)
        e = raises(ProtocolError, self.p.auth, b"\0" * 32, now)
        assert e.code == E_AUTH


def code_err(code, fn, *args):
    e = raises(ProtocolError, fn, *args)
    assert e.code == code, (e.code, e.reason)
    return e


# -- HMAC ------------------------------------------------------------------


def test_hmac_matches_rfc4231_test_cases_1_to_4_6_7():
    for case, key, data, mac in RFC4231:
        assert hmac256.digest(key, data) == h2b(mac), case
        assert hmac256.digest(bytearray(key), bytearray(data)) == h2b(mac), case


def test_hmac_keys_around_the_block_size():
    msg = b"message"
    for n in (0, 1, 63, 64):  # up to a block: zero-padded, so the key and its padded form agree
        key = bytes(range(n))
        assert hmac256.digest(key, msg) == hmac256.digest(key + b"\0" * (64 - n), msg)
    for n in (65, 131, 200):  # longer than a block: hashed first (RFC 2104 §2)
        key = bytes(i & 0xFF for i in range(n))
        assert hmac256.digest(key, msg) == hmac256.digest(hashlib.sha256(key).digest(), msg)
    assert hmac256.digest(b"k" * 64, msg) != hmac256.digest(b"k" * 65, msg)
    assert len(hmac256.digest(b"", b"")) == hmac256.SIZE == 32


def test_equal_compares_every_byte_and_length():
    a = bytes(range(32))
    assert hmac256.equal(a, bytes(range(32)))
    assert hmac256.equal(a, bytearray(a))
    assert hmac256.equal(b"", b"")
    for i in (0, 15, 31):
        b = bytearray(a)
        b[i] ^= 0x01
        assert not hmac256.equal(a, b)
    assert not hmac256.equal(a, a[:31])
    assert not hmac256.equal(a, a + b"\0")


# -- codes -----------------------------------------------------------------


def test_code_candidates_map_16_values_to_each_code_and_reject_the_top():
    assert crypto.CODE_LIMIT % 1000000 == 0
    assert crypto.CODE_LIMIT <= 1 << 24 < crypto.CODE_LIMIT + 1000000  # the largest multiple that fits
    b3 = lambda n: bytes(((n >> 16) & 0xFF, (n >> 8) & 0xFF, n & 0xFF))
    for code in (0, 1, 123456, 999999):
        for k in range(16):
            assert crypto.code_from_bytes(b3(k * 1000000 + code)) == "%06d" % code
        if 16 * 1000000 + code < 1 << 24:  # the 17th would-be preimage, where it fits in 24 bits
            assert crypto.code_from_bytes(b3(16 * 1000000 + code)) is None
    assert crypto.code_from_bytes(b3(0)) == "000000"
    assert crypto.code_from_bytes(b3(crypto.CODE_LIMIT - 1)) == "999999"
    assert crypto.code_from_bytes(b3(crypto.CODE_LIMIT)) is None
    assert crypto.code_from_bytes(b"\xff\xff\xff") is None
    raises(ValueError, crypto.code_from_bytes, b"\0\0")
    raises(ValueError, crypto.code_from_bytes, b"\0\0\0\0")


def test_new_code_draws_again_after_a_rejected_candidate():
    rng = Scripted([b"\xff\xff\xff", b"\xf4\x24\x00", b"\x00\x00\x2a", b"\x01\x02\x03"])  # 0xf42400 = 16,000,000
    assert crypto.new_code(rng) == "000042"
    assert rng.chunks == [b"\x01\x02\x03"]


def test_codes_are_six_digits_and_spread_evenly():
    rng = Rng(b"codes")
    n = 2000
    counts = [[0] * 10 for _ in range(6)]
    for _ in range(n):
        code = crypto.new_code(rng)
        crypto.check_code(code)
        for pos in range(6):
            counts[pos][ord(code[pos]) - 48] += 1
    for pos in range(6):
        for d in range(10):  # expected 200 each, sd ~13.4: 60 is ~4.5 sd (and the draw is fixed)
            assert 140 <= counts[pos][d] <= 260, (pos, d, counts[pos][d])


def test_check_code_accepts_only_six_ascii_digits():
    crypto.check_code("000000")
    for bad in ("12345", "1234567", "12345a", " 12345", "١٢٣٤٥٦", 123456, None):
        raises(ValueError, crypto.check_code, bad)


# -- key, proofs, MACs -----------------------------------------------------

GOLD_HN = bytes(range(16))
GOLD_PN = bytes(range(16, 32))
GOLD = {  # derive_key("042917", "host-a", "panel-1", GOLD_HN, GOLD_PN) and what follows from it
    "key": "67ef69549bc9c903b6f04ecba55407a6aeb1e1652a934c08bc7eba22c5041861",
    "host_proof": "cfa46251990cce99c8789639a6b3c45cff7740fc94bf24a9b4151cd92c8ced5c",
    "panel_proof": "93438e1c4e95a87aa894fb46058b1d525fdb3ddfe281b7ffbc88bb9a3d98d434",
    "host_mac": "def72ac5711fc806f4bafa35a122b6f6e27e62b6707ba2e2bd7a8bf5b94eca39",
    "panel_mac": "8552743a5f1e8fdc396305e7c42191ba95ce91a7528e2ffe9524a69250b0d472",
}


def test_key_proofs_and_macs_match_the_golden_values():
    k = crypto.derive_key("042917", "host-a", "panel-1", GOLD_HN, GOLD_PN)
    assert k == h2b(GOLD["key"])
    assert crypto.host_proof(k, GOLD_HN, GOLD_PN) == h2b(GOLD["host_proof"])
    assert crypto.panel_proof(k, GOLD_HN, GOLD_PN) == h2b(GOLD["panel_proof"])
    assert crypto.host_mac(k, GOLD_HN, GOLD_PN, "panel-1") == h2b(GOLD["host_mac"])
    assert crypto.panel_mac(k, GOLD_HN, GOLD_PN, "panel-1") == h2b(GOLD["panel_mac"])


def test_every_input_is_bound_into_the_key_and_the_four_values_differ():
    base = ("042917", "host-a", "panel-1", GOLD_HN, GOLD_PN)
    k = crypto.derive_key(*base)
    for i, other in ((0, "042918"), (1, "host-b"), (2, "panel-2"), (3, GOLD_PN), (4, GOLD_HN)):
        args = list(base)
        args[i] = other
        assert crypto.derive_key(*args) != k, i
    # NUL separates the ids, so moving bytes from one id to the other changes the key
    assert crypto.derive_key("042917", "host-ap", "anel-1", GOLD_HN, GOLD_PN) != k
    vals = (crypto.host_proof(k, GOLD_HN, GOLD_PN), crypto.panel_proof(k, GOLD_HN, GOLD_PN),
            crypto.host_mac(k, GOLD_HN, GOLD_PN, "panel-1"), crypto.panel_mac(k, GOLD_HN, GOLD_PN, "panel-1"))
    assert len(set(vals)) == 4
    assert crypto.host_mac(k, GOLD_HN, GOLD_PN, "panel-2") != vals[2]


def test_bad_ids_nonces_and_keys_are_refused():
    for bad in ("", "a\0b", "x" * 65, b"host", None):
        raises(ValueError, crypto.derive_key, "042917", bad, "panel-1", GOLD_HN, GOLD_PN)
        raises(ValueError, crypto.derive_key, "042917", "host-a", bad, GOLD_HN, GOLD_PN)
    crypto.derive_key("042917", "x" * 64, "é" * 32, GOLD_HN, GOLD_PN)  # 64 UTF-8 bytes each: the limit
    raises(ValueError, crypto.derive_key, "042917", "host-a", "panel-1", GOLD_HN[:15], GOLD_PN)
    raises(ValueError, crypto.derive_key, "042917", "host-a", "panel-1", GOLD_HN, GOLD_PN + b"\0")
    raises(ValueError, crypto.derive_key, "04291", "host-a", "panel-1", GOLD_HN, GOLD_PN)
    raises(ValueError, crypto.host_proof, b"k" * 31, GOLD_HN, GOLD_PN)
    raises(ValueError, crypto.panel_mac, b"k" * 32, GOLD_HN, "x" * 16, "panel-1")


# -- the panel: pairing ----------------------------------------------------


@with_root
def test_happy_pairing_shows_the_code_keeps_the_key_and_hides_the_code(root):
    r = Rig(root)
    assert r.p.hosts() == [] and not r.p.damaged
    hn, pn, code = r.start(T0)
    crypto.check_code(code)
    assert len(pn) == 16 and r.shown == [code]
    assert r.p.window_open(T0)
    reply = r.p.pair_confirm(r.proof(code, hn, pn), T0 + 30000)
    key = crypto.derive_key(code, HOST, DEVICE, hn, pn)
    assert reply == {"proof": crypto.panel_proof(key, hn, pn)}
    assert r.shown == [code, None]
    assert r.p.hosts() == [(HOST, "nurse station")]
    assert not r.p.window_open(T0 + 30000)
    assert r.p.authed_host is None  # pairing gives a key; the session still authenticates
    code_err(E_PAIRING, r.p.pair_confirm, r.proof(code, hn, pn), T0 + 30001)  # the window is closed


@with_root
def test_wrong_code_counts_a_failure_and_keeps_the_window(root):
    r = Rig(root)
    hn, pn, code = r.start(T0)
    wrong = "%06d" % ((int(code) + 1) % 1000000)
    e = code_err(E_PAIRING, r.p.pair_confirm, r.proof(wrong, hn, pn), T0 + 100)
    assert "1 of 3" in e.reason
    assert r.p.failures == 1 and r.p.window_open(T0 + 100) and r.shown == [code]
    r.p.pair_confirm(r.proof(code, hn, pn), T0 + 100 + 2000)
    assert r.p.failures == 0 and r.p.hosts() == [(HOST, "nurse station")]


@with_root
def test_the_window_is_open_at_119999_ms_and_closed_at_120000(root):
    r = Rig(root)
    hn, pn, code = r.start(T0)
    r.p.pair_confirm(r.proof(code, hn, pn), T0 + WINDOW_MS - 1)
    assert r.p.hosts() == [(HOST, "nurse station")]

    r2 = Rig(root + "-2")
    try:
        hn, pn, code = r2.start(T0)
        assert r2.p.window_open(T0 + 119999)
        code_err(E_PAIRING, r2.p.pair_confirm, r2.proof(code, hn, pn), T0 + 120000)
        assert r2.shown == [code, None]  # expiry hides the code
        assert r2.p.failures == 0 and r2.p.hosts() == []  # an expired window is no failed guess
        hn, pn, code = r2.start(T0 + 200000)
        assert r2.p.window_open(T0 + 200000 + 119999) and not r2.p.window_open(T0 + 200000 + 120000)
        assert r2.shown[-1] is None  # window_open() noticed the expiry and hid the code
    finally:
        _remove_tree(root + "-2")
    assert WINDOW_MS == 120000


@with_root
def test_three_wrong_proofs_close_the_window(root):
    r = Rig(root)
    hn, pn, code = r.start(T0)
    bad = r.proof("%06d" % ((int(code) + 7) % 1000000), hn, pn)
    t = T0
    for i in (1, 2, 3):
        e = code_err(E_PAIRING, r.p.pair_confirm, bad, t)
        t += backoff_ms(i)
    assert "start again" in e.reason and r.shown == [code, None]
    assert r.p.failures == 3
    code_err(E_PAIRING, r.p.pair_confirm, r.proof(code, hn, pn), t)  # even the right code: a new one is needed
    assert r.p.hosts() == []
    hn, pn, code2 = r.start(t)
    r.p.pair_confirm(r.proof(code2, hn, pn), t)
    assert r.p.hosts() == [(HOST, "nurse station")] and r.p.failures == 0


@with_root
def test_a_new_pair_start_replaces_the_window_and_its_code(root):
    r = Rig(root)
    hn, pn, code = r.start(T0)
    hn2, pn2, code2 = r.start(T0 + 1000, hn=b"I" * 16)
    assert pn2 != pn and r.shown == [code, code2]
    code_err(E_PAIRING, r.p.pair_confirm, r.proof(code, hn, pn), T0 + 1001)
    r.p.pair_confirm(r.proof(code2, hn2, pn2), T0 + 1001 + 2000)
    assert r.p.hosts() == [(HOST, "nurse station")]


@with_root
def test_pair_confirm_without_a_window_is_e_pairing_and_no_failure(root):
    r = Rig(root)
    code_err(E_PAIRING, r.p.pair_confirm, b"\0" * 32, T0)
    assert r.p.failures == 0


@with_root
def test_malformed_fields_are_e_shape_and_count_no_failure(root):
    r = Rig(root)
    for host, name, hn in ((None, "n", b"H" * 16), ("", "n", b"H" * 16), ("a\0b", "n", b"H" * 16),
                           (HOST, None, b"H" * 16), (HOST, "n" * 65, b"H" * 16), (HOST, "n", b"H" * 15),
                           (HOST, "n", "H" * 16)):
        code_err(E_SHAPE, r.p.pair_start, host, name, hn, T0)
    assert r.shown == []
    r.start(T0)
    code_err(E_SHAPE, r.p.pair_confirm, b"\0" * 31, T0)
    code_err(E_SHAPE, r.p.pair_confirm, None, T0)
    code_err(E_SHAPE, r.p.auth_start, HOST, b"H" * 17, T0)
    assert r.p.failures == 0 and r.p.window_open(T0)


@with_root
def test_at_most_max_hosts_are_kept_and_re_pairing_replaces_a_key(root):
    r = Rig(root)
    t = T0
    for i in range(MAX_HOSTS):
        r.pair(t, "host-%02d" % i)
    code_err(E_PAIRING, r.p.pair_start, "one-too-many", "n", b"H" * 16, t)
    old = r.pair(t, "host-00")
    new = r.pair(t + 1, "host-00")
    assert old != new and len(r.p.hosts()) == MAX_HOSTS
    code_err(E_AUTH, r.auth, old, t + 2, "host-00")
    r.p.forget("host-05")
    r.pair(t + 3000, "one-too-many")


# -- the panel: backoff and lockout ----------------------------------------


@with_root
def test_backoff_refuses_until_exactly_last_failure_plus_2_to_the_f_seconds(root):
    r = Rig(root)
    r.pair(T0)
    t = T0
    for f in range(1, LOCKOUT_AT):
        r.fail_auth(t)
        assert r.p.failures == f
        wait = min(1000 * 2 ** f, 300000)
        assert backoff_ms(f) == wait
        e = code_err(E_LOCKED, r.p.auth_start, HOST, b"A" * 16, t + wait - 1)
        assert "retry in 1 ms" in e.reason, e.reason
        code_err(E_LOCKED, r.p.pair_start, HOST, "n", b"H" * 16, t + wait - 1)
        code_err(E_LOCKED, r.p.pair_confirm, b"\0" * 32, t + wait - 1)
        code_err(E_LOCKED, r.p.auth, b"\0" * 32, t + wait - 1)
        t += wait  # exactly then: allowed
    assert backoff_ms(9) == BACKOFF_CAP_MS == 300000 and backoff_ms(8) == 256000
    assert r.p.failures == 9 and not r.p.locked()


@with_root
def test_success_resets_the_failure_count(root):
    r = Rig(root)
    key = r.pair(T0)
    r.fail_auth(T0)
    r.fail_auth(T0 + 2000)
    assert r.p.failures == 2
    r.auth(key, T0 + 6000)
    assert r.p.failures == 0 and r.p.authed_host == HOST
    r.fail_auth(T0 + 6001)
    code_err(E_LOCKED, r.p.auth_start, HOST, b"A" * 16, T0 + 6001 + 1999)  # back to 2 s, not 8 s
    r.auth(key, T0 + 6001 + 2000)


@with_root
def test_ten_failures_lock_the_panel_until_unlock_even_across_a_reboot(root):
    r = Rig(root)
    key = r.pair(T0)
    t = T0
    for f in range(1, LOCKOUT_AT + 1):
        r.fail_auth(t)
        t += backoff_ms(f)
    assert r.p.failures == LOCKOUT_AT == 10 and r.p.locked()
    later = t + 24 * 3600 * 1000
    e = code_err(E_LOCKED, r.p.auth_start, HOST, b"A" * 16, later)
    assert "unlock on the panel" in e.reason
    code_err(E_LOCKED, r.p.pair_start, HOST, "n", b"H" * 16, later)
    p = r.reopen()  # power cycling the panel does not lift the lockout
    assert p.locked()
    code_err(E_LOCKED, p.auth_start, HOST, b"A" * 16, 0)
    p.unlock()
    assert not p.locked() and p.failures == 0
    r.auth(key, 1)
    assert p.authed_host == HOST
    assert not r.reopen().locked()


@with_root
def test_wrong_pairing_proofs_and_wrong_auth_macs_share_one_count(root):
    r = Rig(root)
    r.pair(T0)
    hn, pn, code = r.start(T0, host="second-host")
    code_err(E_PAIRING, r.p.pair_confirm, b"\0" * 32, T0)
    r.fail_auth(T0 + 2000)
    assert r.p.failures == 2
    code_err(E_LOCKED, r.p.pair_confirm, r.proof(code, hn, pn, "second-host"), T0 + 2000 + 3999)
    r.p.pair_confirm(r.proof(code, hn, pn, "second-host"), T0 + 2000 + 4000)
    assert r.p.failures == 0


@with_root
def test_after_a_reboot_the_backoff_wait_restarts_at_the_first_request(root):
    r = Rig(root)
    key = r.pair(T0)
    r.fail_auth(T0)
    r.fail_auth(T0 + 2000)
    p = r.reopen()  # the clock restarts near 0 after a reboot
    assert p.failures == 2
    code_err(E_LOCKED, p.auth_start, HOST, b"A" * 16, 100)  # the 4 s wait starts now
    code_err(E_LOCKED, p.auth_start, HOST, b"A" * 16, 4099)
    r.auth(key, 4100)
    assert p.authed_host == HOST and p.failures == 0


# -- the panel: authentication ---------------------------------------------


@with_root
def test_auth_happy_path_sets_authed_host_and_proves_the_panel(root):
    r = Rig(root)
    key = r.pair(T0)
    assert not r.p.allowed("sync")
    hn, pn, mac, reply = r.auth(key, T0 + 10)
    assert reply == {"mac": crypto.panel_mac(key, hn, pn, DEVICE)}
    assert r.p.authed_host == HOST and r.p.allowed("sync")
    # every challenge is fresh
    hn2, pn2, mac2, reply2 = r.auth(key, T0 + 20)
    assert pn2 != pn and mac2 != mac and reply2 != reply


@with_root
def test_a_replayed_auth_is_refused(root):
    r = Rig(root)
    key = r.pair(T0)
    hn, pn, mac, reply = r.auth(key, T0)
    r.p.end_session()
    code_err(E_AUTH, r.p.auth, mac, T0 + 1)  # no challenge left: the panel nonce was used up
    assert r.p.authed_host is None
    assert r.p.failures == 0
    r.p.auth_start(HOST, hn, T0 + 2)  # same host nonce, but the panel's is new
    code_err(E_AUTH, r.p.auth, mac, T0 + 2)
    assert r.p.authed_host is None and r.p.failures == 1


@with_root
def test_a_failed_auth_uses_up_the_challenge_too(root):
    r = Rig(root)
    key = r.pair(T0)
    hn = b"A" * 16
    pn = r.p.auth_start(HOST, hn, T0)["panel_nonce"]
    code_err(E_AUTH, r.p.auth, b"\0" * 32, T0)
    code_err(E_AUTH, r.p.auth, crypto.host_mac(key, hn, pn, DEVICE), T0 + 2000)  # right MAC, too late
    assert r.p.authed_host is None
    pn = r.p.auth_start(HOST, hn, T0 + 2000)["panel_nonce"]
    code_err(E_SHAPE, r.p.auth, b"short", T0 + 2000)  # malformed: no failure counted, challenge gone
    code_err(E_AUTH, r.p.auth, crypto.host_mac(key, hn, pn, DEVICE), T0 + 2000)
    assert r.p.failures == 1


@with_root
def test_auth_with_a_wrong_key_is_refused(root):
    r = Rig(root)
    key = r.pair(T0)
    other = bytes(k ^ 1 for k in key)
    e = code_err(E_AUTH, r.auth, other, T0)
    assert r.p.authed_host is None and r.p.failures == 1
    assert e.reason == "authentication refused"


@with_root
def test_an_unknown_host_id_costs_and_looks_the_same_as_a_known_one(root):
    # Found (issue 11): an unknown id got an immediate E_AUTH at auth_start that counted no failure, so
    # anyone could list the paired host ids for free. Now both get a challenge, both fail at auth alike,
    # and both count a failure (so trying ids meets the backoff).
    r = Rig(root)
    r.pair(T0)
    rng_calls = r.p.random_bytes.calls
    known = r.p.auth_start(HOST, b"A" * 16, T0)
    assert r.p.random_bytes.calls == rng_calls + 1
    unknown = r.p.auth_start("never-paired", b"A" * 16, T0)
    assert r.p.random_bytes.calls == rng_calls + 2  # the same work: one fresh nonce each
    assert sorted(known) == sorted(unknown) == ["panel_nonce"] and len(unknown["panel_nonce"]) == 16
    assert known["panel_nonce"] != unknown["panel_nonce"]
    e_unknown = code_err(E_AUTH, r.p.auth, b"\0" * 32, T0)
    assert r.p.failures == 1 and r.p.authed_host is None
    t = T0 + backoff_ms(1)
    r.p.auth_start(HOST, b"A" * 16, t)
    e_known = code_err(E_AUTH, r.p.auth, b"\0" * 32, t)  # a paired host with a wrong MAC
    assert e_unknown.reason == e_known.reason == "authentication refused"
    assert r.p.failures == 2
    # an unknown id with a MAC made from any key, even the decoy's own, never authenticates
    t += backoff_ms(2)
    pn = r.p.auth_start("never-paired", b"B" * 16, t)["panel_nonce"]
    code_err(E_AUTH, r.p.auth, crypto.host_mac(r.p._decoy, b"B" * 16, pn, DEVICE), t)
    assert r.p.authed_host is None and r.p.failures == 3


@with_root
def test_auth_start_ends_an_earlier_authentication(root):
    r = Rig(root)
    key = r.pair(T0)
    r.auth(key, T0)
    r.p.auth_start(HOST, b"B" * 16, T0 + 1)
    assert r.p.authed_host is None and not r.p.allowed("sync")


# -- the panel: unpair, forget, end_session, allowed -----------------------


@with_root
def test_unpair_is_for_the_authed_host_itself_and_forget_is_for_the_panel(root):
    r = Rig(root)
    key_a = r.pair(T0, "host-a")
    key_b = r.pair(T0, "host-b")
    code_err(E_AUTH, r.p.unpair, "host-a")  # not authenticated
    r.auth(key_a, T0, "host-a")
    code_err(E_AUTH, r.p.unpair, "host-b")  # not itself
    assert r.p.unpair("host-a") == {}
    assert r.p.authed_host is None and r.p.hosts() == [("host-b", "nurse station")]
    code_err(E_AUTH, r.auth, key_a, T0 + 1, "host-a")  # no longer known: a failed auth, counted
    t = T0 + 1 + backoff_ms(1)
    r.auth(key_b, t, "host-b")
    assert r.p.unpair() == {} and r.p.hosts() == []
    # the panel's own UI
    key_c = r.pair(t + 1, "host-c")
    r.auth(key_c, t + 2, "host-c")
    assert r.p.forget("host-c") is True and r.p.authed_host is None
    assert r.p.forget("host-c") is False
    assert r.reopen().hosts() == []


@with_root
def test_forget_between_auth_start_and_auth_refuses_the_auth(root):
    r = Rig(root)
    key = r.pair(T0)
    hn = b"A" * 16
    pn = r.p.auth_start(HOST, hn, T0)["panel_nonce"]
    r.p.forget(HOST)
    code_err(E_AUTH, r.p.auth, crypto.host_mac(key, hn, pn, DEVICE), T0)


@with_root
def test_end_session_drops_authentication_challenge_and_pairing_window(root):
    r = Rig(root)
    key = r.pair(T0)
    r.auth(key, T0)
    hn = b"A" * 16
    pn = r.p.auth_start(HOST, hn, T0 + 1)["panel_nonce"]
    hn2, pn2, code = r.start(T0 + 1, host="host-new")
    r.p.end_session()
    assert r.p.authed_host is None and r.shown[-1] is None and not r.p.window_open(T0 + 2)
    code_err(E_AUTH, r.p.auth, crypto.host_mac(key, hn, pn, DEVICE), T0 + 2)
    code_err(E_PAIRING, r.p.pair_confirm, r.proof(code, hn2, pn2, "host-new"), T0 + 2)
    assert r.p.failures == 0 and r.p.hosts() == [(HOST, "nurse station")]


@with_root
def test_allowed_answers_the_handshake_and_auth_always_and_the_rest_once_authed(root):
    r = Rig(root)
    opened = ("hello", "ping", "pair_start", "pair_confirm", "auth_start", "auth")
    assert sorted(OPEN_REQUESTS) == sorted(opened)
    closed = ("sync", "case_events", "set_time", "unpair", "status", "", "HELLO")
    for name in opened:
        assert r.p.allowed(name), name
    for name in closed:
        assert not r.p.allowed(name), name
    key = r.pair(T0)
    for name in closed:
        assert not r.p.allowed(name), name  # pairing alone authenticates nothing
    r.auth(key, T0)
    for name in opened + closed:
        assert r.p.allowed(name), name
    r.p.end_session()
    for name in closed:
        assert not r.p.allowed(name), name


# -- the panel: flash ------------------------------------------------------


@with_root
def test_keys_persist_across_a_new_pairing_on_the_same_root(root):
    r = Rig(root)
    r.pair(T0, "host-a")
    key_b = r.pair(T0, "host-b")
    p = r.reopen()
    assert p.hosts() == [("host-a", "nurse station"), ("host-b", "nurse station")]
    assert p.authed_host is None and not p.damaged
    r.auth(key_b, 10, "host-b")
    assert p.authed_host == "host-b"
    assert sorted(os.listdir(root)) == ["hosts"]  # no guard file until a failure; no tmp left over


@with_root
def test_damaged_files_fail_closed(root):
    r = Rig(root)
    key = r.pair(T0)
    r.fail_auth(T0)
    with open(root + "/hosts", "r+b") as f:
        f.seek(3)
        f.write(b"\xff")
    with open(root + "/guard", "wb") as f:
        f.write(b"junk")
    p = r.reopen()
    assert p.damaged and p.hosts() == [] and p.locked()
    p.unlock()
    code_err(E_AUTH, r.auth, key, T0)
    r.pair(T0 + backoff_ms(1))  # pairing again repairs the file
    assert not r.reopen().damaged


@with_root
def test_a_hosts_file_with_bad_entries_keeps_only_the_good_ones(root):
    from bedlink.mpack import pack

    os.mkdir(root)
    good = {"key": b"k" * 32, "name": "good"}
    atomic.write(root + "/hosts", pack({"good": good, "short": {"key": b"k", "name": "x"}, "a\0b": good}))
    p = Pairing(root, DEVICE, Rng())
    assert p.hosts() == [("good", "good")] and p.damaged


# -- pairing starts at the panel -------------------------------------------


@with_root
def test_pair_start_is_refused_unless_pairing_was_opened_at_the_panel(root):
    # Found (issue 11): any host on the link could start pairing, and the code took over the screen.
    r = Rig(root)
    e = code_err(E_PAIRING, r.p.pair_start, HOST, "nurse station", b"H" * 16, T0)
    assert "open pairing on the panel" in e.reason
    assert r.shown == [] and r.p.failures == 0 and r.p.window_host() is None
    r.p.arm(T0)
    assert r.p.armed(T0 + ARM_MS - 1) and r.p.armed_left(T0 + ARM_MS - 1) == 1
    assert not r.p.armed(T0 + ARM_MS) and r.p.armed_left(T0 + ARM_MS) == 0
    code_err(E_PAIRING, r.p.pair_start, HOST, "nurse station", b"H" * 16, T0 + ARM_MS)  # it closed by itself
    r.p.arm(T0 + ARM_MS + 5)
    reply = r.p.pair_start(HOST, "nurse station", b"H" * 16, T0 + ARM_MS + 5)
    assert len(reply["panel_nonce"]) == 16 and r.shown[-1] is not None
    assert r.p.window_host() == (HOST, "nurse station")
    assert ARM_MS == 120000


@with_root
def test_leaving_the_pairing_screen_closes_pairing_and_hides_the_code(root):
    r = Rig(root)
    hn, pn, code = r.start(T0)
    r.p.disarm()
    assert r.shown[-1] is None and not r.p.armed(T0) and r.p.window_host() is None
    code_err(E_PAIRING, r.p.pair_confirm, r.proof(code, hn, pn), T0 + 1)
    code_err(E_PAIRING, r.p.pair_start, HOST, "nurse station", hn, T0 + 1)
    assert r.p.hosts() == [] and r.p.failures == 0


@with_root
def test_every_pairing_and_re_pairing_needs_the_panel_again(root):
    r = Rig(root)
    r.pair(T0)
    assert not r.p.armed(T0)  # a success closes pairing at the panel
    e = code_err(E_PAIRING, r.p.pair_start, HOST, "nurse station", b"J" * 16, T0 + 1)  # the same id again
    assert "open pairing on the panel" in e.reason
    code_err(E_PAIRING, r.p.pair_start, "another-host", "desk", b"J" * 16, T0 + 1)
    r.pair(T0 + 2)  # with the panel opened again: re-paired
    assert r.p.hosts() == [(HOST, "nurse station")]


@with_root
def test_three_wrong_proofs_close_pairing_at_the_panel_too(root):
    r = Rig(root)
    hn, pn, code = r.start(T0)
    t = T0
    for i in (1, 2, 3):
        code_err(E_PAIRING, r.p.pair_confirm, b"\0" * 32, t)
        t += backoff_ms(i)
    assert not r.p.armed(t)
    code_err(E_PAIRING, r.p.pair_start, HOST, "nurse station", hn, t)


@with_root
def test_a_new_session_closes_the_window_but_pairing_stays_open_at_the_panel(root):
    r = Rig(root)
    r.start(T0)
    r.p.end_session()  # a new hello, the link gone
    assert r.shown[-1] is None and r.p.armed(T0 + 1)
    r.p.pair_start(HOST, "nurse station", b"H" * 16, T0 + 1)
    assert r.p.window_host() == (HOST, "nurse station")


@with_root
def test_a_successful_auth_gives_the_session_key_once(root):
    r = Rig(root)
    key = r.pair(T0)
    assert r.p.take_session_key() is None
    hn, pn, mac, reply = r.auth(key, T0)
    sk = r.p.take_session_key()
    assert sk == crypto.session_key(key, hn, pn, DEVICE) and len(sk) == 32
    assert r.p.take_session_key() is None
    r.auth(key, T0 + 1)
    r.p.end_session()
    assert r.p.take_session_key() is None  # a session that ended leaves no key behind
