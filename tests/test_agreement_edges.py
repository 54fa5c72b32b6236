"""Agreement coefficients at their edges: missing ratings, values seen only in units rated
once, mixed numbers of coders per unit. Expected values are worked by hand below."""

import numpy as np
import pytest

from qcode import InputError
from qcode.agreement import coefficients as co
from qcode.agreement.unitizing import unitizing_alpha

nan = np.nan


def test_a_unit_nobody_rated_still_has_its_row_of_counts():
    counts, values = co.value_counts(np.array([[1, 2], [2, 2], [nan, nan]]))
    assert values.tolist() == [1.0, 2.0]
    assert counts.tolist() == [[1, 1], [0, 2], [0, 0]]


def test_a_value_seen_only_in_a_unit_rated_once_gives_no_variation():
    """Units (1, 1), (1, 1) and (2, -): the 2 cannot be paired, so the pairable units hold
    a single value: chance agreement is 1 and every chance-corrected coefficient is
    undefined, while percent agreement is 1."""
    data = np.array([[1, 1], [1, 1], [2, nan]])
    assert co.percent_agreement(data) == 1.0
    for level in ("nominal", "ordinal", "interval", "ratio"):
        assert co.krippendorff_alpha(data, level) is None
    assert co.fleiss_kappa(data) is None and co.cohen_kappa(data) is None
    # two values were seen, so q = 2: BP = (1 - 1/2) / (1/2) = 1; AC1: pi = (1, 0), p_e = 0
    assert co.brennan_prediger(data) == 1.0 and co.gwet_ac1(data) == 1.0


def test_units_with_different_numbers_of_coders():
    """Three coders; unit 1 (1, 1, 2), unit 2 (1, 1, -), unit 3 (2, 2, 2).
    Agreeing pairs: unit 1 1 of 3, unit 2 1 of 1, unit 3 3 of 3 -> p_a = (1/3 + 1 + 1)/3
    = 7/9. Shares per unit: (2/3, 1/3), (1, 0), (0, 1) -> pi = (5/9, 4/9);
    Fleiss p_e = 25/81 + 16/81 = 41/81 -> kappa = (63/81 - 41/81) / (40/81) = 22/40.
    AC1: p_e = 2 (5/9)(4/9) / 1 = 40/81 -> (63 - 40) / (81 - 40) = 23/41.
    Alpha (nominal): coincidences from unit 1: o_11 = 2/2, o_12 = o_21 = 2/2; unit 2:
    o_11 = 2; unit 3: o_22 = 6/2 = 3: o_11 = 3, o_12 = o_21 = 1, o_22 = 3; n = 8,
    n_1 = n_2 = 4: D_o = 2/8, D_e = 2*4*4/(8*7) = 32/56 -> alpha = 1 - (1/4)(56/32) = 9/16."""
    data = np.array([[1, 1, 2], [1, 1, nan], [2, 2, 2]])
    assert co.percent_agreement(data) == pytest.approx(7 / 9)
    assert co.fleiss_kappa(data) == pytest.approx(22 / 40)
    assert co.gwet_ac1(data) == pytest.approx(23 / 41)
    assert co.krippendorff_alpha(data) == pytest.approx(9 / 16)
    assert co.cohen_kappa(data) is None  # three coders


def test_unitizing_on_a_continuum_of_one_character():
    """L = 1, one coder marks [0, 1), the other nothing. D_o = 2/(R(R-1)L^2) * l^2 =
    2/2 * 1 = 1 (a unit inside a gap). D_e: one unit of l = 1, so (N - 1)(2 - 3 + 1)/3 = 0,
    plus l^2 (g - l + 1) = 1 for the other coder's gap of 1; denominator R L (R L - 1) -
    l(l - 1) = 2; D_e = (2/1)(1/2) = 1. alpha = 1 - 1/1 = 0."""
    one = unitizing_alpha(1, [[(0, 1)], []])
    assert (one.observed, one.expected, one.alpha, one.units) == (1.0, 1.0, 0.0, 1)


def test_unitizing_sums_every_overlapping_pair_of_sections():
    """L = 10; coder 1 marks [0, 4) and [4, 10), coder 2 [2, 4) and [6, 8). Sections:
    coder 1: U[0,4) U[4,10); coder 2: G[0,2) U[2,4) G[4,6) U[6,8) G[8,10).
    Pairs that overlap: U[0,4)-G[0,2): 0 (the unit does not fit inside the gap);
    U[0,4)-U[2,4): (0-2)^2 + 0 = 4; U[4,10)-G[4,6): 0; U[4,10)-U[6,8):
    4 + 4 = 8; U[4,10)-G[8,10): 0. Sum 12: D_o = 2 * 12 / (2 * 1 * 100) = 0.12."""
    result = unitizing_alpha(10, [[(0, 4), (4, 10)], [(2, 4), (6, 8)]])
    assert result.observed == pytest.approx(0.12)


def test_ratio_data_must_not_be_negative():
    """A ratio scale starts at 0: with -1 and 1 the ratio distance ((c - k)/(c + k))^2
    divides by 0. Such data are refused in one line instead of giving a meaningless alpha."""
    data = np.array([[-1, 1], [2, 2], [3, 3]])
    with pytest.raises(InputError, match=r"^ratio data cannot be negative \(found -1\): a "
                                         r"ratio scale starts at 0; use --level interval$"):
        co.krippendorff_alpha(data, "ratio")
    # The same data at the interval level: values -1, 1, 2, 2, 3, 3 (n = 6). D_o: unit 1's
    # two ordered pairs differ by 2: 2 * 4 / 6. D_e: the 15 unordered pairs' squared
    # differences sum to 4 + 2*9 + 2*16 + 2*1 + 2*4 + 4*1 = 68, so D_e = 2 * 68 / (6 * 5).
    assert co.krippendorff_alpha(data, "interval") == pytest.approx(1 - (8 / 6) / (2 * 68 / 30))
