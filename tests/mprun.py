# tests/mprun.py — run one module's `test_*` functions under MicroPython and report each.
#
# Usage (from the repository root; tests/test_micropython.py does this for every module):
#   MICROPYPATH=tests/portable:tests/mponly:protocol:firmware micropython tests/mprun.py MODULE
# Prints "PASS name" / "FAIL name: error" per test and a closing "N passed, M failed".

import sys

mod = __import__(sys.argv[1])
names = sorted(n for n in dir(mod) if n.startswith("test_"))
passed = failed = 0
for name in names:
    try:
        getattr(mod, name)()
        print("PASS", name)
        passed += 1
    except Exception as e:  # report every failure, keep running the rest
        print("FAIL %s: %s %s" % (name, type(e).__name__, e))
        sys.print_exception(e)
        failed += 1
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
