"""Agreement per code and overall, disagreement lists, consensus, and ratings tables."""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..coders import consensus_coders, register
from ..errors import InputError
from ..store import atomic, now
from . import coefficients as co
from .unitizing import overall as unitizing_overall
from .unitizing import unitizing_alpha
from .units import Selection, segment_units, select, span_units

METRICS = ("percent", "kappa", "alpha", "pi", "bp", "ac1")
RARE_USES = 5  # a code applied to fewer units than this is flagged as too rare to judge


@dataclass
class AgreementReport:
    unit: str
    coders: list[str]
    documents: list[str]
    kappa_name: str
    threshold: float
    rows: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def coefficients(data: np.ndarray, level: co.Level = "nominal",
                 categories: int | None = None) -> dict:
    two = data.shape[1] == 2
    return {
        "percent": co.percent_agreement(data),
        "kappa": co.cohen_kappa(data) if two else co.fleiss_kappa(data),
        "alpha": co.krippendorff_alpha(data, level),
        "pi": co.scott_pi(data),
        "bp": co.brennan_prediger(data, categories),
        "ac1": co.gwet_ac1(data, categories),
    }


def _reading(values: dict, uses: int, threshold: float) -> tuple[str, str]:
    flags = []
    if values["alpha"] is None:
        if uses == 0:
            reading = "undefined: nobody used this code"
        elif values["percent"] is None:
            reading = "undefined: no unit coded by two coders"
        else:
            reading = "undefined: no variation (every unit got the same value)"
    else:
        reading = f"α {co.read_alpha(values['alpha'])}; κ {co.read_kappa(values['kappa'])}"
        if values["alpha"] < threshold:
            flags.append(f"below {threshold:.3f}")
    if 0 < uses < RARE_USES:
        flags.append(f"rare: applied {uses} time{'s' if uses > 1 else ''}, too few to judge")
    return reading, "; ".join(flags)


def _round(values: dict) -> dict:
    """Full precision as floats (rounding is for screens); None stays None."""
    return {k: (None if v is None else float(v)) for k, v in values.items()}


def _readings(values: dict) -> dict:
    """A plain-language reading of each chance-corrected value (percent agreement has none:
    it is not corrected for chance)."""
    out = {}
    for metric in ("kappa", "alpha", "pi", "bp", "ac1"):
        if metric in values:
            read = co.read_alpha if metric == "alpha" else co.read_kappa
            out[f"{metric}_reading"] = None if values[metric] is None else read(values[metric])
    return out


def agree(conn: sqlite3.Connection, *, coders: list[str] | None = None,
          codes: str | None = None, documents: str | None = None, unit: str = "segment",
          overlap: float = 0.5, threshold: float = 0.667) -> AgreementReport:
    selection = select(conn, coders, codes, documents)
    if unit == "span":
        return _span_report(conn, selection, threshold)
    units = segment_units(conn, selection, checked_overlap(overlap))
    two = len(selection.coders) == 2
    report = AgreementReport("segment", selection.coders, [d[1] for d in selection.documents],
                             "Cohen's kappa" if two else "Fleiss' kappa", threshold)
    pooled = []
    for code, data in units.data.items():
        values = coefficients(data, categories=2)
        uses = {coder: int(np.nansum(data[:, i])) for i, coder in enumerate(selection.coders)}
        if not sum(uses.values()):  # nobody used it: nothing to agree on, every value undefined
            values = dict.fromkeys(values)
        reading, flags = _reading(values, sum(uses.values()), threshold)
        pairable = int(((~np.isnan(data)).sum(axis=1) >= 2).sum())
        report.rows.append({"code": code, "units": pairable, **{f"uses_{c}": n
                            for c, n in uses.items()}, **_round(values),
                            "reading": reading, "flags": flags, **_readings(values)})
        pooled.append(data)
    everything = np.vstack(pooled)
    values = coefficients(everything, categories=2)
    uses = {coder: int(np.nansum(everything[:, i])) for i, coder in enumerate(selection.coders)}
    reading, _ = _reading(values, sum(uses.values()), threshold)
    report.rows.append({"code": "overall (pooled)", "units": int(
        ((~np.isnan(everything)).sum(axis=1) >= 2).sum()), **{f"uses_{c}": n for c, n in
                                                               uses.items()},
                        **_round(values), "reading": reading, "flags": "",
                        **_readings(values)})
    defined = [r for r in report.rows[:-1] if r["alpha"] is not None]
    mean = {m: (float(np.mean([r[m] for r in defined if r[m] is not None]))
                if any(r[m] is not None for r in defined) else None) for m in METRICS}
    report.rows.append({"code": f"mean of {len(defined)} codes", "units": None,
                        **{f"uses_{c}": None for c in selection.coders}, **mean,
                        "reading": "", "flags": ""})
    report.notes += [
        f"units: the {len(units.segments)} segments of {len(report.documents)} documents read "
        f"by every one of {', '.join(selection.coders)}, once per code; a coder applied a code "
        f"to a segment when a coding covers at least {overlap:.0%} of the segment or of the "
        "coding",
        *coverage_notes(selection),
        "overall (pooled) treats every segment x code pair as one binary unit; 'mean of "
        "codes' averages the per-code values that are defined",
        f"kappa is {report.kappa_name}; Fleiss' kappa equals Scott's pi in its multi-coder "
        "form; AC1 and Brennan-Prediger use q = 2 categories (applied / not applied)",
        "readings: Krippendorff (2004) alpha >= .800 reliable, >= .667 tentative; "
        "Landis & Koch (1977) bands for kappa",
    ]
    return report


