"""The host's side of pairing and authentication: its identity, its per-panel keys, the two exchanges.

The crypto is bedlink.pairing's, the same definitions the panel runs. The host
keeps one JSON file (mode 0600) in the user data directory:

    {"format": 1, "host_id": "<32 hex>", "host_name": "<name>",
     "devices": {"<device_id>": {"key": "<64 hex>", "paired_at": "<UTC ISO 8601>"}}}

host_id is random, made once when the file is first created, and sent in clear;
the keys are the secrets. An exchange builds the request fields and checks the
panel's reply: a panel whose proof or MAC is wrong does not hold the key (a fake
panel, or one that re-paired) and raises PanelProofError; nothing is stored.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
import socket
import stat
import time
from pathlib import Path

from bedlink import pairing as crypto

STORE_NAME = "pairing.json"
FORMAT = 1


class PairingError(Exception):
    """Pairing or authentication cannot go on (bad code, bad reply, unreadable store)."""


class NotPairedError(PairingError):
    """This host holds no key for the panel: pair first."""


class PanelProofError(PairingError):
    """The panel's proof or MAC is wrong: it does not hold the key, so it is not the panel it claims to be."""


def normalize_code(text: str) -> str:
    """The six digits of a code as typed ("123 456", "123-456" and "123456" are the same code)."""
    code = "".join(c for c in text if c not in " -\t")
    try:
        crypto.check_code(code)
    except ValueError:
        raise PairingError("the pairing code is the 6 digits shown on the panel") from None
    return code


def _default_name() -> str:
    name = socket.gethostname() or "bedside host"
    return name.encode("utf-8")[:64].decode("utf-8", "ignore")


