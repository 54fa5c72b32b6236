"""`qcode import`, `qcode docs`, `qcode show`."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from .app import app, out, state
from .output import ListFormat, listing, progress_bar, say, warn


class Segmentation(StrEnum):
    turn = "turn"
    paragraph = "paragraph"
    sentence = "sentence"


LIST_FILES = 50  # a larger import lists only assumed encodings and duplicates


@app.command("import")
def import_cli(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Transcript files (.txt .md .docx .vtt .srt .cha), folders, or REFI-QDA "
        "projects (.qdpx).")] = None,
    attributes: Annotated[Path | None, typer.Option(
        help="CSV with a `document` column and one column per attribute.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of these documents "
                                             "(default: the project's).")] = None,
    segment: Annotated[Segmentation, typer.Option(
        help="Split into speaker turns (falls back to paragraphs when there are no speaker "
        "markers), paragraphs or sentences.")] = Segmentation.turn,
    as_name: Annotated[str | None, typer.Option("--as", help="Document name for a single "
                                                "file (default: the file name).")] = None,
    encoding: Annotated[str | None, typer.Option(help="Force a text encoding (default: "
                                                 "UTF-8/UTF-16 by BOM, else UTF-8, else "
                                                 "Windows-1252).")] = None,
    allow_pii: Annotated[bool, typer.Option(
        "--allow-pii", help="Import files even though the anonymisation check finds likely "
        "identifiers in them (after checking them; recorded, shown by `qcode docs`).")] = False,
    layout: Annotated[str | None, typer.Option(
        help="Force a transcript layout instead of detecting it: colon, padded, label-line, "
        "rev, timestamped, google-meet, whisperx, f4, chat, otter, teams, zoom-captions, "
        "time-header, paragraphs.")] = None,
    speakers: Annotated[str | None, typer.Option(
        help='The speaker labels, comma-separated ("Interviewer,Guard 1"), when detection '
        "takes too many or too few.")] = None,
    jobs: Annotated[int | None, typer.Option(
        min=1, help="Processes that read and check files while this one stores them "
        "(default: one per core, up to 4, from 100 files; 1 below).")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show each file's layout, encoding, turns and speakers; write "
        "nothing.")] = False,
) -> None:
    """Import transcripts into the project: up to 250 files all or nothing; a larger import
    commits in batches and, stopped half-way, carries on when run again.

    Re-importing an unchanged file does nothing; a changed file under an existing name is
    refused (use --as NAME). YAML front matter (a --- block) sets document attributes.
    """
    st = state(ctx)
    names = [s.strip() for s in speakers.split(",") if s.strip()] if speakers else None
    if dry_run:
        with st.open() as project:
            previews = project.preview_import(paths or [], language=lang, segment=segment.value,
                                              encoding=encoding, layout=layout, speakers=names)
        _show_previews(previews)
        return
    with st.open() as project, progress_bar(st, "importing") as progress:
        report = project.import_files(paths or [], attributes=attributes, language=lang,
                                      segment=segment.value, name=as_name, encoding=encoding,
                                      progress=progress, allow_pii=allow_pii, layout=layout,
                                      speakers=names, jobs=jobs)
    print_report(st, report)


def print_report(st, report) -> None:
    many = len(report.files) > LIST_FILES
    for item in report.files:
        note = "" if item.encoding in (None, "utf-8", "utf-8-sig") else \
            f" [yellow]({item.encoding} assumed)[/]"
        if many and not note and item.status != "duplicate":
            continue  # an archive: only what needs a look, then the totals
        if item.status == "imported":
            say(st, f"imported [bold]{escape(item.name)}[/]: {item.segments} segments "
                    f"({item.segmentation}s{f', layout {item.layout}' if item.layout else ''})"
                    f"{note}")
        elif item.status == "unchanged":
            say(st, f"[dim]unchanged {escape(item.name)}: already imported[/]")
        else:
            say(st, f"[dim]skipped {escape(str(item.path))}: same text as document "
                    f"'{escape(item.same_as or '')}'[/]")
    for message in report.warnings:
        warn(message)
    for line in report.notes:
        say(st, escape(line))
    say(st, f"{len(report.imported)} imported, {len(report.files) - len(report.imported)} "
            f"already present, {report.attributes_set} attribute values set")


def _show_previews(previews) -> None:
    """One block per file: layout, encoding, segments, then each speaker's turns and words."""
    from rich.table import Table

    failed = 0
    for item in previews:
        if item.error:
            failed += 1
            out.print(f"[red]error:[/] {escape(item.error)}")
            continue
        out.print(f"[bold]{escape(str(item.path))}[/]: layout {item.layout}, "
                  f"{item.encoding or 'docx'}, {item.segments} {item.mode}s")
        table = Table(show_header=True, box=None, padding=(0, 2, 0, 2))
        for column in ("speaker", "turns", "words"):
            table.add_column(column, justify="left" if column == "speaker" else "right")
        for row in item.speakers:
            table.add_row(escape(row["label"] or "(no speaker)"), str(row["turns"]),
                          str(row["words"]))
        out.print(table)
        if item.warning:
            warn(item.warning)
    out.print(f"dry run: {len(previews) - failed} files read, {failed} with errors, "
              "nothing written")
    if failed:
        raise typer.Exit(1)


