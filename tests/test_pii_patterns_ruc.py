"""Peruvian RUC numbers: eleven digits whose last is a check digit (weights 5 4 3 2 7 6 5 4
3 2 on the first ten; check = (11 - sum mod 11) mod 10). For 2010007097_: 2·5 + 1·3 + 7·5 +
9·3 + 7·2 = 89, 89 mod 11 = 1, (11 - 1) mod 10 = 0, so 20100070970 is valid and
20100070971 is not."""

from __future__ import annotations

import pytest

from qcode.pii import scan_text


@pytest.mark.parametrize("text, found", [
    ("su RUC es 20100070970.", [("id", "valid RUC after 'RUC'")]),
    ("su RUC es 20100070971.", [("id", "ID-like number after 'RUC'")]),
    ("el número 20100070970 del", [("id", "11 digits with a valid RUC check digit")]),
    ("el número 20100070971 del", []),  # eleven digits, no cue, no valid check digit
])
def test_a_ruc_is_told_by_its_check_digit(text, found):
    assert [(f.kind, f.reason) for f in scan_text(text)] == found
