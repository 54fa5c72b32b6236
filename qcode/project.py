"""`Project`: the one object the CLI (and a notebook) talks to.

A project is a folder holding `qcode.db`. `Project.discover` finds it from an explicit
path, then the `QCODE_PROJECT` environment variable, then by walking up from the current
folder, like git does.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from . import codes as code_store
from . import codings, documents, store
from . import speakers as speaker_store
from .errors import InputError, ProjectError
from .importers import SegmentMode

FILENAME = "qcode.db"
ENV_PROJECT = "QCODE_PROJECT"
ENV_CODER = "QCODE_CODER"


class Project:
    """An open qcode project. Use as a context manager, or call `close()`."""

    def __init__(self, path: str | Path):
        path = Path(path)
        if path.is_dir():
            path = path / FILENAME
        if not path.is_file():
            raise ProjectError(f"{path}: no qcode project there; run `qcode init` to create one")
        self.path = path
        self.conn: sqlite3.Connection = store.connect(path)
        self.report: documents.ImportReport | None = None  # what `init(from_qdpx=...)` brought

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def init(cls, directory: str | Path = ".", language: str = "es",
             coder: str | None = None, from_qdpx: str | Path | None = None,
             allow_pii: bool = False) -> Project:
        """A new project; `from_qdpx` fills it from a REFI-QDA project (`.report` then says
        what came; its sources pass the anonymisation check unless `allow_pii`), and if that
        fails nothing is left behind."""
        folder = Path(directory)
        documents.check_language(language)
        path = folder / FILENAME
        if path.exists():
            raise ProjectError(f"{path} already exists; this folder is a qcode project already")
        if from_qdpx is not None and not Path(from_qdpx).is_file():
            raise InputError(f"{from_qdpx}: no such file")
        created_folder = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        conn = store.create(path)
        with store.atomic(conn):
            conn.execute("INSERT INTO setting VALUES ('language', ?)", (language,))
            if coder:
                conn.execute("INSERT INTO setting VALUES ('coder', ?)", (coder,))
        conn.close()
        project = cls(path)
        if from_qdpx is not None:
            try:
                project.report = project.import_files([from_qdpx], allow_pii=allow_pii)
            except BaseException:
                project.close()
                for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                    leftover.unlink(missing_ok=True)
                if created_folder:
                    folder.rmdir()
                raise
        return project

    @classmethod
    def discover(cls, explicit: str | Path | None = None, start: Path | None = None) -> Project:
        if explicit:
            return cls(explicit)
        if os.environ.get(ENV_PROJECT):
            return cls(os.environ[ENV_PROJECT])
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / FILENAME).is_file():
                return cls(folder / FILENAME)
        raise ProjectError(f"no qcode project in {here} or any folder above it; run "
                           f"`qcode init` here, or pass --project PATH or set {ENV_PROJECT}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- settings ------------------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        if key == "language":
            documents.check_language(value)
        with store.atomic(self.conn):
            self.conn.execute("INSERT INTO setting VALUES (?, ?) ON CONFLICT (key)"
                              " DO UPDATE SET value = excluded.value", (key, value))

    def settings(self) -> dict[str, str]:
        rows = self.conn.execute("SELECT key, value FROM setting ORDER BY key")
        return {key: value for key, value in rows}

    @property
    def language(self) -> str:
        return self.setting("language", "es") or "es"

    def coder(self, explicit: str | None = None) -> str:
        """The coder: `explicit`, else $QCODE_CODER, else the project setting."""
        coder = explicit or os.environ.get(ENV_CODER) or self.setting("coder")
        if not coder:
            raise InputError(f"who is coding? pass --coder NAME, set {ENV_CODER}, or run "
                             "`qcode config coder NAME`")
        return coder

    # -- documents -----------------------------------------------------------------------
    def import_files(self, paths: Sequence[str | Path], *, attributes: str | Path | None = None,
                     language: str | None = None, segment: SegmentMode = "turn",
                     name: str | None = None, encoding: str | None = None,
                     progress: documents.Progress | None = None,
                     allow_pii: bool = False, layout: str | None = None,
                     speakers: Sequence[str] | None = None,
                     jobs: int | None = None) -> documents.ImportReport:
        """Import transcripts (files or folders) and/or an attributes CSV (see
        `documents.import_files` for batches). Files with likely identifiers are refused
        unless `allow_pii` (see `qcode.pii`). `layout` forces a transcript layout
        (`qcode.importers.layouts.LAYOUTS`); `speakers` names the only labels to take for
        speakers. `jobs` > 1 reads and checks files in that many worker processes; None:
        one per core when there are many files."""
        if not paths and not attributes:
            raise InputError("nothing to import; name transcript files or folders, "
                             "or give --attributes FILE.csv")
        table = documents.read_attributes_csv(Path(attributes)) if attributes else None
        return documents.import_files(
            self.conn, [Path(p) for p in paths], default_language=self.language,
            language=documents.check_language(language) if language else None, mode=segment,
            attributes=table, name=name, encoding=encoding, progress=progress,
            allow_pii=allow_pii, layout=_layout(layout), speakers=list(speakers or []) or None,
            jobs=jobs)

    def preview_import(self, paths: Sequence[str | Path], *, language: str | None = None,
                       segment: SegmentMode = "turn", encoding: str | None = None,
                       layout: str | None = None, speakers: Sequence[str] | None = None):
        """What `import_files` would find in each file (layout, encoding, turns, speakers),
        writing nothing; a bad file is reported in its entry and the others go on."""
        from .import_preview import preview_files

        if not paths:
            raise InputError("no files given; name transcript files or folders to import")
        return preview_files([Path(p) for p in paths], default_language=self.language,
                             language=documents.check_language(language) if language else None,
                             mode=segment, encoding=encoding, layout=_layout(layout),
                             speakers=list(speakers or []) or None)

    # -- speakers ------------------------------------------------------------------------
    def speakers(self, document: str | None = None) -> list[dict]:
        """Each document's speaker labels with display name, role, turns and words."""
        return speaker_store.list_speakers(self.conn, document)

    def rename_speaker(self, old: str, new: str, document: str | None = None) -> int:
        return speaker_store.rename(self.conn, old, new, document)

    def set_speaker_role(self, name: str, role: str, document: str | None = None) -> int:
        return speaker_store.set_role(self.conn, name, role, document)

    def documents(self) -> list[dict]:
        return documents.list_documents(self.conn)

    def document(self, name: str, coder: str | None = None) -> dict:
        return documents.show_document(self.conn, name, coder)

    # -- anonymisation check (qcode.pii) ----------------------------------------------------
    def pii_allowlist(self):
        """Default terms, the project's `pii allow` terms and the codebook's code names."""
        from .pii import project_allowlist

        return project_allowlist(self.conn)

    def pii_scan(self, targets: Sequence[str | Path], *, model: str | None = None,
                 encoding: str | None = None) -> list:
        """Scan transcript files/folders and stored documents (by name); a ScanResult each."""
        from .pii.scan import load_model, scan_targets

        nlp = load_model(model) if model else None
        return scan_targets(self.conn, [str(t) for t in targets], self.pii_allowlist(),
                            language=self.language, nlp=nlp, encoding=encoding)

    def pii_passage_warnings(self, frame) -> list[str]:
        """Warnings for quotations (a `quotes()` frame) that still hold likely identifiers:
        `export quotes` and `report` print them before the passages leave the project."""
        from .pii.scan import passage_warnings

        if frame is None or not len(frame):
            return []
        rows = zip(frame["document"], frame["segment"], frame["text"], strict=True)
        return passage_warnings(rows, self.pii_allowlist())

    def pii_redact(self, path: str | Path, out: str | Path, *, key: str | Path | None = None,
                   language: str | None = None, encoding: str | None = None):
        """Write a pseudonymised copy of a transcript (and the key, outside the project)."""
        from .pii import redact_file

        return redact_file(Path(path), Path(out), key=Path(key) if key else None,
                           allow=self.pii_allowlist(), language=language,
                           default_language=self.language,
                           project_folder=self.path.parent, encoding=encoding)

    def pii_allow(self, terms: Sequence[str]) -> list[str]:
        from .pii.allowlist import add_terms

        return add_terms(self.conn, list(terms))

    def pii_disallow(self, terms: Sequence[str]) -> int:
        from .pii.allowlist import remove_terms

        return remove_terms(self.conn, list(terms))

    def pii_allowed_terms(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT term FROM pii_allow ORDER BY term")]

    # -- codebook ------------------------------------------------------------------------
    def load_codebook(self, path: str | Path, force: bool = False) -> code_store.LoadReport:
        if Path(path).suffix.lower() == ".qdc":  # a REFI-QDA codebook
            return self.import_qdc(path, force=force)
        from .codebook import load_codebook
        from .yaml_nodes import gc_paused

        with gc_paused():  # as while parsing: the codes are many objects, none in a cycle
            return code_store.load_into(self.conn, load_codebook(path), force=force)

    def codes(self, required: bool = False) -> list[dict]:
        """Active codes in codebook order with their uses; `required` raises when there is
        no codebook yet."""
        rows = (code_store.require_codebook if required else code_store.all_codes)(self.conn)
        return [dict(r) for r in rows]

    def rename_code(self, old: str, new: str) -> int:
        return code_store.rename(self.conn, old, new)

    # -- coding --------------------------------------------------------------------------
    def code(self, document: str, segments: Sequence[int] | None, code_ids: Sequence[str], *,
             span: tuple[int, int] | None = None, coder: str | None = None,
             memo: str | None = None, exact: bool = True) -> list[tuple[str, str, bool]]:
        """Apply codes to segments, or to a character span (taken as given; `exact=False`
        widens it to whole words, as the CLI does by default); returns (where, code,
        created) for each."""
        doc = documents.get_document(self.conn, document)
        where = codings.targets(self.conn, doc, list(segments or []), span, exact)
        return codings.add(self.conn, document, where, list(code_ids), self.coder(coder), memo)

    def uncode(self, document: str, segments: Sequence[int] | None, code_ids: Sequence[str], *,
               span: tuple[int, int] | None = None, coder: str | None = None,
               exact: bool = True) -> list[tuple[str, str]]:
        """Remove (recorded) this coder's codings of the targets and those inside them;
        returns (what, code) for each coding removed."""
        doc = documents.get_document(self.conn, document)
        where = codings.targets(self.conn, doc, list(segments or []), span, exact)
        return codings.remove(self.conn, document, where, list(code_ids), self.coder(coder))

    def import_codings(self, path: str | Path, coder: str | None = None,
                       coder_map: dict[str, str] | None = None) -> tuple[int, int]:
        default = coder or os.environ.get(ENV_CODER) or self.setting("coder")
        return codings.import_csv(self.conn, Path(path), default, coder_map)

    def codings(self, coder: str | None = None) -> list[dict]:
        return codings.export_rows(self.conn, coder)

    # -- suggestions -----------------------------------------------------------------------
    def suggest(self, documents: Sequence[str] | None = None, *, method: str = "all",
                model: str | None = None, jobs: int | None = None, min_score: float = 0.5,
                min_positives: int | None = None, progress: documents.Progress | None = None,
                as_frame: bool = False, respondents_only: bool = False):
        """Compute and store suggestions; return the report, or with `as_frame` the stored
        suggestions of these documents as a pandas DataFrame."""
        from . import suggest as suggesting

        report = suggesting.suggest(self.conn, list(documents or []), method=method, jobs=jobs,
                                    min_score=min_score, progress=progress,
                                    respondents_only=respondents_only,
                                    **self._learning(model, min_positives))
        if not as_frame:
            return report
        import pandas as pd

        rows = suggesting.listing(self.conn, list(documents or []))
        return pd.DataFrame(rows, columns=suggesting.review.COLUMNS)

    def _learning(self, model: str | None, min_positives: int | None) -> dict:
        """The spaCy pipeline (argument, else the `model` setting) and the training floor."""
        from .suggest import DEFAULT_MIN_POSITIVES

        if min_positives is not None and min_positives < 1:
            raise InputError(f"--min-positives {min_positives}: use a whole number of 1 or more "
                             f"(default {DEFAULT_MIN_POSITIVES})")
        return {"model_name": model or self.setting("model"),
                "min_positives": min_positives or DEFAULT_MIN_POSITIVES}

    def train(self, *, force: bool = True, min_positives: int | None = None,
              model: str | None = None, coder: str | None = None):
        from . import suggest as suggesting

        return suggesting.ensure_model(self.conn, force=force, coder=coder,
                                       **self._learning(model, min_positives))

    def evaluate_suggestions(self, *, coder: str | None = None, folds: int = 5,
                             min_score: float = 0.5, min_positives: int | None = None,
                             model: str | None = None):
        # the function from its module: once `qcode.suggest.evaluate` is imported as a module,
        # the package's attribute of that name is the module, not the function
        from .suggest.evaluate import evaluate

        return evaluate(self.conn, coder=coder, folds=folds, min_score=min_score,
                        **self._learning(model, min_positives))

    def suggestions(self, documents: Sequence[str] | None = None, status: str | None = None,
                    coder: str | None = None) -> list[dict]:
        from .suggest import listing

        return listing(self.conn, list(documents or []), status, coder)

    def review_queue(self, documents: Sequence[str] | None = None, threshold: float = 0.5,
                     coder: str | None = None) -> list[dict]:
        """Pending suggestions, most informative first (see `suggest.review.review_order`)."""
        from .suggest import review_order

        return review_order(self.conn, list(documents or []), threshold, coder)

    def decide(self, ids: Sequence[int], accept: bool, coder: str | None = None) -> list[dict]:
        from .suggest import decide

        return decide(self.conn, list(ids), accept, self.coder(coder))

    # -- memos ---------------------------------------------------------------------------
    def memos(self, document: str | None = None, *, code: str | None = None,
              coder: str | None = None) -> list[dict]:
        """Memos on documents, segments, codes and codings (see `qcode.memos`)."""
        from .memos import list_memos

        return list_memos(self.conn, document, code, coder)

    def memo(self, text: str | None, *, document: str | None = None,
             segment: str | int | None = None, coding: int | None = None,
             code: str | None = None, delete: bool = False, coder: str | None = None) -> str:
        """Write (or replace) your memo on a document, segment, coding or code; with
        `delete`, remove it. Returns a one-line message."""
        from .memos import target_for, write_memo

        who = self.coder(coder) if coding is None else coder or ""
        where = target_for(self.conn, document, segment, coding, code, who)
        author = who if where.target != "coding" else ""
        return write_memo(self.conn, where, author, text, delete)

    # -- coders ----------------------------------------------------------------------------
    def coders(self, include_removed: bool = False) -> list[dict]:
        from .coders import list_coders

        return list_coders(self.conn, include_removed)

    def rename_coder(self, old: str, new: str) -> int:
        from .coders import rename

        return rename(self.conn, old, new)

    def remove_coder(self, name: str, by: str | None = None) -> int:
        from .coders import remove

        return remove(self.conn, name, self.coder(by))

    def mark_coder(self, name: str, kind: str) -> None:
        from .coders import mark

        mark(self.conn, name, kind)

    # -- several coders --------------------------------------------------------------------
    def merge(self, other: str | Path, coder_map: dict[str, str] | None = None):
        """Bring in another copy's codings, memos and decisions (or a codings CSV)."""
        from .merge import MergeReport, merge_project

        other = Path(other)
        if other.suffix.lower() == ".csv":
            added, present = self.import_codings(other, coder_map=coder_map)
            return MergeReport(codings_added=added, codings_present=present)
        return merge_project(self.conn, other, coder_map)

    def agree(self, *, coders: Sequence[str] | None = None, codes: str | None = None,
              documents: str | None = None, unit: str = "segment", overlap: float = 0.5,
              threshold: float = 0.667):
        """Agreement per code and overall (an AgreementReport; `.rows` are plain dicts)."""
        from .agreement import agree

        return agree(self.conn, coders=list(coders or []) or None, codes=codes,
                     documents=documents, unit=unit, overlap=overlap, threshold=threshold)

    def disagreements(self, *, coders: Sequence[str] | None = None, codes: str | None = None,
                      documents: str | None = None, overlap: float = 0.5) -> list[dict]:
        from .agreement import disagreements

        return disagreements(self.conn, coders=list(coders or []) or None, codes=codes,
                             documents=documents, overlap=overlap)

    def consensus(self, name: str, *, coders: Sequence[str] | None = None,
                  codes: str | None = None, documents: str | None = None,
                  overlap: float = 0.5) -> int:
        from .agreement import consensus

        return consensus(self.conn, name, coders=list(coders or []) or None, codes=codes,
                         documents=documents, overlap=overlap)

    # -- analysis ------------------------------------------------------------------------
    def matrix(self, by: str = "document", *, count: str = "segments",
               coder: str | None = None, codes: str | None = None,
               documents: str | None = None, include_children: bool | None = None,
               level: int | None = None, percent: str | None = None, labels: str = "id",
               respondents_only: bool = False):
        """Codes x documents / speakers / roles / coders / attribute values (a pandas
        DataFrame with a Total row and column); see `qcode.matrices` for each count.
        `respondents_only` leaves out the turns of interviewers (and `other` speakers)."""
        from . import matrices

        return matrices.matrix(self.conn, by=by, count=count, coder=coder, codes=codes,
                               documents=documents, include_children=include_children,
                               level=level, percent=percent, labels=labels,
                               respondents_only=respondents_only)

    def cooccurrence(self, *, unit: str = "segment", coder: str | None = None,
                     codes: str | None = None, documents: str | None = None,
                     jaccard: bool = False, keep_empty: bool = False,
                     respondents_only: bool = False):
        """Code x code co-occurrence counts (or Jaccard similarity) as a DataFrame; codes
        nobody used are left out unless `keep_empty`."""
        from . import matrices

        return matrices.cooccurrence(self.conn, unit=unit, coder=coder, codes=codes,
                                     documents=documents, jaccard=jaccard,
                                     keep_empty=keep_empty, respondents_only=respondents_only)

    def quotes(self, codes: str | Sequence[str] | None = None, *, include_children: bool = True,
               coder: str | None = None, documents: str | None = None, by: str | None = None,
               respondents_only: bool = False):
        """Every coded passage (a DataFrame): code, document, segment, speaker, one column
        per attribute, coder, memo, offsets and text."""
        from . import quotations

        wanted = [codes] if isinstance(codes, str) else list(codes or []) or None
        return quotations.quotes(self.conn, codes=wanted, include_children=include_children,
                                 coder=coder, documents=documents, by=by,
                                 respondents_only=respondents_only)

    # -- REFI-QDA ---------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The project's name for other tools: the `name` setting, else its folder's name."""
        return self.setting("name") or self.path.resolve().parent.name or "qcode project"

    def export_qdpx(self, path: str | Path):
        """The whole project as a REFI-QDA .qdpx (an `ExportReport`)."""
        from .refi import export_qdpx

        report = export_qdpx(self.conn, Path(path), self.name)
        # the anonymisation check (qcode.pii) on what leaves the project: coded passages,
        # and the documents someone imported with --allow-pii
        report.warnings += self.pii_passage_warnings(self.quotes())
        from .pii.importing import allowed_documents

        if allowed := allowed_documents(self.conn):
            report.warnings.append(f"the export holds documents imported with --allow-pii: "
                                   f"{', '.join(allowed)}; check them before sharing the file")
        return report

    def codebook_qdc(self) -> bytes:
        """The codebook as REFI-QDA .qdc XML."""
        from .refi.qdc import codebook_xml

        return codebook_xml(self.conn)

    def import_qdc(self, path: str | Path, force: bool = False) -> code_store.LoadReport:
        """Make a REFI-QDA .qdc the project's codebook (like `load_codebook`)."""
        from .refi.qdc import read_qdc

        book = read_qdc(Path(path))
        report = code_store.load_into(self.conn, book, force=force)
        report.warnings = book.warnings
        return report

    def codebook_table(self):
        """The codebook as an appendix table with each code's frequency."""
        from . import matrices

        return matrices.codebook_table(self.conn)


def _layout(name: str | None) -> str | None:
    from .importers.layouts import check_layout

    return check_layout(name) if name else None
