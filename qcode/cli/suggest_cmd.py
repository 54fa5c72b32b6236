"""`qcode suggest [run|train|evaluate]` and `qcode suggestions [list|accept|reject]`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape

from .app import app, group, state
from .output import ListFormat, listing, progress_bar, say, warn

suggest_app = group("Suggest codes for segments (rules from the codebook's patterns, and a "
                    "model that learns from your coding); train and evaluate the model. "
                    "`qcode suggest [DOC...]` runs `qcode suggest run`.", default_command=True)
suggestions_app = group("List stored suggestions and accept or reject them. "
                        "`qcode suggestions [DOC...]` runs `qcode suggestions list`.",
                        default_command=True)
app.add_typer(suggest_app, name="suggest")
app.add_typer(suggestions_app, name="suggestions")

ModelOption = Annotated[str | None, typer.Option(
    "--model", help="An installed trained spaCy pipeline (name or path) instead of the "
    "default blank pipeline with lookup lemmas.")]
MinPositives = Annotated[int | None, typer.Option(
    help="Train only codes with at least this many coded segments (default 5).")]


class Method(StrEnum):
    rules = "rules"
    model = "model"
    all = "all"


class Status(StrEnum):
    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"


@suggest_app.command("run")
def run_cli(
    ctx: typer.Context,
    documents: Annotated[list[str] | None, typer.Argument(help="Documents (default: all).")]
    = None,
    method: Annotated[Method, typer.Option(help="rules, model or all.")] = Method.all,
    jobs: Annotated[int | None, typer.Option(
        min=1, help="Processes for the rules (default: one per core, up to 4, from 20 "
        "documents; 1 below).")] = None,
    min_score: Annotated[float, typer.Option(min=0.0, max=1.0, help="Store model suggestions "
                                             "with at least this calibrated probability.")]
    = 0.5,
    model: ModelOption = None,
    min_positives: MinPositives = None,
    respondents_only: Annotated[bool, typer.Option(
        help="Suggest nothing for the turns of interviewers (and `other` speakers); see "
        "`qcode speakers role`.")] = False,
) -> None:
    """Compute suggestions for every segment and store them; decisions already made stay."""
    st = state(ctx)
    with st.open() as project, progress_bar(st, "suggesting") as progress:
        report = project.suggest(documents or [], method=method.value, model=model, jobs=jobs,
                                 min_score=min_score, min_positives=min_positives,
                                 respondents_only=respondents_only,
                                 progress=progress)
    for message in report.warnings:
        warn(message)
    if report.training:
        _training_summary(st, report.training)
    rate = report.tokens / report.seconds if report.seconds and report.tokens else 0
    speed = (f"; {report.documents / report.seconds:.1f} documents/s, "
             f"{report.segments / report.seconds:.0f} segments/s, {rate:,.0f} tokens/s"
             if report.seconds and report.tokens else "")
    methods = ", ".join(f"{n} by {m}" for m, n in report.by_method.items())
    say(st, f"{report.documents} documents, {report.segments} segments: {methods or 'none'}"
            f"{speed}")
    say(st, f"{report.created} new, {report.updated} refreshed, {report.removed} no longer "
            f"apply, {report.decided_kept} already decided (kept)")


def _training_summary(st, training) -> None:
    info = training.model.trained_on
    verb = "trained" if training.retrained else "reused (coding unchanged)"
    coders = info.get("coders") or []
    whose = f" (labels of {len(coders)} coders, each kept)" if len(coders) > 1 else ""
    say(st, f"model {verb}: {len(training.model.codes)} codes from {info['segments']} "
            f"labelled segments in {info['documents']} documents{whose}")
    if training.too_few:
        listed = ", ".join(f"{c} ({n})" for c, n in training.too_few.items())
        say(st, f"[yellow]too few coded segments to learn[/] (need {info['min_positives']}): "
                f"{escape(listed)}")


@suggest_app.command("train")
def train_cli(
    ctx: typer.Context,
    coder: Annotated[str | None, typer.Option(help="Learn only from this coder's codings.")]
    = None,
    model: ModelOption = None,
    min_positives: MinPositives = None,
) -> None:
    """Train the model now, from the project's codings and rejected suggestions."""
    st = state(ctx)
    with st.open() as project:
        training = project.train(force=True, min_positives=min_positives, model=model,
                                 coder=coder)
    _training_summary(st, training)