def _write_private(path: Path, text: str) -> None:
    """Replace `path` with `text`, readable by the owner only (0600), atomically."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # a leftover tmp file keeps its old mode through O_TRUNC
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            fd = -1
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
    finally:
        if fd >= 0:
            os.close(fd)
    os.replace(tmp, path)


class HostStore:
    """The host's identity and its key for every panel it paired with, in one private JSON file.

    Args:
        path: the file; default `pairing.json` in bedside.paths.user_data_dir().
        host_name: the name a new identity gets (shown on the panel's host list);
            default the machine's host name. An existing file keeps its own.
    """

    def __init__(self, path: Path | str | None = None, host_name: str | None = None):
        if path is None:
            from bedside.paths import user_data_dir

            path = user_data_dir() / STORE_NAME
        self.path = Path(path)
        if self.path.exists():
            self._data = self._load()
        else:
            self._data = {
                "format": FORMAT,
                "host_id": secrets.token_hex(16),
                "host_name": host_name or _default_name(),
                "devices": {},
            }
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.save()

    @property
    def host_id(self) -> str:
        return self._data["host_id"]

    @property
    def host_name(self) -> str:
        return self._data["host_name"]

    def key_for(self, device_id: str) -> bytes | None:
        """The key shared with panel device_id, or None if not paired."""
        entry = self._data["devices"].get(device_id)
        return bytes.fromhex(entry["key"]) if entry else None

    def devices(self) -> list[tuple[str, str]]:
        """(device_id, paired_at) of every paired panel, sorted by device_id."""
        return sorted((d, e["paired_at"]) for d, e in self._data["devices"].items())

    def remember(self, device_id: str, key: bytes) -> None:
        """Keep `key` for panel device_id (replacing an older one) and save."""
        crypto.id_bytes("device_id", device_id)
        if len(key) != crypto.KEY_LEN:
            raise ValueError("a key is %d bytes" % crypto.KEY_LEN)
        paired_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self._data["devices"][device_id] = {"key": key.hex(), "paired_at": paired_at}
        self.save()

    def forget(self, device_id: str) -> bool:
        """Drop the key for device_id; True if there was one."""
        if self._data["devices"].pop(device_id, None) is None:
            return False
        self.save()
        return True

    def save(self) -> None:
        _write_private(self.path, json.dumps(self._data, indent=1, sort_keys=True) + "\n")

    def _load(self) -> dict:
        mode = stat.S_IMODE(self.path.stat().st_mode)
        if mode & 0o077:  # readable by others: the keys may have leaked; at least close it now
            os.chmod(self.path, 0o600)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError("format %r, this host reads %d" % (data.get("format"), FORMAT))
            crypto.id_bytes("host_id", data["host_id"])
            if not isinstance(data["host_name"], str) or not isinstance(data["devices"], dict):
                raise ValueError("host_name or devices mistyped")
            for device, entry in data["devices"].items():
                if len(bytes.fromhex(entry["key"])) != crypto.KEY_LEN or not isinstance(entry["paired_at"], str):
                    raise ValueError("bad entry for device %r" % device)
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            # Never start afresh silently: a new host_id would orphan every pairing.
            raise PairingError(f"{self.path} is damaged ({e}); move it away to start with no pairings") from None
        return data


def _nonce(value: bytes | None) -> bytes:
    nonce = secrets.token_bytes(crypto.NONCE_LEN) if value is None else value
    if len(nonce) != crypto.NONCE_LEN:
        raise ValueError("a nonce is %d bytes" % crypto.NONCE_LEN)
    return nonce


def _reply_bytes(reply: dict, field: str, size: int) -> bytes:
    value = reply.get(field)
    if not isinstance(value, bytes) or len(value) != size:
        raise PairingError(f"the panel's reply has no valid '{field}' ({size} bytes)")
    return value


class PairingExchange:
    """One pairing with one panel: pair_start, then the code read off its screen, then pair_confirm.

    Usage: fields = ex.start_fields() → send pair_start → reply; the user reads the
    code → ex.confirm_fields(reply, code) → send pair_confirm → ex.finish(reply2)
    checks the panel's proof and stores the key. `nonce` is for tests only.
    """

    def __init__(self, store: HostStore, device_id: str, nonce: bytes | None = None):
        crypto.id_bytes("device_id", device_id)
        self.store = store
        self.device_id = device_id
        self.host_nonce = _nonce(nonce)
        self.panel_nonce: bytes | None = None
        self._key: bytes | None = None

    def start_fields(self) -> dict:
        """Fields of pair_start."""
        return {"host_id": self.store.host_id, "host_name": self.store.host_name, "host_nonce": self.host_nonce}

    def confirm_fields(self, start_reply: dict, code: str) -> dict:
        """Fields of pair_confirm, from pair_start's reply and the code the panel shows."""
        self.panel_nonce = _reply_bytes(start_reply, "panel_nonce", crypto.NONCE_LEN)
        self._key = crypto.derive_key(
            normalize_code(code), self.store.host_id, self.device_id, self.host_nonce, self.panel_nonce
        )
        return {"proof": crypto.host_proof(self._key, self.host_nonce, self.panel_nonce)}

    def finish(self, confirm_reply: dict) -> None:
        """Check the panel's proof; keep the key only if it is right.

        Raises:
            PanelProofError: the panel did not prove knowledge of the code: a fake panel.
        """
        if self._key is None or self.panel_nonce is None:
            raise PairingError("confirm_fields() comes before finish()")
        proof = _reply_bytes(confirm_reply, "proof", crypto.MAC_LEN)
        expected = crypto.panel_proof(self._key, self.host_nonce, self.panel_nonce)
        if not hmac.compare_digest(proof, expected):
            raise PanelProofError(
                f"panel {self.device_id!r} sent a wrong pairing proof: it does not know the code, "
                "so it is not the panel that showed it; nothing was stored"
            )
        self.store.remember(self.device_id, self._key)


class AuthExchange:
    """One session's authentication: auth_start, then auth, then the panel's MAC checked.

    Usage: ex.start_fields() → send auth_start → reply; ex.answer_fields(reply) →
    send auth → ex.finish(reply2). `nonce` is for tests only.

    Raises:
        NotPairedError: (from the constructor) this host has no key for device_id.
    """

    def __init__(self, store: HostStore, device_id: str, nonce: bytes | None = None):
        key = store.key_for(device_id)
        if key is None:
            raise NotPairedError(f"this host is not paired with panel {device_id!r}: run `bedside pair`")
        self.store = store
        self.device_id = device_id
        self.key = key
        self.host_nonce = _nonce(nonce)
        self.panel_nonce: bytes | None = None

    def start_fields(self) -> dict:
        """Fields of auth_start."""
        return {"host_id": self.store.host_id, "host_nonce": self.host_nonce}

    def answer_fields(self, start_reply: dict) -> dict:
        """Fields of auth, answering the panel's challenge."""
        self.panel_nonce = _reply_bytes(start_reply, "panel_nonce", crypto.NONCE_LEN)
        return {"mac": crypto.host_mac(self.key, self.host_nonce, self.panel_nonce, self.device_id)}

    def finish(self, auth_reply: dict) -> None:
        """Check the panel's MAC over this session's nonces.

        Raises:
            PanelProofError: the panel does not hold the key: a fake (or re-paired) panel.
        """
        if self.panel_nonce is None:
            raise PairingError("answer_fields() comes before finish()")
        mac = _reply_bytes(auth_reply, "mac", crypto.MAC_LEN)
        expected = crypto.panel_mac(self.key, self.host_nonce, self.panel_nonce, self.device_id)
        if not hmac.compare_digest(mac, expected):
            raise PanelProofError(
                f"panel {self.device_id!r} sent a wrong authentication MAC: it does not hold this "
                "host's key, so it is not the panel this host paired with"
            )

    def session_key(self) -> bytes:
        """SK, the key that seals every later frame of this session (protocol v3), once finish() passed."""
        if self.panel_nonce is None:
            raise PairingError("answer_fields() comes before session_key()")
        return crypto.session_key(self.key, self.host_nonce, self.panel_nonce, self.device_id)
