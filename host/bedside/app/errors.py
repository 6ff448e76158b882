"""Plain words for what went wrong on the link: a wrong port, an unpaired panel, a lost cable."""

from __future__ import annotations

from bedlink.errors import E_AUTH, E_LOCKED, E_PAIRING
from bedside.link import LinkError, PanelError, SessionEnded
from bedside.pairing import NotPairedError, PairingError, PanelProofError

SAFE = "Nothing is lost: the panel keeps every event until this workstation has stored it."


def explain(error: BaseException, port: str | None) -> str:
    """One or two sentences saying what happened and what to do next."""
    where = port or "the port"
    text = str(error)
    if isinstance(error, PanelError):
        if error.code == E_AUTH:
            return ("The panel does not know this workstation (it was unpaired or paired again elsewhere). "
                    "Pair again (p) with the code the panel shows.")
        if error.code == E_PAIRING:
            if "not open" in error.reason:
                return ("Pairing is not open on the panel. Tap Pair a host on the panel first, then pair again "
                        "(p) within 2 minutes.")
            return f"The panel refused the pairing: {error.reason}. Check the code on the panel and pair again (p)."
        if error.code == E_LOCKED:
            return f"The panel is locked after too many wrong codes: {error.reason}."
        return f"The panel refused: {error.reason}."
    if isinstance(error, NotPairedError):
        return "This workstation is not paired with this panel yet. Pair first (p): the panel will show a code."
    if isinstance(error, PanelProofError):
        return f"The device on {where} could not prove it is the panel it claims to be: {text}. Nothing was read."
    if isinstance(error, PairingError):
        return text
    if isinstance(error, SessionEnded):
        return (f"The panel ended this workstation's session ({text}): it had heard nothing for a minute, or "
                f"another host opened the port. Connect or sync again to start a new one. {SAFE}")
    if isinstance(error, LinkError):
        if "cannot open" in text:
            return (f"No serial port at {where}: check the cable and choose the panel's port "
                    f"(a board is usually /dev/ttyACM0). ({text})")
        if "no answer" in text and "lost the link" not in text:
            return (f"{where} opened, but nothing answered like a panel: is this the panel's port, and is the "
                    f"panel switched on? ({text})")
        return f"The link to the panel was lost ({text}). Reconnect the cable and sync again: it resumes. {SAFE}"
    return f"{type(error).__name__}: {text}"
