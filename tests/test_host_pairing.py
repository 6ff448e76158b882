"""The host's side of pairing (bedside.pairing) against the real panel state machine, on CPython.

Covers: bedlink.hmac256 against CPython's own `hmac` module (random keys and messages
of every length around the 64-byte block); the key, proofs and MACs recomputed with
`hmac` straight from the definitions written in bedlink/pairing.py, and the golden
values of tests/portable/test_hmac_pairing.py; the host store (a random host_id made
once, file mode 0600, a looser mode tightened, a damaged file refused, the default
path in the user data dir); a full host <-> panel exchange driving HostStore,
PairingExchange, AuthExchange and panel.pairing.Pairing together; a mistyped code;
a fake panel (wrong proof, wrong key, replayed reply) detected by the host.
Run alone: .venv/bin/pytest tests/test_host_pairing.py
"""

import hashlib
import hmac
import json
import os
import random
import stat

import pytest

from bedlink import hmac256
from bedlink import pairing as crypto
from bedlink.errors import E_AUTH, E_PAIRING, ProtocolError
from bedside import pairing as hostpair
from bedside.pairing import (
    AuthExchange, HostStore, NotPairedError, PairingError, PairingExchange, PanelProofError, normalize_code,
)
from panel.pairing import Pairing
from test_hmac_pairing import GOLD, GOLD_HN, GOLD_PN

DEVICE = "panel-0001"


def py_hmac(key, msg):
    return hmac.new(key, msg, hashlib.sha256).digest()


