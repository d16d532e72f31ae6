"""Calls sys.exit(3) at import time."""

import sys

EXPECT = {"all_zero": True}

sys.exit(3)
