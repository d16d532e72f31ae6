"""At import, tries to open a TCP connection to 1.1.1.1:53 and records whether it worked."""

import socket

EXPECT = {"lose": []}

NETWORK_REACHABLE = False
try:
    with socket.create_connection(("1.1.1.1", 53), timeout=3):
        NETWORK_REACHABLE = True
except Exception:
    NETWORK_REACHABLE = False
