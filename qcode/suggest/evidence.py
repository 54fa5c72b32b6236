"""Stored evidence of a suggestion, turned into words for display.

Rule suggestions store `[[start, end, pattern], ...]` (character offsets into the document
text and the number of the code's pattern that matched); model suggestions store
`[{"text": word}, ...]`, as did rule suggestions stored before that compact form. `render`
gives both as `{"text", "start", "end", "pattern"}` items (offsets only where known).
"""

from __future__ import annotations

import json


def render(stored: str, text: str) -> list[dict]:
    """The evidence items of a stored suggestion, with their words read from `text`."""
    items = []
    for item in json.loads(stored):
        if isinstance(item, list):
            start, end, pattern = item
            items.append({"text": text[start:end], "start": start, "end": end,
                          "pattern": pattern})
        else:
            items.append(item)
    return items


def words(stored: str, text: str) -> str:
    """The evidence as one line: the matched words, comma-separated."""
    return ", ".join(item["text"] for item in render(stored, text))
