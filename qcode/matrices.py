"""Code frequency matrices, co-occurrence and the codebook table as pandas DataFrames
(quotations: `qcode.quotations`).

Everything starts from one table of *coded units*: each live coding joined to every segment
it overlaps (any overlap), a join SQLite makes (`units_sql`). Counting then is a group-by,
in SQLite for every count but words (which needs the texts: pandas, a slice at a time):

    segments   distinct segments coded with the code
    codings    codings (a coding that spans segments of two speakers counts for both)
    presence   1 when the code occurs in the column's group at all, else 0
    words      words whose first character lies inside text coded with the code
    documents  distinct documents in which the code occurs

Columns group by document, speaker, coder or a document attribute (`attribute:role`).
Consensus coders (`qcode coders`) are left out unless asked for with `coder=NAME`.
With `include_children` (or `level`) a parent's row counts the *distinct* units of itself
and all its descendants, so a segment coded with two children counts once for the parent.
By default (`include_children=None`) only parents with no codings of their own do so, and
their labels say so ("route (with children)"), since an all-zero parent row misleads.
The Total column sums each row; the Total row sums the rows whose ancestors are not
aggregating them, so nothing is counted twice. The first header names the unit counted
("code (segments)").
"""

from __future__ import annotations

import fnmatch
import re
import sqlite3
import sys
import threading
from dataclasses import dataclass

from .coders import not_consensus_sql
from .errors import InputError
from .store import OVERLAPPED

TOTAL = "Total"
NONE = "(none)"
COUNTS = ("segments", "codings", "presence", "words", "documents")
PERCENTS = ("row", "column", "total")
LABELS = ("id", "name", "indent", "path")
AGGREGATED = " (with children)"
_WORD = re.compile(r"\S+")


@dataclass
class CodeInfo:
    id: str
    name: str
    parent: str | None
    depth: int
    position: int


def code_tree(conn: sqlite3.Connection) -> list[CodeInfo]:
    rows = conn.execute("SELECT id, name, parent, position FROM code WHERE retired_at IS NULL"
                        " ORDER BY position").fetchall()
    parents = {r["id"]: r["parent"] for r in rows}

    def depth(code: str) -> int:
        level, cursor = 1, parents.get(code)
        while cursor in parents:
            level, cursor = level + 1, parents[cursor]
        return level

    return [CodeInfo(r["id"], r["name"], r["parent"], depth(r["id"]), r["position"]) for r in rows]


def _ancestors(tree: list[CodeInfo]) -> dict[str, list[str]]:
    parents = {c.id: c.parent for c in tree}
    out = {}
    for code in tree:
        chain, cursor = [code.id], code.parent
        while cursor in parents:
            chain.append(cursor)
            cursor = parents[cursor]
        out[code.id] = chain
    return out


def parse_by(by: str, conn: sqlite3.Connection) -> tuple[str, str | None]:
    """'document' | 'speaker' | 'role' | 'coder' | 'attribute:NAME' -> (kind, attribute)."""
    if by in ("document", "speaker", "role", "coder"):
        return by, None
    if by.startswith("attribute:") and by.removeprefix("attribute:"):
        name = by.removeprefix("attribute:")
        known = [r[0] for r in conn.execute("SELECT DISTINCT name FROM attribute ORDER BY 1")]
        if name not in known:
            raise InputError(f"unknown attribute '{name}'; attributes in this project: "
                             f"{', '.join(known) or 'none (import with --attributes)'}")
        return "attribute", name
    raise InputError(f"--by {by}: use document, speaker, role, coder or attribute:NAME "
                     "(e.g. attribute:role)")