def mode_of(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class Screen:
    def __init__(self):
        self.shown = []

    def __call__(self, code):
        self.shown.append(code)

    @property
    def code(self):
        return self.shown[-1]


@pytest.fixture
def panel(tmp_path):
    screen = Screen()
    p = Pairing(str(tmp_path / "flash"), DEVICE, os.urandom, screen)
    p.screen = screen
    return p


@pytest.fixture
def store(tmp_path):
    return HostStore(tmp_path / "host" / "pairing.json", host_name="cath lab 2 nurse station")


def pair(store, panel, now=1000, code=None):
    """Pair store's host with the panel: someone at the panel opens pairing first (arm)."""
    ex = PairingExchange(store, DEVICE)
    panel.arm(now)
    start = panel.pair_start(**ex.start_fields(), now=now)
    confirm = panel.pair_confirm(**ex.confirm_fields(start, code or panel.screen.code), now=now)
    ex.finish(confirm)
    return ex


def authenticate(store, panel, now=2000):
    ex = AuthExchange(store, DEVICE)
    start = panel.auth_start(**ex.start_fields(), now=now)
    reply = panel.auth(**ex.answer_fields(start), now=now)
    ex.finish(reply)
    assert ex.session_key() == panel.take_session_key()  # both ends hold the same session key
    return ex


# -- the crypto against CPython's hmac -------------------------------------


def test_hmac256_agrees_with_python_hmac_for_every_key_length_around_the_block():
    rnd = random.Random(4231)
    for klen in list(range(0, 70)) + [127, 128, 129, 200]:
        for mlen in (0, 1, 55, 56, 63, 64, 65, 300):
            key = rnd.randbytes(klen)
            msg = rnd.randbytes(mlen)
            assert hmac256.digest(key, msg) == py_hmac(key, msg), (klen, mlen)


def test_equal_agrees_with_compare_digest():
    rnd = random.Random(7)
    for _ in range(200):
        a = rnd.randbytes(rnd.choice((0, 1, 16, 32)))
        b = a if rnd.random() < 0.3 else rnd.randbytes(rnd.choice((0, 1, 16, 32)))
        assert hmac256.equal(a, b) == hmac.compare_digest(a, b)


def test_key_proofs_and_macs_follow_the_written_definitions():
    code, host_id, device_id, hn, pn = "042917", "host-a", "panel-1", GOLD_HN, GOLD_PN
    k = py_hmac(code.encode(), b"bedside-pair-v1\0" + host_id.encode() + b"\0" + device_id.encode() + b"\0" + hn + pn)
    assert crypto.derive_key(code, host_id, device_id, hn, pn) == k == bytes.fromhex(GOLD["key"])
    expect = {
        "host_proof": py_hmac(k, b"pair-host" + pn + hn),
        "panel_proof": py_hmac(k, b"pair-panel" + hn + pn),
        "host_mac": py_hmac(k, b"auth-host" + pn + hn + device_id.encode()),
        "panel_mac": py_hmac(k, b"auth-panel" + hn + pn + device_id.encode()),
    }
    sk = py_hmac(k, b"bedside-session-v3" + hn + pn + device_id.encode())
    assert crypto.session_key(k, hn, pn, device_id) == sk
    assert crypto.host_proof(k, hn, pn) == expect["host_proof"]
    assert crypto.panel_proof(k, hn, pn) == expect["panel_proof"]
    assert crypto.host_mac(k, hn, pn, device_id) == expect["host_mac"]
    assert crypto.panel_mac(k, hn, pn, device_id) == expect["panel_mac"]
    for name, value in expect.items():
        assert value.hex() == GOLD[name], name


def test_codes_are_uniform_over_all_24_bit_candidates():
    # Every code has exactly 16 of the 2**24 candidates; the rest are rejected.
    per_code = {len(range(r, crypto.CODE_LIMIT, 1000000)) for r in range(1000000)}
    assert per_code == {16}
    assert (1 << 24) - crypto.CODE_LIMIT == 777216 < 1000000  # no room for a 17th round
    # and code_from_bytes is that mapping: every 997th candidate, and the edges
    for n in list(range(0, 1 << 24, 997)) + [15999999, 16000000, (1 << 24) - 1]:
        code = crypto.code_from_bytes(n.to_bytes(3, "big"))
        assert code == (None if n >= crypto.CODE_LIMIT else "%06d" % (n % 1000000)), n


# -- the host store --------------------------------------------------------


def test_store_makes_a_host_id_once_and_keeps_it_private(tmp_path):
    path = tmp_path / "d" / "pairing.json"
    s = HostStore(path, host_name="station")
    assert mode_of(path) == 0o600
    assert len(s.host_id) == 32 and int(s.host_id, 16) >= 0
    again = HostStore(path, host_name="other name")
    assert (again.host_id, again.host_name) == (s.host_id, "station")
    s.remember(DEVICE, b"k" * 32)
    assert mode_of(path) == 0o600
    assert HostStore(path).key_for(DEVICE) == b"k" * 32
    assert HostStore(path).key_for("panel-9") is None
    data = json.loads(path.read_text())
    assert data["devices"][DEVICE]["key"] == (b"k" * 32).hex() and data["format"] == 1
    assert [d for d, _ in HostStore(path).devices()] == [DEVICE]
    assert not (path.parent / "pairing.json.tmp").exists()
    assert HostStore(path).forget(DEVICE) is True and HostStore(path).key_for(DEVICE) is None
    assert HostStore(path).forget(DEVICE) is False
    assert HostStore(tmp_path / "other.json").host_id != s.host_id


def test_store_tightens_a_file_others_could_read(tmp_path):
    path = tmp_path / "pairing.json"
    HostStore(path)
    os.chmod(path, 0o644)
    HostStore(path)
    assert mode_of(path) == 0o600


def test_store_keeps_0600_when_a_stale_tmp_file_was_world_readable(tmp_path):
    path = tmp_path / "pairing.json"
    tmp = tmp_path / "pairing.json.tmp"
    tmp.write_text("stale")
    os.chmod(tmp, 0o666)
    HostStore(path).remember(DEVICE, b"k" * 32)
    assert mode_of(path) == 0o600


@pytest.mark.parametrize("text", ["not json", "{}", '{"format": 2}', json.dumps(
    {"format": 1, "host_id": "h", "host_name": "n", "devices": {"p": {"key": "00", "paired_at": "x"}}})])
def test_a_damaged_store_is_refused_not_silently_replaced(tmp_path, text):
    path = tmp_path / "pairing.json"
    path.write_text(text)
    with pytest.raises(PairingError, match="damaged"):
        HostStore(path)
    assert path.read_text() == text


def test_store_defaults_to_the_user_data_dir(tmp_path, monkeypatch):
    import bedside.paths

    monkeypatch.setattr(bedside.paths, "user_data_dir", lambda: tmp_path)
    s = HostStore()
    assert s.path == tmp_path / hostpair.STORE_NAME and mode_of(s.path) == 0o600


def test_normalize_code():
    assert normalize_code("123 456") == normalize_code("123-456") == normalize_code(" 123456\t") == "123456"
    for bad in ("12345", "1234567", "12a456", ""):
        with pytest.raises(PairingError):
            normalize_code(bad)


# -- host <-> panel --------------------------------------------------------


def test_full_exchange_pairs_and_authenticates_both_ways(store, panel):
    ex = pair(store, panel)
    assert panel.screen.shown[-1] is None  # the code is hidden once paired
    assert panel.hosts() == [(store.host_id, "cath lab 2 nurse station")]
    key = store.key_for(DEVICE)
    assert key is not None and len(key) == 32
    assert ex.start_fields()["host_id"] == store.host_id
    assert not panel.allowed("sync")
    authenticate(store, panel)
    assert panel.authed_host == store.host_id and panel.allowed("sync")
    # a new session with a store read back from disk, and the panel rebooted on its flash
    panel.end_session()
    again = HostStore(store.path)
    rebooted = Pairing(panel.root, DEVICE, os.urandom)
    authenticate(again, rebooted, now=10)
    assert rebooted.authed_host == store.host_id


def test_a_mistyped_code_stores_nothing_and_the_right_one_then_pairs(store, panel):
    ex = PairingExchange(store, DEVICE)
    panel.arm(1000)
    start = panel.pair_start(**ex.start_fields(), now=1000)
    wrong = "%06d" % ((int(panel.screen.code) + 1) % 1000000)
    with pytest.raises(ProtocolError) as e:
        panel.pair_confirm(**ex.confirm_fields(start, wrong), now=1000)
    assert e.value.code == E_PAIRING
    assert store.key_for(DEVICE) is None and panel.hosts() == []
    code = panel.screen.code
    confirm = panel.pair_confirm(**ex.confirm_fields(start, code[:3] + " " + code[3:]), now=3000)
    ex.finish(confirm)
    assert store.key_for(DEVICE) is not None


def test_a_fake_panel_with_a_wrong_pairing_proof_is_detected(store):
    ex = PairingExchange(store, DEVICE)
    ex.start_fields()
    ex.confirm_fields({"panel_nonce": os.urandom(16)}, "123456")
    with pytest.raises(PanelProofError, match="not the panel"):
        ex.finish({"proof": os.urandom(32)})
    assert store.key_for(DEVICE) is None


def test_a_fake_panel_with_a_wrong_key_is_detected_at_auth(store, panel, tmp_path):
    pair(store, panel)
    # an impostor: same device id, its own flash, paired with the same host_id but another key
    impostor = Pairing(str(tmp_path / "impostor"), DEVICE, os.urandom, Screen())
    impostor.screen = impostor.show_code
    other = HostStore(tmp_path / "other.json")
    other._data["host_id"] = store.host_id
    pair(other, impostor)
    assert other.key_for(DEVICE) != store.key_for(DEVICE)
    ex = AuthExchange(store, DEVICE)
    start = impostor.auth_start(**ex.start_fields(), now=5000)
    fields = ex.answer_fields(start)
    with pytest.raises(ProtocolError) as e:
        impostor.auth(**fields, now=5000)  # the impostor cannot check the host's MAC either
    assert e.value.code == E_AUTH
    forged = {"mac": crypto.panel_mac(other.key_for(DEVICE), ex.host_nonce, start["panel_nonce"], DEVICE)}
    with pytest.raises(PanelProofError, match="not the panel this host paired with"):
        ex.finish(forged)


def test_a_replayed_panel_reply_is_detected(store, panel):
    pair(store, panel)
    first = AuthExchange(store, DEVICE)
    start = panel.auth_start(**first.start_fields(), now=2000)
    reply = panel.auth(**first.answer_fields(start), now=2000)
    first.finish(reply)
    # a man in the middle replays the old challenge and the old answer to a new session
    second = AuthExchange(store, DEVICE)
    second.start_fields()
    second.answer_fields(start)
    with pytest.raises(PanelProofError):
        second.finish(reply)


def test_auth_needs_a_pairing_and_well_formed_replies(store, panel):
    with pytest.raises(NotPairedError):
        AuthExchange(store, DEVICE)
    pair(store, panel)
    ex = AuthExchange(store, DEVICE)
    with pytest.raises(PairingError, match="answer_fields"):
        ex.finish({"mac": b"x" * 32})
    with pytest.raises(PairingError, match="panel_nonce"):
        ex.answer_fields({})
    with pytest.raises(PairingError, match="panel_nonce"):
        ex.answer_fields({"panel_nonce": b"short"})
    ex.answer_fields({"panel_nonce": b"n" * 16})
    with pytest.raises(PairingError, match="'mac'"):
        ex.finish({"mac": "not bytes"})
    pex = PairingExchange(store, DEVICE)
    with pytest.raises(PairingError, match="confirm_fields"):
        pex.finish({"proof": b"x" * 32})


def test_the_host_sends_fresh_nonces(store):
    assert PairingExchange(store, DEVICE).host_nonce != PairingExchange(store, DEVICE).host_nonce
    with pytest.raises(ValueError):
        PairingExchange(store, DEVICE, nonce=b"short")
    with pytest.raises(ValueError):
        PairingExchange(store, "bad\0id")
