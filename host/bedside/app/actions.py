"""Every action of the workstation app, named once: the key bindings, the command palette and the help screen read this."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AppAction:
    """One thing the nurse can do from anywhere in the app."""

    name: str  # the App's action_<name>
    title: str  # shown in the footer and the command palette
    key: str  # the key binding (Textual key name)
    help: str  # one sentence for the palette and the help screen


ACTIONS: tuple[AppAction, ...] = (
    AppAction("open_cases", "Cases", "l", "Open the list of every synced case: search, sort, open one."),
    AppAction("open_live", "Live", "v", "Follow the case running on the panel now, and enter contrast, doses, devices."),
    AppAction("connect", "Connect", "c", "Choose the panel's serial port and check it answers."),
    AppAction("pair", "Pair", "p", "Pair this workstation with the panel: type the code the panel shows."),
    AppAction("sync", "Sync", "s", "Copy every case on the panel into the database; a broken sync resumes."),
    AppAction("open_reports", "Reports", "r", "Success by score category, AUC of each score, times and contrast by technique."),
    AppAction("open_export", "Export", "e", "Write cases, events and scores as CSV, JSON or a FHIR R4 bundle."),
    AppAction("open_operators", "Operators", "o", "Operator profiles with volumes and success computed from the cases."),
    AppAction("toggle_theme", "Theme", "ctrl+t", "Switch between the light and the dark theme."),
    AppAction("help", "Help", "f1", "What each screen does and its keys."),
    AppAction("quit", "Quit", "ctrl+q", "Leave the app (the panel and the database keep everything)."),
)

# What each screen is for, shown on the help screen (title, text, its own keys).
SCREENS: tuple[tuple[str, str, str], ...] = (
    ("Connect and sync", "Pick the serial port (the list shows what the system finds; or type a path), pair once "
     "with the code on the panel, then sync. Sync stores each event exactly once and resumes after a lost cable.",
     "Enter: use the port · p: pair · s: sync · F5: look for ports again"),
    ("Live case", "What the operator is doing now: technique and step, time in each step, the procedure clock, the "
     "wire-crossing timer (alert at 30 minutes), contrast and fluoroscopy, every event as it arrives. Nurse "
     "entries are stored on this workstation with the name of who entered them.",
     "n: new nurse entry · f: follow the panel again"),
    ("Cases", "Every case in the database. Type to search (operator, vessel, technique, outcome, case id); choose a "
     "column header to sort.", "/: search · Enter: open the case"),
    ("Case detail", "The timeline with the time spent in each step, the findings, every score with its basis, the "
     "outcome and the nurse entries. Times say whether they are wall-clock or relative to the case start.",
     "Escape: back"),
    ("Operators", "Operator profiles: annual CTO volume, years active, last-year technical success, computed from "
     "the synced cases; push them to the panel for the operator-CTO score.", "a: add · u: push to the panel"),
    ("Reports", "Per score: observed technical success by category beside the published rate, and the AUC of each "
     "score on this lab's cases; procedure time, fluoroscopy and contrast by technique.", ""),
    ("Export", "CSV, JSON or an HL7 FHIR R4 bundle of the cases; the de-identified option drops host references "
     "and shifts dates.", ""),
)


def action(name: str) -> AppAction:
    for a in ACTIONS:
        if a.name == name:
            return a
    raise KeyError(name)