def units_sql(conn: sqlite3.Connection, coder: str | None, ids: list[int] | None,
              respondents_only: bool, speakers: bool = True) -> tuple[str, list]:
    """The SELECT of the coded units (see `coded_units`) and its parameters; `ids` limits it
    to those documents. Each coding's segments are found by `store.OVERLAPPED` (two index
    seeks per coding). Without `speakers` the columns speaker and role are left out (a seek
    less per unit)."""
    skip, skipped = not_consensus_sql("c.coder", conn)
    only = "" if ids is None else f" AND c.document_id IN ({','.join(str(int(i)) for i in ids)})"
    speakers = speakers or respondents_only
    columns = (f"coalesce(p.name, s.speaker, '{NONE}') AS speaker,"
               f" coalesce(p.role, '{NONE}') AS role," if speakers else "")
    join = ("LEFT JOIN speaker p ON p.document_id = s.document_id AND p.label = s.speaker"
            if speakers else "")
    respondents = (" AND (p.role IS NULL OR p.role NOT IN ('interviewer', 'other'))"
                   if respondents_only else "")
    return f"""
        SELECT c.id AS coding_id, c.document_id, c.code_id AS code, c.coder, c.start, c."end",
               s.id AS segment_id, {columns}
               max(c.start, s.start) AS clip_start, min(c."end", s."end") AS clip_end
        FROM coding c JOIN segment s ON {OVERLAPPED}
        {join}
        WHERE c.removed_at IS NULL{" AND c.coder = ?" if coder else skip}{only}{respondents}
        """, [coder] if coder else skipped


# Ids and names come from this index, which holds both: a scan of the table itself would
# read a page of every document's text.
BY_NAME = "INDEXED BY document_listing"


def coded_units(conn: sqlite3.Connection, coder: str | None = None,
                documents: str | None = None, respondents_only: bool = False,
                ids: list[int] | None = None):
    """DataFrame: one row per (live coding, overlapped segment), with the segment's speaker
    (display name) and role and the clipped span (start/end inside the segment).
    `respondents_only` leaves out segments of speakers whose role is interviewer or other.
    `ids` limits it to those documents (a matrix reads a large project a slice at a time)."""
    import pandas as pd

    _check_coder(conn, coder)
    docs = pd.DataFrame(_documents(conn, documents, ids), columns=["document_id", "document"])
    chosen = None if ids is None and not documents else docs["document_id"].tolist()
    sql, params = units_sql(conn, coder, chosen, respondents_only)
    units = pd.read_sql_query(sql + " ORDER BY c.document_id, c.start, c.id, s.start", conn,
                              params=params)
    if units.empty:  # the numbers' dtype, as when there are units
        units = units.astype({c: "int64" for c in units.columns if c not in UNIT_TEXTS})
    units = units.merge(docs[["document_id", "document"]], on="document_id")
    return units, docs


UNIT_TEXTS = ("code", "coder", "speaker", "role")


def _check_coder(conn: sqlite3.Connection, coder: str | None) -> None:
    if coder and not conn.execute("SELECT 1 FROM coding WHERE coder = ? LIMIT 1",
                                  (coder,)).fetchone():
        coders = [r[0] for r in conn.execute("SELECT DISTINCT coder FROM coding ORDER BY 1")]
        raise InputError(f"no codings by coder '{coder}'; coders in this project: "
                         f"{', '.join(coders) or 'none yet'}")


def _group_column(conn: sqlite3.Connection, units, kind: str, attribute: str | None):
    import pandas as pd

    if kind == "attribute":
        values = pd.read_sql_query("SELECT document_id, value FROM attribute WHERE name = ?",
                                   conn, params=(attribute,), index_col="document_id")
        return units["document_id"].map(values["value"]).fillna(NONE)
    return units[kind]


