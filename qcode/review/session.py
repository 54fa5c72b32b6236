"""The review loop's state and decisions, with no terminal I/O (the CLI draws and reads keys).

A session walks a list of segments for one coder. On each segment it offers numbered
choices: the codes this coder has applied, then the pending suggestions for other codes
(rules and model suggestions of one code are merged into one choice). Every decision is
committed at once, the coder's position is saved on every move (so the next session resumes
there), and each decision pushes its inverse on an undo stack.

Blind coding: only this coder's codings and the suggestions this coder has not decided are
shown (decisions are per coder, table `decision`); other coders' codes appear only with
`show_others`.

Numbers stay fixed for the whole visit to a segment: a choice toggled off keeps its number
and stays listed (as rejected or removed) until the coder moves on, so pressing `2` never
renumbers what `1` means. Segments the coder moved on from or decided on are recorded as
reviewed (table `reviewed`): agreement uses them to tell "not applied" from "not yet read".
"""

from __future__ import annotations

import difflib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ..codes import descendants, require_codebook, resolve
from ..codings import Target, add
from ..documents import attributes_of, get_document
from ..errors import InputError, NotFoundError
from ..store import OVERLAPPED, atomic, now
from ..suggest import evidence
from ..suggest.review import set_decision

Order = Literal["document", "informative"]


@dataclass
class Choice:
    number: int
    code: str
    name: str
    color: str | None
    applied: bool
    suggestion_ids: list[int] = field(default_factory=list)
    score: float | None = None
    methods: str = ""
    evidence: list[dict] = field(default_factory=list)
    # applied, pending (suggested, undecided), rejected (by this coder, during this visit)
    # or removed (applied earlier in this visit, then toggled off)
    state: str = "pending"


@dataclass
class View:
    document: str
    segment: int
    segments_in_document: int
    position: int          # 1-based index in the session's list
    total: int
    decided: int           # segments of the list this coder has coded or decided
    speaker: str
    attributes: dict[str, str]
    previous: tuple[str, str] | None
    text: str
    start: int             # offset of the segment in the document, for evidence spans
    choices: list[Choice]
    others: list[tuple[str, str]]
    memos: list[str]


@dataclass
class _Undo:
    index: int
    label: str
    revert: Callable[[], None]


