"""Every coefficient against published values, hand-worked examples and other libraries."""

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from qcode.agreement import coefficients as co

nan = np.nan


def pairs(table: list[tuple[int, int, int]]) -> np.ndarray:
    """Rows (count, value of coder 1, value of coder 2) -> units x 2."""
    return np.array([(a, b) for count, a, b in table for _ in range(count)], dtype=float)


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", p. 3-5: 4 observers,
# 12 units, missing data; alpha nominal .743, ordinal .815, interval .849, ratio .797.
KRIPPENDORFF_2011 = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]).T


@pytest.mark.parametrize(("level", "published"), [
    ("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)])
def test_krippendorff_2011_example(level, published):
    assert co.krippendorff_alpha(KRIPPENDORFF_2011, level) == pytest.approx(published, abs=5e-4)


# Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychological
# Bulletin 76(5): 378-382, table 1: 30 patients, 6 psychiatrists, 5 diagnoses; kappa .430,
# mean observed agreement .556, chance .220.
FLEISS_1971 = np.array([
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5]], dtype=float)


def test_fleiss_1971():
    assert co.percent_agreement(FLEISS_1971) == pytest.approx(0.5556, abs=5e-4)
    assert co.fleiss_kappa(FLEISS_1971) == pytest.approx(0.430, abs=5e-4)


# Cohen (1960), "A coefficient of agreement for nominal scales", p. 45: 200 cases, three
# categories; p_o = .70, p_c = .41, kappa = .492.
COHEN_1960 = pairs([(88, 1, 1), (14, 1, 2), (18, 1, 3), (10, 2, 1), (40, 2, 2), (10, 2, 3),
                    (2, 3, 1), (6, 3, 2), (12, 3, 3)])


def test_cohen_1960():
    assert co.percent_agreement(COHEN_1960) == pytest.approx(0.70)
    assert co.cohen_kappa(COHEN_1960) == pytest.approx(0.492, abs=5e-4)
    # Gwet's AC1 for the same table: p_e = (.55*.45 + .30*.70 + .15*.85) / 2 = .2925,
    # AC1 = (.70 - .2925) / (1 - .2925) = .5760
    assert co.gwet_ac1(COHEN_1960) == pytest.approx(0.5760, abs=5e-5)
    # Brennan-Prediger with q = 3: (.70 - 1/3) / (1 - 1/3) = .55
    assert co.brennan_prediger(COHEN_1960) == pytest.approx(0.55)


def test_kappa_paradox_example_by_hand():
    """8 yes/yes, 1 no/no, 1 yes/no (Gwet 2008's point): p_o = .9.

    Scott's pi: pi_yes = 17/20 = .85, p_e = .85^2 + .15^2 = .745, pi = .155/.255 = .6078.
    Cohen: p_yes = .9 and .8, p_e = .9*.8 + .1*.2 = .74 (a SUM over categories; a product of
    the 'yes' and 'no' terms would give .0144), kappa = .16/.26 = .6154.
    AC1: p_e = 2 * .85 * .15 / 1 = .255, AC1 = .645/.745 = .8658.
    """
    data = pairs([(8, 1, 1), (1, 0, 0), (1, 1, 0)])
    assert co.scott_pi(data) == pytest.approx(0.6078, abs=5e-5)
    assert co.cohen_kappa(data) == pytest.approx(0.16 / 0.26)
    assert co.gwet_ac1(data) == pytest.approx(0.8658, abs=5e-5)
    assert co.brennan_prediger(data) == pytest.approx(0.8)


def test_edge_cases_have_defined_answers():
    identical = np.array([[1, 1], [0, 0], [1, 1]], dtype=float)
    assert co.cohen_kappa(identical) == 1.0 and co.krippendorff_alpha(identical) == 1.0
    nobody = np.zeros((5, 2))                 # a code nobody used
    assert co.percent_agreement(nobody) == 1.0
    assert co.cohen_kappa(nobody) is None and co.krippendorff_alpha(nobody) is None
    assert co.scott_pi(nobody) is None
    assert co.brennan_prediger(nobody, categories=2) == 1.0
    assert co.gwet_ac1(nobody, categories=2) == 1.0
    single = np.array([[1.0], [0.0]])         # one coder
    assert co.percent_agreement(single) is None and co.krippendorff_alpha(single) is None
    missing = np.full((3, 2), nan)            # all values missing
    assert co.cohen_kappa(missing) is None and co.fleiss_kappa(missing) is None
    assert co.gwet_ac1(missing) is None and co.krippendorff_alpha(missing) is None


def test_readings():
    assert co.read_alpha(0.81) == "reliable (α ≥ .800)"
    assert co.read_alpha(0.70) == "tentative (.667 ≤ α < .800)"
    assert co.read_alpha(0.5) == "unreliable (α < .667)"
    assert co.read_alpha(None) == "undefined"
    assert [co.read_kappa(v) for v in (-0.1, 0.1, 0.3, 0.5, 0.7, 0.9)] == [
        "poor (below chance)", "slight", "fair", "moderate", "substantial", "almost perfect"]


codes = st.integers(min_value=0, max_value=3)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(codes, codes), min_size=2, max_size=60))
def test_cohen_matches_scikit_learn(rows):
    data = np.array(rows, dtype=float)
    ours = co.cohen_kappa(data)
    if len(set(data.ravel())) == 1:
        assert ours is None  # scikit-learn returns nan here
        return
    assert ours == pytest.approx(cohen_kappa_score(data[:, 0], data[:, 1]), abs=1e-9)


cells = st.one_of(st.none(), st.integers(min_value=1, max_value=4))


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=2, max_value=5).flatmap(
    lambda m: st.lists(st.lists(cells, min_size=m, max_size=m), min_size=2, max_size=40)),
    st.sampled_from(["nominal", "ordinal", "interval", "ratio"]))
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the package's own 0/0
def test_alpha_matches_the_krippendorff_package(rows, level):
    data = np.array([[nan if v is None else v for v in row] for row in rows], dtype=float)
    ours = co.krippendorff_alpha(data, level)
    try:
        theirs = krippendorff.alpha(reliability_data=data.T, level_of_measurement=level)
    except (ValueError, ZeroDivisionError):
        theirs = nan  # the package refuses data with a single value
    if ours is None:  # undefined: no pairable unit, or no variation
        assert np.isnan(theirs) or not np.isfinite(theirs)
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)