def _columns(conn: sqlite3.Connection, docs, kind: str, attribute: str | None,
             coder: str | None) -> list[str]:
    """Every column the matrix should show, used or not (so empty documents appear)."""
    if kind == "document":
        return list(docs.sort_values("document")["document"])
    ids = ",".join(str(int(i)) for i in docs["document_id"]) or "NULL"
    if kind in ("speaker", "role"):
        column = "coalesce(p.name, s.speaker)" if kind == "speaker" else "p.role"
        found = [r[0] or NONE for r in conn.execute(
            f"SELECT DISTINCT {column} FROM segment s LEFT JOIN speaker p ON p.document_id ="
            f" s.document_id AND p.label = s.speaker WHERE s.document_id IN ({ids})")]
        return sorted(set(found))
    if kind == "coder":
        if coder:
            return [coder]
        skip, skipped = not_consensus_sql("coder", conn)
        return [r[0] for r in conn.execute("SELECT DISTINCT coder FROM coding WHERE removed_at"
                                           f" IS NULL{skip} ORDER BY 1", skipped)]
    values = {r[0]: r[1] for r in conn.execute(
        f"SELECT document_id, value FROM attribute WHERE name = ? AND document_id IN ({ids})",
        (attribute,))}
    return sorted({values.get(int(i), NONE) for i in docs["document_id"]})


def _word_counts(units, conn: sqlite3.Connection) -> dict[tuple, int]:
    """Words whose first character lies in the union of coded text per (code, group)."""
    import numpy as np

    wanted = ",".join(str(int(i)) for i in units["document_id"].unique()) or "NULL"
    texts = {i: t for i, t in conn.execute(f"SELECT id, text FROM document WHERE id IN ({wanted})")}
    starts: dict[int, np.ndarray] = {}
    out: dict[tuple, int] = {}
    ordered = units.sort_values(["code", "group", "document_id", "clip_start"])
    for (code, group, document_id), part in ordered.groupby(["code", "group", "document_id"],
                                                            sort=False):
        if document_id not in starts:
            starts[document_id] = np.array([m.start() for m in
                                            _WORD.finditer(texts[document_id])])
        positions = starts[document_id]
        total, current_start, current_end = 0, None, None
        for start, end in zip(part["clip_start"], part["clip_end"], strict=True):
            if current_end is not None and start <= current_end:
                current_end = max(current_end, end)
                continue
            if current_end is not None:
                total += int(np.searchsorted(positions, current_end) -
                             np.searchsorted(positions, current_start))
            current_start, current_end = start, end
        if current_end is not None:
            total += int(np.searchsorted(positions, current_end) -
                         np.searchsorted(positions, current_start))
        out[(code, group)] = out.get((code, group), 0) + total
    return out