def coverage_notes(selection: Selection) -> list[str]:
    """Why units were left out: partial coverage, consensus coders."""
    notes = []
    if selection.left_out:
        whose = ", ".join(f"{n} not read by {c}" for c, n in selection.missing.items() if n)
        notes.append(f"{selection.left_out} segments left out because not every coder has read "
                     f"them ({whose}); read = moved past or decided in `qcode review`, or "
                     "coded in (a document coded outside review counts as read whole)")
    if selection.consensus_left_out:
        notes.append(f"consensus coder(s) {', '.join(selection.consensus_left_out)} left out; "
                     "name them in --coders to compare them")
    return notes


def _span_report(conn: sqlite3.Connection, selection: Selection,
                 threshold: float) -> AgreementReport:
    units = span_units(conn, selection)
    report = AgreementReport("span", selection.coders, units.documents, "", threshold)
    results = []
    for code, per_coder in units.spans.items():
        result = unitizing_alpha(units.length, per_coder)
        results.append(result)
        uses = sum(len(u) for u in per_coder)
        values = {"percent": None, "kappa": None, "alpha": result.alpha, "pi": None,
                  "bp": None, "ac1": None}
        reading, flags = _reading({**values, "percent": 1.0}, uses, threshold)
        report.rows.append({"code": code, "units": uses, **{
            f"uses_{c}": len(u) for c, u in zip(selection.coders, per_coder, strict=True)},
            "alpha_u": None if result.alpha is None else float(result.alpha),
            "observed": float(result.observed), "expected": float(result.expected),
            "reading": reading.split(";")[0], "flags": flags})
    value = unitizing_overall([r for r in results if r.expected > 0])
    report.rows.append({"code": "overall", "units": sum(r.units for r in results),
                        **{f"uses_{c}": None for c in selection.coders},
                        "alpha_u": None if value is None else float(value),
                        "observed": None, "expected": None,
                        "reading": f"α {co.read_alpha(value)}", "flags": ""})
    report.notes += [
        f"Krippendorff's unitizing alpha (α-u) on one continuum: the {len(units.documents)} "
        f"documents coded by every one of {', '.join(selection.coders)}, end to end "
        f"({units.length:,} characters); a coder's overlapping codings of a code are merged",
        *coverage_notes(selection),
        "overall = 1 - mean(D_o) / mean(D_e) over the codes anyone used",
    ]
    return report


# -- ratings tables -------------------------------------------------------------------------

def read_ratings(path: Path, level: co.Level) -> tuple[np.ndarray, list[str], list[str]]:
    """A units x coders CSV (an optional first column `unit` or `id`; empty = missing)."""
    from ..importers.decoding import read_text_file

    rows = list(csv.reader(io.StringIO(read_text_file(path, "ratings file"))))
    if not rows or not rows[0]:
        raise InputError(f"{path}: empty; one row per unit, one column per coder")
    header = [h.strip() for h in rows[0]]
    labelled = header[0].lower() in ("unit", "id", "item")
    coders = header[1:] if labelled else header
    if not coders:
        raise InputError(f"{path}, line 1: no coder columns")
    cells, labels = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        values = row[1:] if labelled else row
        if len(values) > len(coders):
            raise InputError(f"{path}, line {line}: {len(values)} values for {len(coders)} "
                             "coders; check the separators")
        values = [v.strip() for v in values] + [""] * (len(coders) - len(values))
        labels.append(row[0] if labelled else str(line - 1))
        cells.append(values)
    if level == "nominal":
        categories = sorted({v for row in cells for v in row if v})
        index = {v: float(i) for i, v in enumerate(categories)}
        data = [[index[v] if v else np.nan for v in row] for row in cells]
    else:
        data = []
        for line, row in enumerate(cells, start=2):
            try:
                data.append([float(v) if v else np.nan for v in row])
            except ValueError:
                bad = next(v for v in row if v and not _is_number(v))
                raise InputError(f"{path}, line {line}: '{bad}' is not a number; {level} "
                                 "data must be numeric (use --level nominal for labels)") from None
    return np.array(data, dtype=np.float64).reshape(len(cells), len(coders)), coders, labels


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def agree_ratings(path: Path, level: co.Level = "nominal",
                  threshold: float = 0.667) -> AgreementReport:
    data, coders, _ = read_ratings(path, level)
    two = len(coders) == 2
    report = AgreementReport("ratings", coders, [path.name],
                             "Cohen's kappa" if two else "Fleiss' kappa", threshold)
    values = coefficients(data, level)
    if level != "nominal":  # the kappa family and percent agreement are nominal coefficients
        values.update(percent=None, kappa=None, pi=None, bp=None, ac1=None)
    reading, flags = _reading(values, int((~np.isnan(data)).sum()), threshold)
    pairable = int(((~np.isnan(data)).sum(axis=1) >= 2).sum())
    report.rows.append({"code": path.stem, "units": pairable, **_round(values),
                        "reading": reading, "flags": flags, **_readings(values)})
    report.notes.append(f"{len(data)} units x {len(coders)} coders, {level} level; "
                        f"{pairable} units rated by two or more coders")
    if level != "nominal":
        report.notes.append("at this level only Krippendorff's alpha applies")
    return report


