"""A pytest plugin that records every text the tests hand to turn detection.

    pytest -p bench.turns_capture tests/...   (TURNS_CAPTURE=FILE, default turns_cases.pickle)

`find_layout` (reached by `split` and `find_turns`) and `speaker_prefix` are wrapped before
the test modules import them; each distinct (text, layout, speakers) is written at the end of
the session, for `bench/turns_bench.py` to replay against the reference segments.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

_CASES: dict[tuple, None] = {}
_PREFIXES: dict[str, None] = {}


def pytest_configure(config) -> None:
    from qcode.importers import layouts, subtitles, turns

    original, prefix = layouts.find_layout, turns.speaker_prefix

    def find_layout(text, layout=None, speakers=None):
        _CASES[(text, layout, tuple(speakers) if speakers is not None else None)] = None
        return original(text, layout, speakers)

    def speaker_prefix(line):
        _PREFIXES[line] = None
        return prefix(line)

    layouts.find_layout = turns.find_layout = find_layout
    turns.speaker_prefix = subtitles.speaker_prefix = speaker_prefix


def pytest_unconfigure(config) -> None:
    path = Path(os.environ.get("TURNS_CAPTURE", "turns_cases.pickle"))
    path.write_bytes(pickle.dumps({"cases": list(_CASES), "prefixes": list(_PREFIXES)}))
