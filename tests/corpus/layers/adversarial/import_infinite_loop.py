"""Spins forever at import time, so the module never finishes loading."""

EXPECT = {"all_zero": True}

while True:
    pass
