"""`qcode pii scan | redact | allow`: the anonymisation check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from .app import app, group, state
from .output import ListFormat, listing, say

pii_app = group("Anonymisation check: find and pseudonymise identifiers that escaped "
                "anonymisation.")
app.add_typer(pii_app, name="pii")


@pii_app.command("scan")
def scan_cli(
    ctx: typer.Context,
    targets: Annotated[list[str], typer.Argument(
        help="Transcript files or folders (read as `qcode import` reads them), or names of "
        "documents already in the project.")],
    model: Annotated[str | None, typer.Option(
        help="An installed trained spaCy pipeline whose person entities are added.")] = None,
    encoding: Annotated[str | None, typer.Option(help="Force a text encoding.")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List likely identifiers: file, line, kind, the text and why it was flagged.

    Exit code 0 when nothing is found, 2 when something is (for scripts), 1 on errors.
    """
    st = state(ctx)
    from ..errors import ProjectError
    from ..pii import Allowlist
    from ..pii.scan import load_model, scan_targets

    try:
        project = st.open()
    except ProjectError:
        project = None  # outside a project: default allowlist, files only
    try:
        if project is not None:
            results = project.pii_scan(targets, model=model, encoding=encoding)
        else:
            results = scan_targets(None, targets, Allowlist(), nlp=load_model(model)
                                   if model else None, encoding=encoding)
    finally:
        if project is not None:
            project.close()
    rows = [{"source": r.source, **f.as_dict()} for r in results for f in r.findings]
    listing(rows, ["source", "line", "kind", "text", "reason"], fmt,
            empty="no likely identifiers found")
    words = sum(r.words for r in results)
    say(st, f"{len(rows)} likely identifier{'' if len(rows) == 1 else 's'} in "
            f"{len(results)} file{'' if len(results) == 1 else 's'} ({words:,} words)")
    if rows:
        raise typer.Exit(2)


@pii_app.command("redact")
def redact_cli(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The transcript to pseudonymise.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the copy.")],
    key: Annotated[Path | None, typer.Option(
        help="Also write the placeholder -> original mapping as CSV (outside the project).")
    ] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Language of the placeholders (default: the file's front matter, "
        "else Spanish or English as the text reads, else the project's, else es).")] = None,
    encoding: Annotated[str | None, typer.Option(help="Force a text encoding.")] = None,
) -> None:
    """Write a pseudonymised copy: each distinct identifier gets a stable placeholder
    ([PERSONA_1], [TELÉFONO_1] ... or [PERSON_1], [PHONE_1] ...)."""
    st = state(ctx)
    from ..errors import ProjectError
    from ..pii import Allowlist, redact_file

    try:
        project = st.open()
    except ProjectError:
        project = None
    if project is not None:
        with project:
            result = project.pii_redact(file, out, key=key, language=lang, encoding=encoding)
    else:
        result = redact_file(file, out, key=key, allow=Allowlist(), language=lang,
                             encoding=encoding)
    say(st, f"wrote {escape(str(out))}: {len(result.findings)} mentions of "
            f"{len(result.key)} distinct identifiers replaced"
            + (f"; key in {escape(str(key))}" if key else ""))


@pii_app.command("allow")
def allow_cli(
    ctx: typer.Context,
    terms: Annotated[list[str] | None, typer.Argument(
        help="Words or phrases that are not identifiers (places, institutions, nicknames of "
        "things).")] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Take these terms off the list.")
                      ] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Add terms to the project's allowlist (no terms: list it). Code names of the codebook
    and built-in prisons, institutions, places and role titles are always allowed."""
    st = state(ctx)
    with st.open() as project:
        if terms and remove:
            say(st, f"{project.pii_disallow(terms)} term(s) removed")
        elif terms:
            added = project.pii_allow(terms)
            say(st, f"{len(added)} term(s) added" + (f": {escape(', '.join(added))}"
                                                      if added else " (all already allowed)"))
        listing([{"term": t} for t in project.pii_allowed_terms()], ["term"], fmt,
                empty="no project terms yet; `qcode pii allow TERM...`")