def matrix(conn: sqlite3.Connection, *, by: str = "document", count: str = "segments",
           coder: str | None = None, codes: str | None = None, documents: str | None = None,
           include_children: bool | None = None, level: int | None = None,
           percent: str | None = None, labels: str = "id", respondents_only: bool = False):
    """Codes (rows, codebook order) x groups (columns), with a Total row and column.
    `include_children`: True aggregates every parent, False none, None (the default) the
    parents that have no codings of their own. `respondents_only` leaves out the turns of
    interviewers (and `other` speakers)."""
    if count not in COUNTS:
        raise InputError(f"--count {count}: choose from {', '.join(COUNTS)}")
    if percent and percent not in PERCENTS:
        raise InputError(f"--percent {percent}: choose from {', '.join(PERCENTS)}")
    if labels not in LABELS:
        raise InputError(f"--labels {labels}: choose from {', '.join(LABELS)}")
    if level is not None and level < 1:
        raise InputError(f"--level {level}: levels start at 1 (the top of the code tree)")
    kind, attribute = parse_by(by, conn)
    tree = code_tree(conn)
    if codes:
        tree = [c for c in tree if fnmatch.fnmatchcase(c.id, codes)] or _no_codes(codes)
    if level is not None:
        include_children = True
        tree = [c for c in tree if c.depth <= level]
    _check_coder(conn, coder)
    _load_pandas_meanwhile()  # the options are valid: the command will need it
    named = _documents(conn, documents)
    full_tree = code_tree(conn)
    chains = _ancestors(full_tree)  # each code with its ancestors
    chosen = [i for i, _ in named] if documents is not None else None
    if count != "words":  # SQLite counts while pandas loads
        counted = _sql_counts(conn, chosen, coder, respondents_only, kind, attribute, chains,
                              count)
        coders = _coders(conn, coder, chosen, respondents_only)
    import pandas as pd

    docs = pd.DataFrame(named, columns=["document_id", "document"])
    columns = _columns(conn, docs, kind, attribute, coder)
    if count == "words":  # needs the texts: counted in Python, a slice at a time
        own_cells, full_cells, own, coders = _word_cells(
            conn, docs, coder, respondents_only, kind, attribute,
            chains if include_children is not False else None, tree)
    else:
        own_cells, full_cells, own = _sql_cells(counted, docs, kind, tree)
    if include_children is None:  # parents above a used code that have no codings of their own
        aggregated = {a for code in own for a in chains.get(code, [code])[1:]} - own
    else:
        aggregated = {c.id for c in full_tree} if include_children else set()
    # an aggregated row counts its whole subtree's units; any other row only its own codings
    # (an aggregated ancestor counts a non-aggregated parent's units all the same)
    cells = pd.concat([
        own_cells[~own_cells.index.get_level_values(0).isin(aggregated)],
        full_cells[full_cells.index.get_level_values(0).isin(aggregated)]])
    ids = pd.Index([c.id for c in tree], name="code")
    names = pd.Index(columns, name=kind if kind != "attribute" else attribute)
    if len(cells):
        frame = cells.unstack(fill_value=0).reindex(index=ids, columns=names, fill_value=0)
    else:
        frame = pd.DataFrame(0, index=ids, columns=names)
    if count == "presence":
        frame = (frame > 0).astype("int64")
    frame[TOTAL] = frame.sum(axis=1)
    totalled = aggregated & set(ids)  # aggregating rows: the rows below them are inside
    if include_children is None:  # marked parents repeat their children: total the children,
        # unless --codes hides a used code below (then the parent stands for it)
        totalled &= {a for code in own - set(ids) for a in chains.get(code, [code])[1:]}
    roots = [c.id for c in tree if (c.id not in aggregated or c.id in totalled)
             and not _has_shown_ancestor(c, full_tree, totalled)]
    frame.loc[TOTAL] = frame.loc[roots].sum(axis=0)
    frame = frame.astype("int64")
    if percent:
        frame = _percent(frame, percent)
        frame.attrs["number_formats"] = {"*": (100, "0.0%")}
    marked = {c.id for c in tree if c.id in aggregated and include_children is None}
    frame.index = _labels(frame.index, tree, labels, marked)
    frame.index.name = f"code ({f'% of {percent}, ' if percent else ''}{count})"
    frame.attrs.update(count=count, by=by, coder=coder, percent=percent,
                       include_children=include_children, level=level,
                       aggregated=sorted(marked), coders=sorted(coders))
    return frame


def _summed(pieces: list):
    """Per-slice counts added up into one Series indexed by (code, group)."""
    import pandas as pd

    pieces = [p for p in pieces if len(p)]
    if not pieces:  # any dtype: the matrix is made int64 at the end
        return pd.Series(index=pd.MultiIndex.from_arrays([[], []]))
    return pd.concat(pieces).groupby(level=[0, 1]).sum()


# Documents per slice when counting: memory holds one slice's coded units, never the
# project's. Every count is a sum over documents (a segment, a coding, a document and a
# word belong to one document), so the slices' cells add up.
SLICE_DOCUMENTS = 200


def _documents(conn: sqlite3.Connection, documents: str | None,
               ids: list[int] | None = None) -> list[tuple[int, str]]:
    """(id, name) of every document, or of those whose name matches `documents`; `ids`:
    only those documents."""
    only = "" if ids is None else f" WHERE id IN ({','.join(str(int(i)) for i in ids)})"
    rows = conn.execute(f"SELECT id, name FROM document {BY_NAME}{only} ORDER BY id").fetchall()
    return [(i, name) for i, name in rows
            if not documents or fnmatch.fnmatchcase(name, documents)]


