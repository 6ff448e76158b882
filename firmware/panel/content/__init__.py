# panel/content — the clinical content as versioned data: findings, scores, checklists.
#
# Every number traces to shared/clinical/SCORES.md and every step to
# shared/clinical/TECHNIQUES.md. A case records CONTENT_VERSION when it opens
# and runs that content to its end; any change to a content module bumps it.
# On a board these modules are frozen into flash, so their tables cost no RAM.

CONTENT_VERSION = "cto-2026.11.4"
