"""The agreement report for people: percentages, three decimals, short readings, a key
to the symbols; as rows for the terminal, Markdown and LaTeX (CSV and JSON keep the
report's full precision, with null for undefined values)."""

from __future__ import annotations

LABELS = {"percent": "%agr", "kappa": "κ", "alpha": "α", "pi": "π", "bp": "BP", "ac1": "AC1",
          "alpha_u": "α-u"}


def screen_value(metric: str, value) -> str:
    """How a coefficient reads on screen: percent agreement as a percentage, the others to
    three decimals (a .667 threshold needs three); undefined as '-'."""
    if value is None:
        return "-"
    if metric == "percent":
        return f"{value:.1%}"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


KEY = {"percent": "%agr = percent agreement", "kappa": "κ = {kappa}",
       "alpha": "α = Krippendorff's alpha", "pi": "π = Scott's pi", "bp": "BP = Brennan-Prediger",
       "ac1": "AC1 = Gwet's AC1", "alpha_u": "α-u = Krippendorff's unitizing alpha"}


def short_reading(row) -> str:
    """'reliable', 'unreliable low rare', 'nobody used this code'..."""
    short = row["reading"].split(";")[0].removeprefix("α ").split(" (")[0]
    short = short.removeprefix("undefined: ").split(" (")[0]
    flags = row.get("flags") or ""
    marks = [word for word, present in (("low", "below" in flags), ("rare", "rare" in flags))
             if present]
    return " ".join([short, *marks])


def agreement_rows(report, chosen: list[str]) -> tuple[list[dict], list[str]]:
    """The report rounded for people: percentages, three decimals, short readings; codes
    nobody used left out."""
    uses = [f"uses_{c}" for c in report.coders] if report.unit != "ratings" else []
    rows = []
    for row in report.rows:
        if row["reading"].endswith("nobody used this code"):
            continue
        rows.append({"code": row["code"],
                     **({"n": row["units"]} if report.unit == "span" else {}),
                     **{c.removeprefix("uses_"): row[c] for c in uses},
                     **{LABELS.get(m, m): screen_value(m, row[m]) for m in chosen},
                     "reading": short_reading(row)})
    columns = list(rows[0]) if rows else ["code"]
    return rows, columns


def agreement_note(report, chosen: list[str]) -> str:
    key = "; ".join(KEY[m].format(kappa=report.kappa_name) for m in chosen if m in KEY)
    coders = ", ".join(report.coders)
    return (f"Coders compared: {coders}. {key}. Readings: α ≥ .800 reliable, ≥ .667 "
            "tentative (Krippendorff 2004); low = α below the threshold; rare = applied "
            "fewer than 5 times. Codes nobody used are left out.")


def rendered(report, chosen: list[str], fmt: str, standalone: bool = False) -> str:
    """The agreement table as Markdown or LaTeX, rounded for reading."""
    from ..exporters import rows_to_text

    rows, columns = agreement_rows(report, chosen)
    note = agreement_note(report, chosen)
    if fmt == "md":
        return rows_to_text(rows, columns, "md") + "\n" + note + "\n"
    numbers = [LABELS.get(m, m) for m in chosen]
    caption = (f"Inter-coder agreement per code ({report.unit} units)")
    return rows_to_text(rows, columns, "tex", caption, "tab:agreement", note=note,
                        numbers=numbers, standalone=standalone,
                        rule_before={i for i, r in enumerate(rows)
                                     if r["code"].startswith("overall")})