def _load_pandas_meanwhile() -> None:
    """Start importing pandas (about half a second) in a thread: SQLite, which lets go of
    the interpreter while it works, counts in the meantime, and `import pandas` then waits
    for the thread's import to finish rather than starting another."""
    if "pandas" not in sys.modules:
        threading.Thread(target=__import__, args=("pandas",), daemon=True).start()


def _slices(conn: sqlite3.Connection, docs, coder: str | None, respondents_only: bool):
    """Coded units, a slice of documents at a time (only documents with live codings)."""
    coded = {r[0] for r in conn.execute("SELECT DISTINCT document_id FROM coding"
                                        " WHERE removed_at IS NULL")}
    ids = [int(i) for i in docs["document_id"] if int(i) in coded]
    for first in range(0, len(ids), SLICE_DOCUMENTS):
        units, _ = coded_units(conn, coder, respondents_only=respondents_only,
                               ids=ids[first:first + SLICE_DOCUMENTS])  # docs are chosen
        yield units


def _word_cells(conn: sqlite3.Connection, docs, coder: str | None, respondents_only: bool,
                kind: str, attribute: str | None, chains: dict[str, list[str]] | None,
                tree: list[CodeInfo]):
    """Words per (code, group): (own cells, cells with descendants, codes used, coders);
    without `chains` (no code aggregates its children) no cells with descendants."""
    own_parts, full_parts, own, coders = [], [], set(), set()
    for units in _slices(conn, docs, coder, respondents_only):
        own |= set(units["code"].unique().tolist())
        coders |= set(units["coder"].unique().tolist())
        units = units.assign(group=_group_column(conn, units, kind, attribute))
        own_parts.append(_cells(conn, units, {}, tree))
        if chains is not None:  # the same units counted for every ancestor too
            full_parts.append(_cells(conn, units, chains, tree))
    return _summed(own_parts), _summed(full_parts), own, coders


# What each count counts, distinct, per (code, group)
UNIT_OF = {"segments": "segment_id", "presence": "segment_id", "codings": "coding_id",
           "documents": "document_id"}
GROUP_OF = {"document": "u.document_id", "speaker": "u.speaker", "role": "u.role",
            "coder": "u.coder", "attribute": f"coalesce(a.value, '{NONE}')"}


def _sql_counts(conn: sqlite3.Connection, ids: list[int] | None, coder: str | None,
                respondents_only: bool, kind: str, attribute: str | None,
                chains: dict[str, list[str]], count: str) -> list[tuple]:
    """Every count but words, by SQLite in one pass over the coded units (not one row of
    them reaches Python): rows (code, group, own count, count with descendants); `ids`:
    only those documents. A code's own count counts the units coded with it; its count with
    descendants, the distinct units coded with it or any code below it: joined with the
    table `counted_as`, each unit comes once for every code it counts for (a temporary
    table, so that the join seeks its primary key)."""
    units, params = units_sql(conn, coder, ids, respondents_only,
                              speakers=kind in ("speaker", "role"))
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS counted_as (code TEXT, above TEXT,"
                 " PRIMARY KEY (code, above)) WITHOUT ROWID")
    conn.execute("DELETE FROM temp.counted_as")
    conn.executemany("INSERT INTO temp.counted_as VALUES (?, ?)",
                     [(code, above) for code, chain in chains.items() for above in chain])
    unit = UNIT_OF[count]
    attributes = "LEFT JOIN attribute a ON a.document_id = u.document_id AND a.name = ?"
    return conn.execute(f"""
        SELECT h.above, {GROUP_OF[kind]},
               count(DISTINCT CASE WHEN u.code = h.above THEN u.{unit} END),
               count(DISTINCT u.{unit})
        FROM ({units}) u JOIN temp.counted_as h ON h.code = u.code
        {attributes if kind == "attribute" else ""}
        GROUP BY 1, 2""", params + ([attribute] if kind == "attribute" else [])).fetchall()


