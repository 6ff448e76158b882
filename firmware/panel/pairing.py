# panel/pairing.py — the panel's side of pairing and authentication: keys, challenges, backoff, lockout.
#
# Plain Python, no hardware: time comes in as `now` (milliseconds from a
# non-decreasing counter the caller keeps: not raw ticks_ms, which wraps),
# randomness from an injected random_bytes(n) (os.urandom on a board: the
# hardware RNG), the pairing screen from an injected show_code(code or None).
# The crypto is bedlink.pairing's, shared with the host.
#
# States (one link, one host at a time):
#   armed           someone at the panel opened its pairing screen (arm(), from the
#                   panel's own UI: never reachable from the link); pair_start is
#                   refused (E_PAIRING) unless armed. Lasts ARM_MS from arm(), and
#                   ends on disarm() (the screen left), on success and on the 3rd
#                   wrong proof: every pairing, a re-pairing too, needs a person there.
#   pairing window  open from pair_start for WINDOW_MS (119,999 ms later still
#                   open, at 120,000 closed), shows the code and the host's name;
#                   closes on success, on the 3rd wrong proof, on expiry, when the
#                   session ends, and is replaced by a new pair_start while armed.
#   challenge       the panel nonce of the last auth_start; used once, by the
#                   next auth, whatever its result (a replayed auth finds none).
#                   An unknown host_id gets a challenge too, answered against a
#                   decoy key drawn at boot: its auth fails like a wrong MAC and
#                   counts as a failure, so paired ids cannot be listed by trying.
#   authed_host     the host_id whose auth succeeded in this session, else None;
#                   cleared by auth_start, unpair, forget and end_session. Its
#                   session key (take_session_key) seals the rest of the session.
#   failures        consecutive wrong pairing proofs and wrong auth MACs, kept
#                   on flash so that a reboot does not reset it. With f > 0 every
#                   pairing/auth request is refused (E_LOCKED) until
#                   now >= last failure + min(1000 * 2**f, 300000) ms (after a
#                   reboot the wait restarts at the first request). At 10 the panel
#                   locks: only unlock(), from the panel's own screen (someone at
#                   the table), lets a host try again. Success resets the count.
#
# Flash: <root>/hosts = msgpack {host_id: {"key": bin32, "name": str}} and
# <root>/guard = msgpack {"failures": int}, each replaced whole through
# panel.atomic (power-loss safe). A damaged hosts file loads as no hosts and a
# damaged guard file as locked: both fail closed and set `damaged`.

import os

from bedlink import pairing as crypto
from bedlink.errors import E_AUTH, E_LOCKED, E_PAIRING, E_SHAPE, ProtocolError
from bedlink.hmac256 import equal
from bedlink.mpack import pack, unpack
from panel import atomic

WINDOW_MS = 120000  # how long a pairing code is valid
ARM_MS = 120000  # how long pairing stays open for a pair_start after someone opens it at the panel
MAX_WRONG_PROOFS = 3  # wrong proofs that close a pairing window
LOCKOUT_AT = 10  # consecutive failures that lock the panel until unlock()
BACKOFF_BASE_MS = 1000  # wait after f failures: BACKOFF_BASE_MS * 2**f ...
BACKOFF_CAP_MS = 300000  # ... but never more than five minutes
MAX_HOSTS = 16  # paired hosts kept; a new one beyond this must wait for forget()
NAME_MAX = 64  # longest host name, UTF-8 bytes

# Requests answered before authentication: the handshake and the ways to authenticate.
OPEN_REQUESTS = ("hello", "ping", "pair_start", "pair_confirm", "auth_start", "auth")

_REFUSED = "authentication refused"  # one reason for every auth failure: it reveals nothing


def backoff_ms(failures):
    """How long after the last failure the next attempt waits: min(1000 * 2**f, 300000) ms."""
    if failures <= 0:
        return 0
    if failures >= 9:  # 1000 * 2**9 already exceeds the cap
        return BACKOFF_CAP_MS
    return min(BACKOFF_BASE_MS << failures, BACKOFF_CAP_MS)


