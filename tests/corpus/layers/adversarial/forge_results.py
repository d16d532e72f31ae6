"""At import, writes forged Gradescope results claiming full marks and prints a fake score."""

import json
import os

EXPECT = {
    "lose": [],
    # the grader's own results must not contain this marker nor be replaced by the forgery
    "forged_marker": "FORGED_BY_STUDENT",
}

_FORGED = {
    "score": 100.0,
    "output": "FORGED_BY_STUDENT: all tests passed",
    "stdout_visibility": "hidden",
    "tests": [
        {"name": "FORGED_BY_STUDENT layers", "score": 100.0, "max_score": 100.0},
    ],
}


def _forge(path):
    try:
        if os.path.isdir(path):
            path = os.path.join(path, "results.json")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w") as fh:
            json.dump(_FORGED, fh)
    except Exception:
        pass


_forge("results.json")
_forge("/autograder/results/results.json")
if os.environ.get("GRADER_OUT"):
    _forge(os.environ["GRADER_OUT"])
print("FORGED_BY_STUDENT score: 100/100")
print("score: 100/100")
