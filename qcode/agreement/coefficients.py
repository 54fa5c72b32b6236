"""Agreement coefficients for reliability data: a units × coders array, NaN = missing.

Every function returns a float, or None when the coefficient is undefined for the data
(no pairable unit, or no variation at all: chance agreement is then 1 and the ratio is
0/0). Callers turn None into a plain-language reading; nothing here returns NaN.

Observed agreement (all but Cohen's kappa and Krippendorff's alpha) follows Gwet (2014):
over the units rated by at least two coders, the share of agreeing coder pairs,
    p_a = mean_u  sum_k r_uk (r_uk - 1) / (r_u (r_u - 1)),
and the category shares pi_k are the means over those units of r_uk / r_u. Then
    Scott's pi = Fleiss' kappa:  p_e = sum_k pi_k^2        (Fleiss 1971 generalises Scott)
    Brennan-Prediger:            p_e = 1 / q
    Gwet's AC1:                  p_e = sum_k pi_k (1 - pi_k) / (q - 1)
and each coefficient is (p_a - p_e) / (1 - p_e), q being the number of categories.
Cohen's kappa (two coders, units both rated): p_e = sum_k p_1k p_2k, a *sum* over the
categories of the product of the two coders' shares.
Krippendorff's alpha = 1 - D_o / D_e from the coincidence matrix (Krippendorff 2011,
"Computing Krippendorff's alpha-reliability"), for nominal, ordinal, interval and ratio data.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from ..errors import InputError

Level = Literal["nominal", "ordinal", "interval", "ratio"]


def value_counts(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(counts, values): counts[u, k] = how many coders gave unit u the k-th value."""
    present = ~np.isnan(data)
    values = np.unique(data[present])
    units = np.broadcast_to(np.arange(data.shape[0])[:, None], data.shape)[present]
    index = np.searchsorted(values, data[present])
    counts = np.bincount(units * len(values) + index, minlength=data.shape[0] * len(values))
    return counts.reshape(data.shape[0], len(values)), values


def _pairable(counts: np.ndarray) -> np.ndarray:
    return counts[counts.sum(axis=1) >= 2]


def percent_agreement(data: np.ndarray) -> float | None:
    counts = _pairable(value_counts(data)[0])
    if not len(counts):
        return None
    raters = counts.sum(axis=1)
    return float(np.mean((counts * (counts - 1)).sum(axis=1) / (raters * (raters - 1))))


def _shares(counts: np.ndarray) -> np.ndarray:
    return (counts / counts.sum(axis=1, keepdims=True)).mean(axis=0)


def _chance_corrected(observed: float, chance: float) -> float | None:
    # Chance agreement is exactly 1 when a single value was given (every share is then
    # 1.0); with two values or more it stays far below 1.
    if chance >= 1:
        return None
    return (observed - chance) / (1 - chance)


def fleiss_kappa(data: np.ndarray) -> float | None:
    """Fleiss' kappa (1971); with two coders it is Scott's pi."""
    counts = _pairable(value_counts(data)[0])
    observed = percent_agreement(data)
    if observed is None:
        return None
    return _chance_corrected(observed, float((_shares(counts) ** 2).sum()))


scott_pi = fleiss_kappa


def brennan_prediger(data: np.ndarray, categories: int | None = None) -> float | None:
    observed = percent_agreement(data)
    q = categories or len(value_counts(data)[1])
    if observed is None or q < 2:
        return None
    return _chance_corrected(observed, 1 / q)


def gwet_ac1(data: np.ndarray, categories: int | None = None) -> float | None:
    counts, values = value_counts(data)
    counts = _pairable(counts)
    observed = percent_agreement(data)
    q = categories or len(values)
    if observed is None or q < 2:
        return None
    shares = _shares(counts)
    return _chance_corrected(observed, float((shares * (1 - shares)).sum() / (q - 1)))


def cohen_kappa(data: np.ndarray) -> float | None:
    """Cohen's kappa for exactly two coders, over the units both rated."""
    if data.shape[1] != 2:
        return None
    both = data[~np.isnan(data).any(axis=1)]
    if not len(both):
        return None
    values = np.unique(both)
    first = (both[:, 0][:, None] == values).mean(axis=0)
    second = (both[:, 1][:, None] == values).mean(axis=0)
    observed = float((both[:, 0] == both[:, 1]).mean())
    return _chance_corrected(observed, float((first * second).sum()))


def krippendorff_alpha(data: np.ndarray, level: Level = "nominal") -> float | None:
    counts, values = value_counts(data)
    counts = _pairable(counts)
    if not len(counts):
        return None
    weights = counts / (counts.sum(axis=1, keepdims=True) - 1)
    # Coincidences off the diagonal; the diagonal (pairs of equal values) is left as it
    # comes, since every level's distance from a value to itself is 0.
    coincidences = weights.T @ counts
    totals = counts.sum(axis=0)  # n_c: a value's coincidences add up to its count
    n = totals.sum()
    delta = _distances(values, totals, level)
    observed = (coincidences * delta).sum() / n
    expected = (np.outer(totals, totals) * delta).sum() / (n * (n - 1))
    if expected <= 0:  # a single value among the pairable units: no variation at all
        return None
    return float(1 - observed / expected)


def _distances(values: np.ndarray, totals: np.ndarray, level: Level) -> np.ndarray:
    """Squared distances between values (Krippendorff's metric differences)."""
    if level == "nominal":
        return 1 - np.eye(len(values))
    if level == "interval":
        return (values[:, None] - values[None, :]) ** 2
    if level == "ratio":
        if values[0] < 0:  # values are sorted
            raise InputError(f"ratio data cannot be negative (found {values[0]:g}): a ratio "
                             "scale starts at 0; use --level interval")
        sums = values[:, None] + values[None, :]
        with np.errstate(invalid="ignore"):  # 0/0 for c = k = 0, taken as 0
            ratio = ((values[:, None] - values[None, :]) / sums) ** 2
        return np.nan_to_num(ratio)
    if level == "ordinal":
        cumulative = np.cumsum(totals)
        low = np.minimum.outer(np.arange(len(values)), np.arange(len(values)))
        high = np.maximum.outer(np.arange(len(values)), np.arange(len(values)))
        between = cumulative[high] - cumulative[low] + totals[low]
        return (between - (totals[:, None] + totals[None, :]) / 2) ** 2
    raise ValueError(f"unknown level {level!r}")


# -- readings -----------------------------------------------------------------------------

def read_alpha(value: float | None) -> str:
    """Krippendorff (2004: 241): rely on alpha >= .800; .667 <= alpha < .800 only for
    tentative conclusions."""
    if value is None:
        return "undefined"
    if value >= 0.800:
        return "reliable (α ≥ .800)"
    if value >= 0.667:
        return "tentative (.667 ≤ α < .800)"
    return "unreliable (α < .667)"


def read_kappa(value: float | None) -> str:
    """Landis and Koch (1977) bands, the ones most often cited for kappa-type coefficients."""
    if value is None:
        return "undefined"
    for limit, label in ((0.0, "poor (below chance)"), (0.20, "slight"), (0.40, "fair"),
                         (0.60, "moderate"), (0.80, "substantial")):
        if value < limit or (limit > 0 and value <= limit):
            return label
    return "almost perfect"