def _sql_cells(rows: list[tuple], docs, kind: str, tree: list[CodeInfo]):
    """`_sql_counts`' rows as (own cells, cells with descendants, codes used)."""
    import pandas as pd

    found = pd.DataFrame(rows, columns=["code", "group", "own", "all"])
    if kind == "document":  # document ids to names
        found["group"] = found["group"].map(dict(zip(docs["document_id"].tolist(),
                                                     docs["document"].tolist(),
                                                     strict=True)))
    shown = found["code"].isin([c.id for c in tree]).to_numpy()
    mine = (found["own"] > 0).to_numpy()
    cells = found.set_index(["code", "group"])
    return cells.loc[shown & mine, "own"], cells.loc[shown, "all"], set(found.loc[mine, "code"])


def _coders(conn: sqlite3.Connection, coder: str | None, ids: list[int] | None,
            respondents_only: bool) -> set[str]:
    """The coders with at least one coded unit: one short query each (a coding that
    overlaps a segment is found at once), rather than a second pass over the units."""
    skip, skipped = not_consensus_sql("coder", conn)
    candidates = [coder] if coder else [r[0] for r in conn.execute(
        f"SELECT DISTINCT coder FROM coding WHERE removed_at IS NULL{skip}", skipped)]
    found = set()
    for name in candidates:
        sql, params = units_sql(conn, name, ids, respondents_only, speakers=False)
        if conn.execute(sql + " LIMIT 1", params).fetchone():
            found.add(name)
    return found


def _cells(conn: sqlite3.Connection, units, chains: dict[str, list[str]],
           tree: list[CodeInfo]):
    """One slice's word counts (units with their `group`) as a Series indexed by (code,
    group)."""
    import pandas as pd

    keys = ["code", "group"]
    if chains:  # each code also counts for the ancestors that aggregate it
        pairs = pd.DataFrame([(code, above) for code, chain in chains.items() for above in chain],
                             columns=["code", "counted_as"])
        units = units.merge(pairs, on="code", how="left")
        units["code"] = units["counted_as"].fillna(units["code"])  # not in the codebook: itself
    units = units[units["code"].isin([c.id for c in tree])]
    cells = pd.Series(_word_counts(units, conn), dtype="int64")
    if len(cells):
        cells.index = pd.MultiIndex.from_tuples(cells.index, names=keys)
    return cells


def _has_shown_ancestor(code: CodeInfo, tree: list[CodeInfo], shown: set[str]) -> bool:
    parents = {c.id: c.parent for c in tree}
    cursor = code.parent
    while cursor is not None:
        if cursor in shown:
            return True
        cursor = parents.get(cursor)
    return False


def _no_codes(pattern: str):
    raise InputError(f"--codes {pattern}: matches no code; use a pattern such as 'route.*'")


def _percent(frame, how: str):
    """Shares of the row's, column's or table's total. No cell exceeds its row's or column's
    Total (a Total of 0 has only 0s: 0/0, then 0)."""
    if how == "row":
        result = frame.div(frame[TOTAL], axis=0)
    elif how == "column":
        result = frame / frame.loc[TOTAL]
    else:
        result = frame / frame.loc[TOTAL, TOTAL]
    return (result * 100).fillna(0.0)  # full precision: screens and LaTeX round, not the data


def _labels(index, tree: list[CodeInfo], style: str, marked: set[str]):
    import pandas as pd

    info = {c.id: c for c in tree}
    names = {c.id: c.name for c in tree}
    parents = {c.id: c.parent for c in tree}

    def label(code: str) -> str:
        if code not in info or style == "id":
            return code
        if style == "name":
            return info[code].name
        if style == "indent":
            return "  " * (info[code].depth - 1) + info[code].name
        chain, cursor = [info[code].name], parents.get(code)
        while cursor in names:
            chain.append(names[cursor])
            cursor = parents.get(cursor)
        return " > ".join(reversed(chain))

    return pd.Index([label(c) + (AGGREGATED if c in marked else "") for c in index])


