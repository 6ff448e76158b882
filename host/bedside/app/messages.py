"""Messages the thread workers post; handlers on the screens change what is shown.

A worker never touches a widget: it posts one of these (post_message is thread-safe).
Progress messages replace an unhandled predecessor (can_replace), so a fast link cannot
flood the queue.
"""

from __future__ import annotations

from concurrent.futures import Future

from textual.message import Message

from bedside.sync import SyncSummary


class SyncProgress(Message):
    """done of total events stored so far."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SyncProgress)


class SyncFinished(Message):
    def __init__(self, summary: SyncSummary) -> None:
        super().__init__()
        self.summary = summary


class LinkFailed(Message):
    """A link job ended with an error; `text` says what happened and what to do (bedside.app.errors)."""

    def __init__(self, job: str, text: str) -> None:
        super().__init__()
        self.job = job
        self.text = text


class PanelFound(Message):
    """The handshake worked: who the panel is."""

    def __init__(self, hello: dict, paired: bool) -> None:
        super().__init__()
        self.hello = hello
        self.paired = paired


class CodeNeeded(Message):
    """The pairing worker waits for the code the panel shows; set `answer` (None cancels)."""

    def __init__(self, device_id: str, answer: Future) -> None:
        super().__init__()
        self.device_id = device_id
        self.answer = answer


class Paired(Message):
    def __init__(self, device_id: str) -> None:
        super().__init__()
        self.device_id = device_id


class LiveEvents(Message):
    """Events of one case as the store holds them (StoredEvent rows, wall times included), oldest first.

    Pushed live, or caught up by a sync; the receiver ignores those it already has.
    """

    def __init__(self, device_id: str, case_id: str, events: list) -> None:
        super().__init__()
        self.device_id = device_id
        self.case_id = case_id
        self.events = events


class LiveState(Message):
    """The live link's state: "connecting", "following", "paused" (a sync has the port), "lost", "stopped"."""

    def __init__(self, state: str, detail: str = "") -> None:
        super().__init__()
        self.state = state
        self.detail = detail

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LiveState)