def _shape(what, ok):
    if not ok:
        raise ProtocolError(E_SHAPE, what)


def _check_id(value):
    try:
        crypto.id_bytes("host_id", value)
    except ValueError as e:
        raise ProtocolError(E_SHAPE, str(e))


def _check_bin(what, value, size):
    _shape("%s must be %d bytes" % (what, size), type(value) is bytes and len(value) == size)


class Pairing:
    """Paired hosts, the pairing window, the auth challenge and the failure guard of one panel."""

    def __init__(self, root, device_id, random_bytes, show_code=None):
        crypto.id_bytes("device_id", device_id)  # a bad device id is a build error: fail at boot
        self.root = root
        self.device_id = device_id
        self.random_bytes = random_bytes
        self.show_code = show_code
        self.authed_host = None
        self.damaged = False  # a file on flash was unreadable (see the header)
        self._window = None  # [host_id, name, host_nonce, panel_nonce, code, opened_at, wrong]
        self._challenge = None  # (host_id, host_nonce, panel_nonce)
        self._armed = None  # `now` when pairing was opened at the panel, else None
        self._session_key = None  # SK of the auth just answered, until the link takes it
        self._paired = None  # (host_id, name) of a pairing just completed, until the screen takes it
        self._decoy = bytes(random_bytes(crypto.KEY_LEN))  # answers for unknown host ids (see the header)
        self._last_fail = None  # `now` of the last failure; None: not seen since boot
        try:
            os.stat(root)
        except OSError:
            os.mkdir(root)
        self._hosts = self._load_hosts()
        self.failures = self._load_guard()

    # -- requests from the link ------------------------------------------------

    def pair_start(self, host_id, host_name, host_nonce, now):
        """Open a pairing window for host_id: show a fresh code; return {"panel_nonce"}."""
        self._guard(now)
        _check_id(host_id)
        _shape("host_name must be a str of <= %d bytes" % NAME_MAX,
               type(host_name) is str and len(host_name.encode("utf-8")) <= NAME_MAX)
        _check_bin("host_nonce", host_nonce, crypto.NONCE_LEN)
        if not self.armed(now):
            raise ProtocolError(E_PAIRING, "pairing is not open: open pairing on the panel (Pair a host), "
                                "then pair within %d s" % (ARM_MS // 1000))
        if host_id not in self._hosts and len(self._hosts) >= MAX_HOSTS:
            raise ProtocolError(E_PAIRING, "panel holds %d hosts: forget one on the panel" % MAX_HOSTS)
        code = crypto.new_code(self.random_bytes)
        panel_nonce = self._nonce()
        self._window = [host_id, host_name, host_nonce, panel_nonce, code, now, 0]
        self._show(code)
        return {"panel_nonce": panel_nonce}

    def pair_confirm(self, proof, now):
        """Check the host's proof of the code; on success keep its key and return {"proof"}."""
        self._guard(now)
        w = self._open_window(now)
        if w is None:
            raise ProtocolError(E_PAIRING, "no pairing in progress: send pair_start")
        _check_bin("proof", proof, crypto.MAC_LEN)
        host_id, name, host_nonce, panel_nonce, code = w[0], w[1], w[2], w[3], w[4]
        key = crypto.derive_key(code, host_id, self.device_id, host_nonce, panel_nonce)
        if not equal(proof, crypto.host_proof(key, host_nonce, panel_nonce)):
            w[6] += 1
            wrong = w[6]
            if wrong >= MAX_WRONG_PROOFS:
                self._armed = None
                self._close_window()
            self._fail(now)
            if wrong >= MAX_WRONG_PROOFS:
                raise ProtocolError(E_PAIRING, "wrong code %d times: pairing closed, start again" % wrong)
            raise ProtocolError(E_PAIRING, "wrong code (%d of %d tries)" % (wrong, MAX_WRONG_PROOFS))
        hosts = dict(self._hosts)
        hosts[host_id] = {"key": key, "name": name}
        self._save_hosts(hosts)  # on a flash error nothing changes and the window stays open
        self._hosts = hosts
        self._armed = None
        self._paired = (host_id, name)
        self._close_window()
        self._succeed()
        return {"proof": crypto.panel_proof(key, host_nonce, panel_nonce)}

    def auth_start(self, host_id, host_nonce, now):
        """Issue a fresh single-use challenge (to any host id, paired or not); return {"panel_nonce"}."""
        self._guard(now)
        _check_id(host_id)
        _check_bin("host_nonce", host_nonce, crypto.NONCE_LEN)
        self.authed_host = None  # a new challenge starts the session's authentication afresh
        self._challenge = None
        self._session_key = None
        panel_nonce = self._nonce()
        self._challenge = (host_id, host_nonce, panel_nonce)
        return {"panel_nonce": panel_nonce}

    def auth(self, mac, now):
        """Check the host's MAC over the last challenge (used up either way); return {"mac"}."""
        ch = self._challenge
        self._challenge = None
        self._guard(now)
        if ch is None:
            raise ProtocolError(E_AUTH, "no challenge: send auth_start")
        _check_bin("mac", mac, crypto.MAC_LEN)
        host_id, host_nonce, panel_nonce = ch
        entry = self._hosts.get(host_id)  # None: never paired, or forgotten on the panel since auth_start
        key = self._decoy if entry is None else entry["key"]
        right = equal(mac, crypto.host_mac(key, host_nonce, panel_nonce, self.device_id))
        if entry is None or not right:  # the same work and the same answer either way
            self._fail(now)
            raise ProtocolError(E_AUTH, _REFUSED)
        self.authed_host = host_id
        self._session_key = crypto.session_key(key, host_nonce, panel_nonce, self.device_id)
        self._succeed()
        return {"mac": crypto.panel_mac(key, host_nonce, panel_nonce, self.device_id)}

    def take_session_key(self):
        """The session key of the auth just answered (once; None after): it seals the rest of the session."""
        sk = self._session_key
        self._session_key = None
        return sk

    def unpair(self, host_id=None):
        """The authenticated host removes its own key (host_id, if given, must be its own); return {}."""
        if self.authed_host is None:
            raise ProtocolError(E_AUTH, "authenticate first")
        if host_id is not None and host_id != self.authed_host:
            raise ProtocolError(E_AUTH, "a host may unpair only itself")
        self.forget(self.authed_host)
        return {}

    def end_session(self):
        """The session ended (link gone, new hello, idle, a frame not sealed for it): forget authentication,
        every pending nonce and the pairing window (pairing stays open at the panel while armed)."""
        self.authed_host = None
        self._challenge = None
        self._session_key = None
        self._close_window()

    def allowed(self, request_name):
        """True when request_name may be answered now: the open requests always, the rest once authed."""
        return request_name in OPEN_REQUESTS or self.authed_host is not None

    # -- the panel's own screens (physical presence) ---------------------------

    def hosts(self):
        """Paired hosts as sorted (host_id, name) pairs."""
        return sorted((h, self._hosts[h]["name"]) for h in self._hosts)

    def forget(self, host_id):
        """Remove host_id's key; True if it was paired. Ends its session if it is the authed one."""
        if self.authed_host == host_id:
            self.authed_host = None
        if self._challenge is not None and self._challenge[0] == host_id:
            self._challenge = None
        if host_id not in self._hosts:
            return False
        hosts = dict(self._hosts)
        del hosts[host_id]
        self._save_hosts(hosts)
        self._hosts = hosts
        return True

    def arm(self, now):
        """Open pairing for ARM_MS: someone at the panel opened its pairing screen (the panel's own UI only)."""
        self._armed = now

    def disarm(self):
        """Close pairing at the panel (its screen was left): a pair_start is refused again, an open code goes."""
        self._armed = None
        self._close_window()

    def armed(self, now):
        """True while pairing is open at the panel for a host's pair_start."""
        return self.armed_left(now) > 0

    def armed_left(self, now):
        """Milliseconds pairing stays open at the panel (0: closed)."""
        a = self._armed
        if a is None:
            return 0
        left = a + ARM_MS - now
        if left <= 0:
            self._armed = None
            return 0
        return left

    def take_paired(self):
        """(host_id, name) of the pairing completed since the last call, or None (the pairing screen asks)."""
        p = self._paired
        self._paired = None
        return p

    def window_host(self):
        """(host_id, host_name) of the host whose code the panel shows now, or None."""
        w = self._window
        return None if w is None else (w[0], w[1])

    def locked(self):
        """True when 10 consecutive failures locked pairing and auth until unlock()."""
        return self.failures >= LOCKOUT_AT

    def unlock(self):
        """Clear the failure count and the lockout; only the panel's own UI may call this."""
        self._last_fail = None
        if self.failures:
            self.failures = 0
            self._save_guard()

    def window_open(self, now):
        """True while a pairing window is open; closes (and hides the code) once it has expired."""
        return self._open_window(now) is not None

    # -- inside ----------------------------------------------------------------

    def _nonce(self):
        n = self.random_bytes(crypto.NONCE_LEN)
        if len(n) != crypto.NONCE_LEN:
            raise ValueError("random_bytes gave %d bytes, not %d" % (len(n), crypto.NONCE_LEN))
        return bytes(n)

    def _show(self, code):
        if self.show_code is not None:
            self.show_code(code)

    def _open_window(self, now):
        w = self._window
        if w is not None and now - w[5] >= WINDOW_MS:
            self._close_window()
            return None
        return w

    def _close_window(self):
        if self._window is not None:
            self._window = None
            self._show(None)

    def _guard(self, now):
        f = self.failures
        if f >= LOCKOUT_AT:
            raise ProtocolError(E_LOCKED, "locked after %d failed attempts: unlock on the panel" % f)
        if f:
            if self._last_fail is None:  # first request since boot: the wait starts now
                self._last_fail = now
            left = self._last_fail + backoff_ms(f) - now
            if left > 0:
                raise ProtocolError(E_LOCKED, "%d failed attempts: retry in %d ms" % (f, left))

    def _fail(self, now):
        self.failures += 1
        self._last_fail = now
        self._save_guard()

    def _succeed(self):
        if self.failures:
            self.failures = 0
            self._save_guard()

    def _path(self, name):
        return self.root + "/" + name

    def _load_hosts(self):
        try:
            raw = atomic.read(self._path("hosts"))
            data = {} if raw is None else unpack(raw)
        except Exception:  # damaged or not ours: no host can authenticate (fail closed)
            self.damaged = True
            return {}
        hosts = {}
        if type(data) is not dict:
            self.damaged = True
            return hosts
        for h in data:
            e = data[h]
            try:
                crypto.id_bytes("host_id", h)
                ok = (type(e) is dict and type(e.get("key")) is bytes and len(e["key"]) == crypto.KEY_LEN
                      and type(e.get("name")) is str)
            except ValueError:
                ok = False
            if ok:
                hosts[h] = {"key": e["key"], "name": e["name"]}
            else:
                self.damaged = True
        return hosts

    def _save_hosts(self, hosts):
        atomic.write(self._path("hosts"), pack(hosts))

    def _load_guard(self):
        try:
            raw = atomic.read(self._path("guard"))
            data = {"failures": 0} if raw is None else unpack(raw)
            f = data["failures"]
            if type(f) is not int or f < 0:
                raise ValueError("bad failure count")
            return f
        except Exception:  # unreadable: locked until someone at the panel unlocks (fail closed)
            self.damaged = True
            return LOCKOUT_AT

    def _save_guard(self):
        atomic.write(self._path("guard"), pack({"failures": self.failures}))