def checked_overlap(overlap: float) -> float:
    """`--overlap` as agree, disagreements and consensus take it: a share in (0, 1]."""
    if not 0 < overlap <= 1:
        raise InputError(f"--overlap {overlap}: use a share between 0 and 1, e.g. 0.5")
    return overlap


# -- disagreements and consensus ------------------------------------------------------------

def disagreements(conn: sqlite3.Connection, *, coders: list[str] | None = None,
                  codes: str | None = None, documents: str | None = None,
                  overlap: float = 0.5, width: int | None = None) -> list[dict]:
    """Every segment x code the coders differ on, with the whole passage and the memos on
    the segment (segment and coding memos, "author: text", one per line). `width` shortens
    the passage (for screens; default: whole)."""
    from ..memos import segment_memos

    selection = select(conn, coders, codes, documents)
    units = segment_units(conn, selection, checked_overlap(overlap))
    texts = {i: t for i, t in conn.execute("SELECT id, text FROM document")}
    memos: dict[int, dict[int, list[str]]] = {}  # the discussion's memos, per document
    out = []
    for row, segment in enumerate(units.segments):
        for code, data in units.data.items():
            values = data[row]
            present = ~np.isnan(values)
            if present.sum() < 2 or len(set(values[present])) < 2:
                continue
            text = texts[segment["document_id"]][segment["start"]:segment["end"]]
            if width and len(text) > width:
                text = text[: width - 1].rstrip() + "…"
            out.append({
                "document": segment["document"], "segment": segment["ordinal"],
                "speaker": segment["speaker"] or "", "code": code,
                "applied_by": ", ".join(c for c, v in zip(selection.coders, values, strict=True)
                                        if v == 1),
                "not_by": ", ".join(c for c, v in zip(selection.coders, values, strict=True)
                                    if v == 0),
                "text": text,
                "memos": "\n".join(memos.setdefault(
                    segment["document_id"], segment_memos(conn, segment["document_id"]))
                    .get(segment["ordinal"], []))})
    return out


def consensus(conn: sqlite3.Connection, name: str, *, coders: list[str] | None = None,
              codes: str | None = None, documents: str | None = None,
              overlap: float = 0.5) -> int:
    """Code, as coder `name` (marked as a consensus coder), every segment that all the
    coders read and applied the code to."""
    selection = select(conn, coders, codes, documents)
    if name in selection.coders:
        raise InputError(f"--consensus {name}: that is one of the coders compared; choose a "
                         "new name such as 'consensus'")
    if name not in consensus_coders(conn) and conn.execute(
            "SELECT 1 FROM coding WHERE coder = ? AND removed_at IS NULL", (name,)).fetchone():
        raise InputError(f"--consensus {name}: {name} is a coder with codings of their own; "
                         "choose a new name such as 'consensus'")
    from ..memos import put_memo

    units = segment_units(conn, selection, checked_overlap(overlap))
    added = 0
    with atomic(conn):
        register(conn, name, "consensus")
        # one project memo says where the consensus came from (not a memo on every coding)
        put_memo(conn, "project", None, name, f"consensus of {', '.join(selection.coders)} "
                 f"(`agree --consensus`, {now()[:10]})")
        for code, data in units.data.items():
            present = ~np.isnan(data)
            agreed = (present.sum(axis=1) >= 2) & (np.nan_to_num(data, nan=1.0) == 1).all(axis=1)
            for row in np.flatnonzero(agreed):
                segment = units.segments[row]
                added += conn.execute(
                    'INSERT INTO coding (document_id, code_id, coder, start, "end", memo, origin,'
                    " created_at) VALUES (?, ?, ?, ?, ?, NULL, 'manual', ?) ON CONFLICT DO"
                    " NOTHING", (segment["document_id"], code, name, segment["start"],
                                 segment["end"], now())).rowcount
    return added
