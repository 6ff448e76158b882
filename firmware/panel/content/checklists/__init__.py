# panel/content/checklists — the index of technique checklists; each one loads only when it runs.
#
# INDEX lists (checklist id, title, module) in the order of shared/clinical/TECHNIQUES.md
# (A-H). load(cid) imports that one data module on first use, and release(cid) lets it go
# again on MicroPython (its dicts are built in RAM even when the module is frozen): only the
# running checklist costs RAM on the panel. Format: panel/checklist.py.

import sys

INDEX = (
    ("whih", "Wires hand-in-hand (WHIH)", "whih"),
    ("nre", "Needle re-entry (NRE)", "nre"),
    ("pob", "Poorman's Outback (POB)", "pob"),
    ("calcified", "Heavily calcified coronary CTO", "calcified"),
    ("base", "Balloon-assisted subintimal entry", "base"),
    ("bam", "Balloon-assisted microdissection", "bam"),
    ("ivus_btk", "IVUS-first strategy for below-the-knee CTO", "ivus_btk"),
    ("strategy", "General coronary CTO strategy", "strategy"),
)


def load(cid):
    """The CHECKLIST dict of checklist cid (ValueError if no such checklist)."""
    for entry in INDEX:
        if entry[0] == cid:
            # a non-empty fromlist makes __import__ return the leaf module on both runtimes
            return __import__("panel.content.checklists." + entry[2], None, None, ("CHECKLIST",)).CHECKLIST
    raise ValueError("unknown checklist: %s" % (cid,))


def release(cid):
    """Let checklist cid's data module go (MicroPython: panel RAM); the next load() imports it again."""
    if sys.implementation.name != "micropython":
        return
    for entry in INDEX:
        if entry[0] == cid:
            sys.modules.pop("panel.content.checklists." + entry[2], None)
            package = sys.modules.get("panel.content.checklists")
            if package is not None and hasattr(package, entry[2]):
                delattr(package, entry[2])


def release_all_but(keep):
    """Let every checklist's data module go but those of the ids in `keep` (a case's runs): a checklist looked at
    and not started, or one of a case now closed, does not stay in the panel's RAM (MicroPython only)."""
    for entry in INDEX:
        if entry[0] not in keep:
            release(entry[0])