@app.command("docs")
def docs_cli(
    ctx: typer.Context,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List documents: language, words, segments, speakers, attributes, codings, and
    `pii`: imported with --allow-pii despite likely identifiers."""
    with state(ctx).open() as project:
        rows = project.documents()
    if fmt != ListFormat.json:
        for row in rows:
            row["attributes"] = "; ".join(f"{k}={v}" for k, v in row["attributes"].items())
    listing(rows, ["name", "language", "format", "words", "segments", "speakers",
                   "attributes", "codings", "pii"], fmt,
            empty="no documents yet; `qcode import FILES`",
            hints={"language": {"short": "lang", "priority": 7},
                   "format": {"short": "fmt", "priority": 8},
                   "words": {"priority": 6}, "segments": {"short": "segs", "priority": 5},
                   "codings": {"priority": 4}, "pii": {"priority": 3},
                   "speakers": {"below": True},
                   "attributes": {"below": True}})


def _by_code(applied: list[str]) -> list[str]:
    """['route.staff (ana)', 'route.staff (ben)'] -> ['route.staff (ana, ben)']."""
    coders: dict[str, list[str]] = {}
    for item in applied:
        code, _, who = item.partition(" (")
        coders.setdefault(code, []).append(who.rstrip(")"))
    return [f"{code} ({', '.join(w for w in who if w)})" for code, who in coders.items()]


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


@app.command("show")
def show_cli(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(help="Document name (see `qcode docs`).")],
    coder: Annotated[str | None, typer.Option(help="Show only this coder's codes.")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Print a document's numbered segments with speaker and the codes applied."""
    with state(ctx).open() as project:
        doc = project.document(document, coder)
    if fmt == ListFormat.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    rows = [{**s, "codes": "; ".join(s["codes"]), "memos": " | ".join(s["memos"])}
            for s in doc["segments"]]
    if fmt == ListFormat.csv:
        listing(rows, ["segment", "speaker", "time", "start", "end", "text", "codes", "memos"],
                fmt)
        return
    attrs = ", ".join(f"{k}={v}" for k, v in doc["attributes"].items())
    out.print(f"[bold]{escape(doc['name'])}[/] ({doc['language']}, {doc['format']}) "
              f"{escape(attrs)}")
    timed = any(row["time"] is not None for row in rows)
    from .columns import Col
    from .output import table

    shown = [{"#": row["segment"], "time": _clock(row["time"]), "speaker": row["speaker"],
              "text": row["text"], "codes": "\n".join(_by_code(seg["codes"])),
              "memo": "\n".join(seg["memos"])}
             for row, seg in zip(rows, doc["segments"], strict=True)]
    longest_code = max([len(c.split(" (")[0]) for r in rows for c in r["codes"].split("; ")]
                       + [5])
    table(shown, [Col("#", kind="num"), *([Col("time", kind="id", priority=2)] if timed else []),
                  Col("speaker", kind="text", min=6, priority=1),
                  Col("text", kind="wrap", min=24),
                  Col("codes", kind="wrap", min=min(longest_code, 28), priority=3),
                  Col("memo", below=True)])
    for memo in doc["memos"]:
        out.print(f"[italic]document memo {escape(memo)}[/]", soft_wrap=True)
