"""The simulated panel: the real firmware on the MicroPython unix port behind a pseudo-terminal.

Follows the pty recipe in shared/design/MICROPYTHON.md: raw mode at once, a
non-blocking master shared with the child, the host's serial port opened before
the firmware starts when a caller wants one, the firmware's output in a log file,
the master kept open until the end, the process killed by PID on the way out.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
import tty
from pathlib import Path

from bedside.paths import FIRMWARE_DIR, PROTOCOL_DIR, REPO_ROOT, tool

BOOT_LINE = "bedside panel"
# The board's budget is 128wK (shared/design/ARCHITECTURE.md) and the simulator runs at it. The
# compiled firmware runs in place from a ROMFS image, as frozen firmware runs from the board's flash
# (bedside.tools.romfs); the image's own bytes are added to the heap given. make bench reports what
# each scenario needs (the heaviest end-to-end one, a 59- and a 200-event case synced: 120 KB).
BUDGET_HEAP = "128wK"
DEFAULT_HEAP = BUDGET_HEAP
SIM_MPY_DIR = REPO_ROOT / "build" / "sim-mpy"  # the compiled firmware the simulator runs
# The centre of home's "Pair a host" button (firmware/panel/ui/screens/home.py: the left half of the
# third row of the content area); tests/test_panel_ui.py checks it against the button the panel draws.
PAIR_A_HOST = (120, 216)


def _die_with_parent() -> None:
    """In the child before exec: ask Linux to send SIGTERM when the host process ends, however it ends
    (a killed demo or test must not leave a simulated panel running). Linux signals the death of the
    thread that started the child: start a PanelSim from a thread that outlives it (the main thread)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: stop() still ends the panel on every normal exit


class PanelDied(RuntimeError):
    """The firmware process ended; the message carries its log."""