class ReviewSession:
    def __init__(self, conn: sqlite3.Connection, coder: str, documents: list[str] | None = None,
                 *, code: str | None = None, pending_only: bool = False,
                 order: Order = "document", show_others: bool = False, restart: bool = False,
                 threshold: float = 0.5):
        self.conn, self.coder, self.show_others = conn, coder, show_others
        self.codes = {r["id"]: r for r in require_codebook(conn)}
        self.items = self._items(documents, code, pending_only, order, threshold)
        if not self.items:
            what = "with pending suggestions " if pending_only or code else ""
            raise NotFoundError(f"no segments {what}to review"
                                + ("; run `qcode suggest` first" if what else ""))
        self.index = 0
        self.resumed = False
        saved = conn.execute("SELECT segment_id FROM review_state WHERE coder = ?",
                             (coder,)).fetchone()
        if saved and not restart and saved[0] in self.items:
            self.index = self.items.index(saved[0])
            self.resumed = self.index > 0
        self._undo: list[_Undo] = []
        self._visit: tuple[int, list[str]] | None = None  # (segment id, codes in number order)
        self._save_position()

    # -- which segments ------------------------------------------------------------------
    def _items(self, documents: list[str] | None, code: str | None, pending_only: bool,
               order: Order, threshold: float) -> list[int]:
        if documents:
            ids = [get_document(self.conn, name)["id"] for name in documents]
        else:
            ids = [r[0] for r in self.conn.execute("SELECT id FROM document ORDER BY name")]
        if not ids:
            raise NotFoundError("the project has no documents; `qcode import FILES` first")
        marks = ",".join("?" * len(ids))
        order_by = " ".join(f"WHEN {doc_id} THEN {n}" for n, doc_id in enumerate(ids))
        segments = [r[0] for r in self.conn.execute(
            f"SELECT id FROM segment WHERE document_id IN ({marks}) ORDER BY CASE document_id "
            f"{order_by} END, ordinal", ids)]
        wanted: set[int] | None = None
        if pending_only or code:
            codes = descendants(self.conn, resolve(self.conn, code)["id"]) if code else None
            wanted = set(self._pending_segments(segments, codes))
            if code:
                wanted |= self._coded_segments(segments, codes)
        if order == "informative":
            from ..suggest.review import review_order

            lookup = {(r["name"], r["ordinal"]): r["id"] for r in self.conn.execute(
                "SELECT s.id, s.ordinal, d.name FROM segment s JOIN document d"
                " ON d.id = s.document_id")}
            queue = review_order(self.conn, documents or None, threshold, self.coder)
            present = set(segments)
            first = [s for s in dict.fromkeys(lookup[(r["document"], r["segment"])]
                                              for r in queue) if s in present]
            ahead = set(first)
            segments = first + [s for s in segments if s not in ahead]
        return [s for s in segments if wanted is None or s in wanted]

    def _pending_segments(self, segments: list[int], codes: list[str] | None) -> list[int]:
        rows = self.conn.execute("""
            SELECT DISTINCT g.segment_id, g.code_id FROM suggestion g
            JOIN segment s ON s.id = g.segment_id
            WHERE NOT EXISTS (SELECT 1 FROM decision x WHERE x.suggestion_id = g.id
                AND x.coder = ?)
            AND NOT EXISTS (SELECT 1 FROM coding c WHERE c.document_id = s.document_id
                AND c.code_id = g.code_id AND c.coder = ? AND c.removed_at IS NULL
                AND c.start < s."end" AND c."end" > s.start)""",
                                 (self.coder, self.coder)).fetchall()
        keep = {r[0] for r in rows if codes is None or r[1] in codes}
        return [s for s in segments if s in keep]

    def _coded_segments(self, segments: list[int], codes: list[str]) -> set[int]:
        marks = ",".join("?" * len(codes))
        rows = self.conn.execute(f"""
            SELECT DISTINCT s.id FROM coding c JOIN segment s ON {OVERLAPPED} WHERE c.coder = ?
            AND c.removed_at IS NULL AND c.code_id IN ({marks})""", (self.coder, *codes))
        return {r[0] for r in rows} & set(segments)

    # -- what is on screen ---------------------------------------------------------------
    @property
    def segment_id(self) -> int:
        return self.items[self.index]

    def _segment(self) -> sqlite3.Row:
        return self.conn.execute("""
            SELECT s.*, d.name AS document, d.text AS doc_text, d.id AS doc_id,
                   (SELECT count(*) FROM segment t WHERE t.document_id = s.document_id) AS n
            FROM segment s JOIN document d ON d.id = s.document_id WHERE s.id = ?""",
                                 (self.segment_id,)).fetchone()

    def view(self) -> View:
        seg = self._segment()
        text = seg["doc_text"]
        previous = self.conn.execute(
            'SELECT speaker, start, "end" FROM segment WHERE document_id = ? AND ordinal = ?',
            (seg["document_id"], seg["ordinal"] - 1)).fetchone()
        return View(
            document=seg["document"], segment=seg["ordinal"], segments_in_document=seg["n"],
            position=self.index + 1, total=len(self.items), decided=self._decided_count(),
            speaker=seg["speaker"] or "", attributes=attributes_of(self.conn, seg["doc_id"]),
            previous=(previous["speaker"] or "", text[previous["start"]:previous["end"]])
            if previous else None,
            text=text[seg["start"]:seg["end"]], start=seg["start"], choices=self._choices(seg),
            others=self._others(seg) if self.show_others else [],
            memos=[m for m in [self.current_memo()] if m])

    def _decided_count(self) -> int:
        marks = ",".join("?" * len(self.items))
        row = self.conn.execute(f"""
            SELECT count(DISTINCT s.id) FROM segment s WHERE s.id IN ({marks}) AND (
              EXISTS (SELECT 1 FROM coding c WHERE c.document_id = s.document_id
                AND c.coder = ? AND c.removed_at IS NULL AND c.start < s."end"
                AND c."end" > s.start)
              OR EXISTS (SELECT 1 FROM suggestion g JOIN decision x ON x.suggestion_id = g.id
                WHERE g.segment_id = s.id AND x.coder = ?)
            OR EXISTS (SELECT 1 FROM reviewed r WHERE r.segment_id = s.id AND r.coder = ?))""",
                               (*self.items, self.coder, self.coder, self.coder)).fetchone()
        return row[0]

    def _applied(self, seg: sqlite3.Row) -> list[sqlite3.Row]:
        return self.conn.execute("""
            SELECT c.id, c.code_id FROM coding c JOIN code k ON k.id = c.code_id
            WHERE c.document_id = ? AND c.coder = ? AND c.removed_at IS NULL
            AND c.start < ? AND c."end" > ? ORDER BY k.position""",
                                 (seg["document_id"], self.coder, seg["end"], seg["start"]))\
            .fetchall()

    def _choices(self, seg: sqlite3.Row) -> list[Choice]:
        applied = [r["code_id"] for r in self._applied(seg) if r["code_id"] in self.codes]
        suggested: dict[str, Choice] = {}
        decisions: dict[str, set[str]] = {}
        for row in self.conn.execute("""
                SELECT g.id, g.code_id, g.score, g.method, g.evidence, x.status
                FROM suggestion g JOIN code k ON k.id = g.code_id
                LEFT JOIN decision x ON x.suggestion_id = g.id AND x.coder = ?
                WHERE g.segment_id = ? ORDER BY g.score DESC, k.position""",
                                     (self.coder, self.segment_id)):
            code = self.codes.get(row["code_id"])
            if code is None:
                continue
            choice = suggested.setdefault(row["code_id"], Choice(
                0, code["id"], code["name"], code["color"], False))
            choice.suggestion_ids.append(row["id"])
            choice.score = max(choice.score or 0.0, row["score"])
            choice.methods = "+".join(filter(None, [choice.methods, row["method"]]))
            choice.evidence += evidence.render(row["evidence"], seg["doc_text"])
            decisions.setdefault(row["code_id"], set()).add(row["status"] or "pending")
        if self._visit is None or self._visit[0] != self.segment_id:
            fresh = list(dict.fromkeys(
                applied + [c for c in suggested if "pending" in decisions[c]]))
            self._visit = (self.segment_id, fresh)
        order = self._visit[1]
        order += [c for c in applied if c not in order]
        out = []
        for number, code_id in enumerate(order, start=1):
            code = self.codes[code_id]
            choice = suggested.get(code_id) or Choice(0, code_id, code["name"], code["color"],
                                                      False)
            if code_id in applied:
                choice.state, choice.applied = "applied", True
                choice.suggestion_ids = []
            elif "pending" in decisions.get(code_id, ()):
                choice.state = "pending"
            elif "rejected" in decisions.get(code_id, ()):
                choice.state = "rejected"
            else:
                choice.state = "removed"
            choice.number = number
            out.append(choice)
        return out

    def _others(self, seg: sqlite3.Row) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.conn.execute("""
            SELECT DISTINCT code_id, coder FROM coding WHERE document_id = ? AND coder != ?
            AND removed_at IS NULL AND start < ? AND "end" > ? ORDER BY coder, code_id""",
                                                        (seg["document_id"], self.coder,
                                                         seg["end"], seg["start"]))]

    # -- decisions -----------------------------------------------------------------------
    def _choice(self, number: int) -> Choice:
        choices = self.view().choices
        if not 1 <= number <= len(choices):
            raise InputError(f"no choice {number} here; pick 1-{len(choices)}" if choices
                             else "nothing to toggle here; press c to add a code")
        return choices[number - 1]

    def toggle(self, number: int) -> str:
        choice = self._choice(number)
        if choice.applied:
            return self._remove(choice.code)
        return self._accept(choice)

    def accept_all(self) -> str:
        pending = [c for c in self.view().choices if c.state == "pending"]
        if not pending:
            return "no suggestions to accept here"
        return "; ".join(self._accept(c) for c in pending)

    def reject_rest(self) -> str:
        pending = [c for c in self.view().choices if c.state == "pending"]
        if not pending:
            return "no suggestions left to reject"
        ids = [i for c in pending for i in c.suggestion_ids]
        with atomic(self.conn):
            self._set_status(ids, "rejected")
            self._mark_reviewed()
        self._push(f"reject {', '.join(c.code for c in pending)}",
                   lambda: self._set_status(ids, "pending"))
        return f"rejected {', '.join(c.code for c in pending)}"

    def _accept(self, choice: Choice) -> str:
        seg = self._segment()
        before = self._decisions(choice.suggestion_ids)
        with atomic(self.conn):
            created = add(self.conn, seg["document"], [Target(seg["start"], seg["end"],
                                                              seg["ordinal"])],
                          [choice.code], self.coder,
                          origin="suggestion" if choice.suggestion_ids else "manual")
            self._set_status(choice.suggestion_ids, "accepted")
            self._mark_reviewed()
            coding_id = self.conn.execute(
                'SELECT id FROM coding WHERE document_id = ? AND code_id = ? AND coder = ? AND'
                ' start = ? AND "end" = ? AND removed_at IS NULL',
                (seg["document_id"], choice.code, self.coder, seg["start"], seg["end"]))\
                .fetchone()[0]
        ids = list(choice.suggestion_ids)

        def revert() -> None:
            for status in ("pending", "accepted", "rejected"):
                self._set_status([i for i in ids if before.get(i, "pending") == status], status)
            if created[0][2]:
                self.conn.execute("UPDATE coding SET removed_at = ?, removed_by = ? WHERE id = ?",
                                  (now(), self.coder, coding_id))
        self._push(f"code {choice.code}", revert)
        return f"coded {choice.code}"

    def _remove(self, code: str) -> str:
        seg = self._segment()
        stamp = now()
        with atomic(self.conn):
            ids = [r["id"] for r in self._applied(seg) if r["code_id"] == code]
            self.conn.executemany("UPDATE coding SET removed_at = ?, removed_by = ? WHERE id = ?",
                                  [(stamp, self.coder, i) for i in ids])
            accepted = [r[0] for r in self.conn.execute(
                "SELECT g.id FROM suggestion g JOIN decision x ON x.suggestion_id = g.id"
                " WHERE g.segment_id = ? AND g.code_id = ? AND x.coder = ?"
                " AND x.status = 'accepted'", (self.segment_id, code, self.coder))]
            self._set_status(accepted, "rejected")
            self._mark_reviewed()

        def revert() -> None:
            self.conn.executemany("UPDATE coding SET removed_at = NULL, removed_by = NULL"
                                  " WHERE id = ?", [(i,) for i in ids])
            self._set_status(accepted, "accepted")
        self._push(f"uncode {code}", revert)
        return f"removed {code}"

    def find_codes(self, query: str, limit: int = 9) -> list[tuple[str, str]]:
        """Codes matching an id, a part of an id or name, or a few letters in order."""
        query = query.strip().lower()
        if not query:
            return []
        if query in self.codes:
            return [(query, self.codes[query]["name"])]
        ranked: list[tuple[int, str]] = []
        for code_id, row in self.codes.items():
            name = row["name"].lower()
            if code_id.lower().startswith(query) or name.startswith(query):
                ranked.append((0, code_id))
            elif query in code_id.lower() or query in name:
                ranked.append((1, code_id))
            elif _in_order(query, code_id.lower()) or _in_order(query, name):
                ranked.append((2, code_id))
        if not ranked:
            lowered = {c.lower(): c for c in self.codes}
            ranked = [(3, lowered[c]) for c in difflib.get_close_matches(query, lowered, n=limit)]
        ranked.sort(key=lambda item: (item[0], self.codes[item[1]]["position"]))
        return [(c, self.codes[c]["name"]) for _, c in ranked[:limit]]

    def apply_code(self, code_id: str) -> str:
        if code_id not in self.codes:
            raise InputError(f"unknown code '{code_id}'")
        existing = next((c for c in self.view().choices if c.code == code_id), None)
        if existing and existing.applied:
            return f"{code_id} is already applied"
        return self._accept(existing or Choice(0, code_id, self.codes[code_id]["name"],
                                               self.codes[code_id]["color"], False))

    def current_memo(self) -> str:
        """This coder's memo on the segment ('' if none), to pre-fill the memo prompt."""
        from ..memos import get_memo

        return get_memo(self.conn, "segment", str(self.segment_id), self.coder) or ""

    def memo(self, text: str) -> str:
        """Write (or replace) this coder's memo on the segment; empty text removes it."""
        from ..memos import put_memo

        text = text.strip()
        before = self.current_memo()
        if text == before:
            return "memo unchanged" if text else "empty memo not saved"
        segment_id = str(self.segment_id)
        with atomic(self.conn):
            put_memo(self.conn, "segment", segment_id, self.coder, text)
        self._push("memo", lambda: put_memo(self.conn, "segment", segment_id, self.coder,
                                            before))
        return "memo saved" if text else "memo removed"

    def definition(self, which: str) -> sqlite3.Row:
        """A code's definition, by choice number or by id / letters."""
        if which.isdigit():
            return self.codes[self._choice(int(which)).code]
        found = self.find_codes(which, limit=1)
        if not found:
            raise InputError(f"no code matches '{which}'")
        return self.codes[found[0][0]]

    def _set_status(self, ids: list[int], status: str) -> None:
        set_decision(self.conn, ids, self.coder, status)

    def _decisions(self, ids: list[int]) -> dict[int, str]:
        marks = ",".join("?" * len(ids))
        return {r[0]: r[1] for r in self.conn.execute(
            f"SELECT suggestion_id, status FROM decision WHERE coder = ? AND suggestion_id"
            f" IN ({marks})", (self.coder, *ids))}

    def _mark_reviewed(self, segment_id: int | None = None) -> None:
        self.conn.execute("INSERT OR IGNORE INTO reviewed VALUES (?, ?, ?)",
                          (self.coder, segment_id or self.segment_id, now()))

    def _push(self, label: str, revert: Callable[[], None]) -> None:
        self._undo.append(_Undo(self.index, label, revert))

    def undo(self) -> str:
        if not self._undo:
            return "nothing to undo"
        last = self._undo.pop()
        with atomic(self.conn):
            last.revert()
        self.index = last.index
        self._save_position()
        return f"undone: {last.label}"

    # -- moving --------------------------------------------------------------------------
    def next(self) -> bool:
        """Move on; False when this was the last segment (the position stays on it)."""
        if self.index + 1 >= len(self.items):
            with atomic(self.conn):
                self._mark_reviewed()
            return False
        with atomic(self.conn):
            self._mark_reviewed()
        self.index += 1
        self._save_position()
        return True

    def back(self) -> bool:
        if self.index == 0:
            return False
        self.index -= 1
        self._save_position()
        return True

    def _save_position(self) -> None:
        if self._visit is not None and self._visit[0] != self.segment_id:
            self._visit = None  # a new visit: number the choices afresh
        with atomic(self.conn):
            self.conn.execute("INSERT INTO review_state VALUES (?, ?, ?) ON CONFLICT (coder)"
                              " DO UPDATE SET segment_id = excluded.segment_id,"
                              " updated_at = excluded.updated_at",
                              (self.coder, self.segment_id, now()))


def _in_order(letters: str, text: str) -> bool:
    position = 0
    for letter in letters:
        position = text.find(letter, position) + 1
        if not position:
            return False
    return True
