# bedlink — the Bedside wire contract: framing, msgpack codec, message catalogue.
#
# Runs unchanged on MicroPython (the panel) and CPython (the host). Plain Python
# only: no host libraries, no board modules, no floats. See protocol/README.md.

PROTOCOL_VERSION = 3  # 1: handshake, ping. 2: pairing, authentication, time, sync, profiles.
#                       3: every message after authentication sealed (bedlink.seal)
