"""Krippendorff's unitizing alpha (α-u) for freely drawn spans of one code.

Krippendorff (1995, "On the reliability of unitizing continuous data"; 2004, Content
Analysis, §12.4). Every coder divides the same continuum of length L into sections: the
units they marked with the code, and the gaps between them. Two sections of different
coders that overlap contribute a squared distance:
    both units:            (b_g - b_h)^2 + (e_g - e_h)^2   (begins and ends)
    a unit inside a gap:   l^2, the unit's length squared
    otherwise:             0
    D_o = 2 / (R (R - 1) L^2) * sum over coder pairs and overlapping sections
    D_e = (2 / L) * sum_units [ (N - 1)(2l^3 - 3l^2 + l) / 3 + l^2 sum_{gaps g >= l} (g - l + 1) ]
          / ( R L (R L - 1) - sum_units l (l - 1) )
with N the number of units of all coders. α-u = 1 - D_o / D_e. Over several codes the
overall value is 1 - mean(D_o) / mean(D_e). Exact integer arithmetic is used for the sums.

Verified against Krippendorff's (2004: 254) worked example and the observed disagreements
of his 1995 example (tests/test_agreement_unitizing.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

Span = tuple[int, int]  # [start, end)


@dataclass
class Unitizing:
    observed: float
    expected: float
    alpha: float | None
    units: int


def sections(units: list[Span], length: int) -> list[tuple[int, int, bool]]:
    """(begin, end, is_unit) covering [0, length): units and the gaps between them."""
    out, position = [], 0
    for start, end in sorted(units):
        if start > position:
            out.append((position, start, False))
        out.append((start, end, True))
        position = end
    if position < length:
        out.append((position, length, False))
    return out


def distance(first: tuple[int, int, bool], second: tuple[int, int, bool]) -> int:
    (b1, e1, unit1), (b2, e2, unit2) = first, second
    if unit1 and unit2 and b1 < e2 and b2 < e1:
        return (b1 - b2) ** 2 + (e1 - e2) ** 2
    if unit1 and not unit2 and b2 <= b1 and e1 <= e2:
        return (e1 - b1) ** 2
    if unit2 and not unit1 and b1 <= b2 and e2 <= e1:
        return (e2 - b2) ** 2
    return 0


def _observed_sum(a: list[tuple[int, int, bool]], b: list[tuple[int, int, bool]]) -> int:
    """Sum of distances over the overlapping pairs of two coders' sections (a merge walk).

    Both lists end at L, so `j` never passes b's last section while `i` is in a: a tie
    (which the last pair always is) advances `i`."""
    total, i, j = 0, 0, 0
    while i < len(a):
        total += distance(a[i], b[j])
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total


def unitizing_alpha(length: int, coders: list[list[Span]]) -> Unitizing:
    """α-u for one code; `coders[i]` holds coder i's units, which must not overlap."""
    count = len(coders)
    if count < 2 or length <= 0:
        return Unitizing(0.0, 0.0, None, sum(len(c) for c in coders))
    laid = [sections(units, length) for units in coders]
    observed_sum = sum(_observed_sum(laid[i], laid[j]) for i, j in combinations(range(count), 2))
    observed = Fraction(2 * observed_sum, count * (count - 1) * length * length)

    lengths = [end - start for units in coders for start, end in units]
    gaps = [e - b for lay in laid for b, e, unit in lay if not unit]
    n_units = len(lengths)
    total = 0
    for size in lengths:
        within = sum(g - size + 1 for g in gaps if g >= size)
        total += (Fraction((n_units - 1) * (2 * size**3 - 3 * size**2 + size), 3)
                  + size * size * within)
    # Never 0: each coder's units fit in L without overlapping, so the sum of l(l - 1) is at
    # most R L (L - 1), below R L (R L - 1) when R >= 2.
    denominator = (count * length * (count * length - 1)
                   - sum(size * (size - 1) for size in lengths))
    expected = Fraction(2, length) * total / denominator
    alpha = None if expected == 0 else float(1 - observed / expected)
    return Unitizing(float(observed), float(expected), alpha, n_units)


def overall(results: list[Unitizing]) -> float | None:
    """1 - mean(D_o) / mean(D_e) over codes (Krippendorff's alpha-u across categories)."""
    if not results:
        return None
    expected = sum(r.expected for r in results) / len(results)
    if expected == 0:
        return None
    return 1 - (sum(r.observed for r in results) / len(results)) / expected


def union(spans: list[Span]) -> list[Span]:
    """Merge overlapping spans of one coder (touching spans stay separate units)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]