class PanelSim:
    """Start, watch and stop one simulated panel.

    Args:
        workdir: where the flash image, log and display memory live (a temp dir by default).
        flash: the flash image file; kept between runs when given.
        heap: MicroPython heap size, e.g. "128wK".
        open_serial: open the host's pyserial port before the firmware starts (tests).
        touch_script: path of a JSON list [[t_ms, x, y], ...] of presses to replay.
        play: path of a scripted case [[delay_ms, kind, fields], ...] the panel plays as if tapped.
        speed: how many times faster than written the script plays.
        mpy_dir: run the .mpy files in this directory. By default the harness keeps
            build/sim-mpy up to date and runs from it, as a board runs compiled code.
        from_source: run the .py sources instead (compiling them costs the heap far
            more than the board's budget: give a bigger heap).
        romfs: run the .mpy files in place from a ROMFS image of them (the default), as a board
            runs its frozen firmware from flash; `heap` is then the firmware's heap and the image's
            size is added to it. False: the .mpy files load into the heap, as from a filesystem.
    """

    def __init__(self, workdir=None, flash=None, heap=DEFAULT_HEAP, open_serial=False,
                 touch_script=None, mpy_dir=None, baudrate=115200, play=None, speed=1, from_source=False,
                 romfs=True):
        self._tmp = None
        if workdir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="bedside-sim-")
            workdir = self._tmp.name
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.flash = Path(flash) if flash else self.workdir / "flash.img"
        self.gram = self.workdir / "display.rgb565"
        self.control = self.workdir / "control"  # presses for the panel's touch: the hand at the table
        self.log_path = self.workdir / "panel.log"
        self.heap = heap
        self.open_serial = open_serial
        self.touch_script = touch_script
        self.mpy_dir = Path(mpy_dir).resolve() if mpy_dir else None
        self.from_source = from_source
        self.baudrate = baudrate
        self.play = play  # a scripted case (JSON file) the panel plays as if tapped
        self.speed = speed
        self.romfs = romfs and not from_source
        if self.romfs and not (heap.endswith("wK") and heap[:-2].isdigit()):
            raise ValueError(f"heap {heap!r}: give it as NwK, N KB as a 32-bit board counts (e.g. 128wK)")
        self.image = None  # the ROMFS image the firmware runs from, once started
        self.master = None
        self._log_start = 0
        self.port = None
        self.serial = None
        self.proc = None

    def command(self, master_fd: int) -> list[str]:
        # A board runs main.py as source; with mpy_dir everything it imports is .mpy
        # (main.py's own folder comes first on MicroPython's path, so it runs from there).
        main = (self.mpy_dir or FIRMWARE_DIR) / "main.py"
        if self.image is not None:
            from bedside.tools.romfs import MOUNT

            words = int(self.heap[:-2]) + -(-self.image.stat().st_size // 2048)
            code = MOUNT.format(image=str(self.image)) + "from boards.sim import main\nmain()\n"
            args = [str(tool("micropython")), "-X", f"heapsize={words}wK", "-c", code]
        else:
            args = [str(tool("micropython")), "-X", f"heapsize={self.heap}", str(main)]
        args += [f"fd:{master_fd}", "--flash", str(self.flash), "--gram", str(self.gram), "--control", str(self.control)]
        if self.touch_script:
            args += ["--touch", str(self.touch_script)]
        if self.play:
            args += ["--play", str(self.play), "--speed", str(self.speed)]
        return args

    def env(self) -> dict:
        if self.image is not None:
            return dict(os.environ, MICROPYPATH="")  # everything from the image
        path = [str(self.mpy_dir)] if self.mpy_dir else [str(FIRMWARE_DIR), str(PROTOCOL_DIR)]
        return dict(os.environ, MICROPYPATH=":".join(path))

    def start(self) -> "PanelSim":
        if self.mpy_dir is None and not self.from_source:
            from bedside.tools.mpy import ensure_built

            self.mpy_dir = ensure_built(SIM_MPY_DIR)
        if self.romfs and self.mpy_dir is not None:
            from bedside.tools.romfs import cached_image

            self.image = cached_image(self.mpy_dir)
        self.control.write_bytes(b"")  # this run's presses only
        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        self.master = master
        self.port = os.ttyname(slave)
        if self.open_serial:
            import serial

            self.serial = serial.Serial(self.port, self.baudrate, timeout=0.05)
        os.close(slave)
        self._log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                self.command(master), pass_fds=[master], stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, env=self.env(), cwd=self.workdir,
                start_new_session=True, preexec_fn=_die_with_parent,
            )
        return self

    def log_text(self) -> str:
        """What the firmware has logged since this start (an earlier run's log, same file, is left out)."""
        try:
            with open(self.log_path, "rb") as f:
                f.seek(self._log_start)
                return f.read().decode(errors="replace")
        except FileNotFoundError:
            return ""

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def check_alive(self):
        """Raise PanelDied with the firmware's log if the process has ended."""
        if not self.alive():
            code = self.proc.returncode if self.proc else None
            raise PanelDied(f"simulated panel exited with {code}; its log:\n{self.log_text()}")

    def wait_ready(self, timeout: float = 10.0) -> "PanelSim":
        """Wait until the firmware has booted (its boot line is in the log)."""
        deadline = time.monotonic() + timeout
        while BOOT_LINE not in self.log_text():
            self.check_alive()
            if time.monotonic() > deadline:
                raise PanelDied(f"simulated panel did not boot in {timeout}s; its log:\n{self.log_text()}")
            time.sleep(0.02)
        return self

    def pairing_code(self, timeout: float = 5.0) -> str:
        """The pairing code the simulated panel shows now (its screen, read from its log).

        Stands in for the person at the table who reads the code off the panel (after open_pairing()).
        """
        deadline = time.monotonic() + timeout
        while True:
            codes = [ln.rsplit(" ", 1)[1] for ln in self.log_text().splitlines() if "pairing code " in ln]
            if codes:
                return codes[-1]
            self.check_alive()
            if time.monotonic() > deadline:
                raise PanelDied(f"the simulated panel showed no pairing code in {timeout}s; its log:\n{self.log_text()}")
            time.sleep(0.02)

    def tap(self, x: int, y: int) -> None:
        """Press the simulated panel's screen at (x, y), as a finger would (through its touch input)."""
        with open(self.control, "ab") as f:
            f.write(f"{int(x)} {int(y)}\n".encode())

    def open_pairing(self, timeout: float = 5.0) -> None:
        """Open pairing on the panel, standing in for the person at the table: tap "Pair a host" on its home
        screen, and wait until the panel says pairing is open. A host can pair in the 2 minutes after."""
        mark = "pairing open at the panel"
        before = self.log_text().count(mark)
        self.tap(*PAIR_A_HOST)
        deadline = time.monotonic() + timeout
        while self.log_text().count(mark) == before:
            self.check_alive()
            if time.monotonic() > deadline:
                raise PanelDied(f"the simulated panel did not open pairing in {timeout}s (is it on its home "
                                f"screen?); its log:\n{self.log_text()}")
            time.sleep(0.02)

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the firmware process has used, from /proc."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if self.serial is not None:
            self.serial.close()
            self.serial = None
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        if self.master is not None:
            os.close(self.master)
            self.master = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