def cooccurrence(conn: sqlite3.Connection, *, unit: str = "segment", coder: str | None = None,
                 codes: str | None = None, documents: str | None = None,
                 jaccard: bool = False, keep_empty: bool = False,
                 respondents_only: bool = False):
    """Code x code: units (segments or documents) coded with both; the diagonal holds each
    code's own units. With `jaccard`, |A and B| / |A or B| instead. Codes never used (an
    all-zero row and column) are left out unless `keep_empty`."""
    import pandas as pd

    if unit not in ("segment", "document"):
        raise InputError(f"--unit {unit}: choose segment or document")
    tree = code_tree(conn)
    if codes:
        tree = [c for c in tree if fnmatch.fnmatchcase(c.id, codes)] or _no_codes(codes)
    ids = [c.id for c in tree]
    units, _ = coded_units(conn, coder, documents, respondents_only)
    units = units[units["code"].isin(ids)]
    column = "segment_id" if unit == "segment" else "document_id"
    presence = pd.crosstab(units[column], units["code"]).clip(upper=1)
    presence = presence.reindex(columns=ids, fill_value=0).to_numpy()  # int64, even empty
    both = pd.DataFrame(presence.T @ presence, index=ids, columns=ids)
    if not keep_empty:
        used = [code for code in ids if both.loc[code, code] > 0]
        both = both.loc[used, used]
    both.index.name, both.columns.name = f"code ({unit}s)", "code"
    both.attrs.update(unit=unit, dropped=len(ids) - len(both), jaccard=jaccard, coder=coder,
                      coders=sorted(set(units["coder"])))
    if not jaccard:
        return both
    import numpy as np

    diagonal = np.diag(both.to_numpy())
    union = diagonal[:, None] + diagonal[None, :] - both.to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(union > 0, both.to_numpy() / union, 0.0)
    frame = pd.DataFrame(values, index=both.index, columns=both.columns)
    frame.index.name = f"code (Jaccard, {unit}s)"
    frame.attrs.update(both.attrs)
    return frame


def codebook_table(conn: sqlite3.Connection):
    """The codebook as an appendix table: code, name, definition, include and exclude
    criteria and every example (lists), and how often the code is used, each count naming
    its unit: codings (by all coders), distinct segments and documents."""
    import json

    import pandas as pd

    units, _ = coded_units(conn)  # consensus coders left out, as everywhere
    segments = units.groupby("code")["segment_id"].nunique().to_dict()
    documents = units.groupby("code")["document_id"].nunique().to_dict()
    skip, skipped = not_consensus_sql("g.coder", conn)
    rows = conn.execute(f"""
        SELECT c.id, c.name, c.definition, c.include, c.exclude, c.examples,
               (SELECT count(*) FROM coding g WHERE g.code_id = c.id AND g.removed_at IS NULL
                {skip}) AS codings
        FROM code c WHERE c.retired_at IS NULL ORDER BY c.position""", skipped).fetchall()

    def items(text: str) -> list[str]:  # the columns are NOT NULL ('' when not given)
        return [line.strip() for line in text.splitlines() if line.strip()]

    records = [{"code": code, "name": name, "definition": definition,
                "include": items(include), "exclude": items(exclude),
                "examples": list(json.loads(examples)), "codings": codings,
                "segments": int(segments.get(code, 0)), "documents": int(documents.get(code, 0))}
               for code, name, definition, include, exclude, examples, codings in rows]
    columns = ["code", "name", "definition", "include", "exclude", "examples", "codings",
               "segments", "documents"]
    frame = pd.DataFrame(records, columns=columns).set_index("code")
    coders = sorted(set(units["coder"]))
    frame.attrs.update(kind="codebook", coders=coders)
    return frame