@suggest_app.command("evaluate")
def evaluate_cli(
    ctx: typer.Context,
    coder: Annotated[str | None, typer.Option(help="Compare with this coder's codings "
                                              "(default: everyone's).")] = None,
    folds: Annotated[int, typer.Option(min=2, help="Cross-validation folds (grouped by "
                                       "document).")] = 5,
    min_score: Annotated[float, typer.Option(min=0.0, max=1.0)] = 0.5,
    model: ModelOption = None,
    min_positives: MinPositives = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Precision, recall and F1 of rules and model against the human coding, per code."""
    st = state(ctx)
    with st.open() as project:
        result = project.evaluate_suggestions(coder=coder, folds=folds, min_score=min_score,
                                              min_positives=min_positives, model=model)
    columns = list(result.rows[0]) if result.rows else ["code"]
    if fmt != ListFormat.table:
        listing(result.rows, columns, fmt)
        return
    from .columns import Col
    from .output import table

    def cell(value) -> str:
        return "-" if value is None or value == "" else f"{value:.2f}"

    rows = [{"code": row["code"], "n": row["positives"],
             **{f"rules_{m}": cell(row[f"rules_{m}"]) for m in ("precision", "recall", "f1")},
             **{f"model_{m}": cell(row[f"model_{m}"]) for m in ("precision", "recall", "f1")},
             "folds": row["model_folds"]} for row in result.rows]
    heads = {"precision": "P", "recall": "R", "f1": "F1"}
    table(rows, [Col("code", kind="id"), Col("n", kind="num"),
                 *(Col(f"{kind}_{m}", f"{kind[0]}.{heads[m]}", kind="num",
                       priority=2 if m == "f1" else 3)
                   for kind in ("rules", "model") for m in ("precision", "recall", "f1")),
                 Col("folds", kind="num", priority=4)],
          f"{result.segments} labelled segments in {result.documents} documents; model: "
          f"{result.folds}-fold cross-validation grouped by document, score >= "
          f"{result.min_score}")
    say(st, "n = coded segments the figures rest on; micro pools every code's counts, macro "
            "averages the codes' values; r./m. = rules/model, P R F1 = precision, recall, "
            "F1; '-' = undefined (nothing predicted or nothing to find); "
            "folds = folds in which the code had enough examples to train")


@suggestions_app.command("list")
def list_cli(
    ctx: typer.Context,
    documents: Annotated[list[str] | None, typer.Argument(help="Documents (default: all).")]
    = None,
    status: Annotated[Status | None, typer.Option(help="pending, accepted or rejected.")] = None,
    coder: Annotated[str | None, typer.Option(help="Whose decisions (default: the current "
                                              "coder; others' decisions are never shown).")]
    = None,
    all_coders: Annotated[bool, typer.Option("--all-coders", help="Every coder's decisions, "
                                             "one row each (the supervisor's view).")] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List stored suggestions: id, document, segment, code, score, method, evidence, coder,
    status. Decisions are per coder: a suggestion is pending for you until you decide it."""
    from ..errors import InputError
    from ..suggest.review import COLUMNS

    st = state(ctx)
    with st.open() as project:
        try:
            who = None if all_coders else project.coder(coder or st.coder)
        except InputError:  # nobody is coding: the supervisor's view
            who = None
        rows = project.suggestions(documents or [], status.value if status else None, who)
    listing(rows, COLUMNS, fmt, empty="no suggestions; run `qcode suggest` first",
            hints={"segment": {"short": "seg"}, "status": {"priority": 2},
                   "method": {"priority": 9}, "score": {"priority": 3},
                   "coder": {"priority": 4}, "evidence": {"below": True}})


def _decide(ctx: typer.Context, ids: list[int], accept: bool, coder: str | None) -> None:
    st = state(ctx)
    with st.open() as project:
        decided = project.decide(ids, accept, coder or st.coder)
    for row in decided:
        say(st, f"{row['status']} #{row['id']}: {escape(row['code'])} on {escape(row['document'])}"
                f" segment {row['segment']}")


@suggestions_app.command("accept")
def accept_cli(ctx: typer.Context,
               ids: Annotated[list[int], typer.Argument(help="Suggestion ids.")],
               coder: Annotated[str | None, typer.Option(help="Who decides.")] = None) -> None:
    """Accept suggestions: the segment is coded for you (origin `suggestion`)."""
    _decide(ctx, ids, True, coder)


@suggestions_app.command("reject")
def reject_cli(ctx: typer.Context,
               ids: Annotated[list[int], typer.Argument(help="Suggestion ids.")],
               coder: Annotated[str | None, typer.Option(help="Who decides.")] = None) -> None:
    """Reject suggestions; the model learns from rejections too."""
    _decide(ctx, ids, False, coder)
