"""LaTeX that compiles in a plain A4 `article` and fits the page.

Every table is a `longtable` (it breaks across pages) with booktabs rules. Columns are laid
out from an estimate of their printed width: text columns wrap (`p{}` with ragged right),
numbers stay on one line, and a table that does not fit steps down through smaller type and
tighter padding, then rotated column heads, then (for wide matrices) several tables of fewer
columns each, row labels repeated. `--landscape` lays the table on a landscape page instead.
Code ids and document names may break after `.`, `_` and `-`, so they never stick out.
Greek letters and math symbols are written as LaTeX math, never as raw Unicode.

By default the output is a fragment to `\\input`; its first lines name the packages it
needs. `standalone=True` wraps it in a document that compiles as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PACKAGES = ("booktabs", "longtable", "array", "graphicx")
# A4 article at 10pt: \textwidth 345pt, \textheight 550pt (the width of a landscape page).
PAGE_WIDTH = {False: 345.0, True: 550.0}
_SIZES = (  # (LaTeX size command, estimated average character width in pt, \tabcolsep)
    ("", 5.3, 6.0), ("\\small", 4.8, 4.0), ("\\footnotesize", 4.3, 3.0),
    ("\\scriptsize", 3.7, 2.5))
_LINE = {"": 12.0, "\\small": 11.0, "\\footnotesize": 9.5, "\\scriptsize": 8.0}
_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
            "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
            "\\": r"\textbackslash{}", "<": r"\textless{}", ">": r"\textgreater{}",
            "|": r"\textbar{}", "\n": " ", "\t": " ", "\r": " "}
_MATH = {"α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
         "κ": r"\kappa", "λ": r"\lambda", "μ": r"\mu", "π": r"\pi", "ρ": r"\rho",
         "σ": r"\sigma", "τ": r"\tau", "φ": r"\phi", "χ": r"\chi", "ω": r"\omega",
         "Δ": r"\Delta", "Σ": r"\Sigma", "Ω": r"\Omega", "≥": r"\geq", "≤": r"\leq",
         "≠": r"\neq", "≈": r"\approx", "×": r"\times", "÷": r"\div", "±": r"\pm",
         "→": r"\rightarrow", "←": r"\leftarrow", "↔": r"\leftrightarrow", "∩": r"\cap",
         "∪": r"\cup", "∈": r"\in", "∞": r"\infty", "√": r"\surd", "·": r"\cdot",
         "−": "-", "′": r"\prime", "∑": r"\sum", "√̄": r"\surd", "†": r"\dagger",
         "‡": r"\ddagger"}
_TEXT = {"…": r"\ldots{}", "•": r"\textbullet{}", "€": "EUR", "°": r"\textdegree{}",
         "«": "``", "»": "''", "‹": "`", "›": "'", "“": "``", "”": "''", "‘": "`", "’": "'",
         "„": ",,",
         "–": "--", "—": "---", "\u00a0": "~", "✓": r"$\surd$", "№": "No.",
         "‰": r"\textperthousand{}", "§": r"\S{}", "¶": r"\P{}", "©": r"\textcopyright{}",
         "®": r"\textregistered{}", "™": r"\texttrademark{}", "\u200b": ""}


_T1_ONLY = set("ÐÞðþĄąĐđĘęĮįŊŋŲų")
_UNSET = set("ĦħĸĿŀŉŦŧſ")  # Latin Extended-A letters LaTeX's utf8 input does not define


def tex_escape(value, breakable: bool = False) -> str:
    """Text as LaTeX: special characters escaped, Greek and math symbols in math mode,
    typographic quotes and dashes as LaTeX ligatures, and characters LaTeX's default fonts
    lack written as [U+XXXX] instead of stopping the run. `breakable` lets ids and names
    break after '.', '_', '/' and '-'."""
    parts = []
    for ch in "" if value is None else str(value):
        if ch in _SPECIAL:
            part = _SPECIAL[ch]
        elif ch in _MATH:
            part = f"${_MATH[ch]}$"
        elif ch in _TEXT:
            part = _TEXT[ch]
        elif ch in _T1_ONLY:  # letters the default OT1 fonts lack (Icelandic, Polish...)
            part = f"{{\\fontencoding{{T1}}\\selectfont {ch}}}"
        elif ord(ch) < 0x180 and ch not in _UNSET:  # Latin-1, Latin Extended-A: utf8 knows
            part = ch
        else:
            part = f"[U+{ord(ch):04X}]"
        if breakable and ch in "._/-":
            part += r"\allowbreak{}"
        parts.append(part)
    return "".join(parts)


def fragment_header(landscape: bool = False, extra: Sequence[str] = ()) -> str:
    packages = [*PACKAGES, *(["pdflscape"] if landscape else []), *extra]
    return f"% Written by qcode. Needs in the preamble: \\usepackage{{{','.join(packages)}}}\n"


def standalone(body: str, landscape: bool = False, extra: Sequence[str] = ()) -> str:
    packages = [*PACKAGES, *(["pdflscape"] if landscape else []), *extra]
    return ("\\documentclass[a4paper]{article}\n\\usepackage[utf8]{inputenc}\n"
            f"\\usepackage{{{','.join(packages)}}}\n\\begin{{document}}\n"
            f"{body}\\end{{document}}\n")


def wrap(body: str, *, landscape: bool = False, standalone_doc: bool = False,
         extra: Sequence[str] = ()) -> str:
    """A fragment (with its package note) or, with `standalone_doc`, a whole document."""
    if landscape:
        body = f"\\begin{{landscape}}\n{body}\\end{{landscape}}\n"
    if standalone_doc:
        return standalone(body, landscape, extra)
    return fragment_header(landscape, extra) + body


# -- tables ---------------------------------------------------------------------------------

@dataclass
class Column:
    head: str
    kind: str  # "label" (first column, wraps), "num" (one line, right aligned), "text" (wraps)
    natural: int = 0  # longest printed value, characters
    word: int = 0     # longest unbreakable piece, characters


def _pieces(value: str) -> int:
    import re

    return max((len(p) for p in re.split(r"[\s._/-]+", value)), default=0)


def describe(rows: list[list[str]], heads: list[str], kinds: list[str]) -> list[Column]:
    columns = []
    for i, (head, kind) in enumerate(zip(heads, kinds, strict=True)):
        values = [row[i] for row in rows]
        columns.append(Column(head, kind, max((len(v) for v in values), default=0),
                              max((_pieces(v) for v in values), default=0)))
    return columns


@dataclass
class Layout:
    size: str
    sep: float
    rotate: bool
    widths: list[float | None]  # pt for wrapping columns, None for one-line columns
    groups: list[list[int]]     # column indexes per table (the label column in each)


def layout(columns: list[Column], available: float) -> Layout:
    """The first arrangement that fits `available` pt: sizes from normal to script, heads
    flat then rotated; failing all, numeric columns split over several tables."""
    for size, char, sep in _SIZES:
        for rotate in (False, True):
            widths = _fit(columns, available * 0.96, char, sep, rotate, size)
            if widths is not None:
                return Layout(size, sep, rotate, widths, [list(range(len(columns)))])
    size, char, sep = _SIZES[-1]
    # Too many columns even in script size with rotated heads: split the numeric columns.
    label = [i for i, c in enumerate(columns) if c.kind != "num"]
    numbers = [i for i, c in enumerate(columns) if c.kind == "num"]
    fixed = sum(min(max(columns[i].word, 8), 30) * char + 2 * sep for i in label)
    each = max(_num_width(columns[i], char, sep, True, size) for i in numbers)
    per_table = max(1, int((available * 0.96 - fixed) // each))
    groups = [label + numbers[k:k + per_table] for k in range(0, len(numbers), per_table)]
    widths = [min(max(c.word, 8), 30) * char if c.kind != "num" else None for c in columns]
    return Layout(size, sep, True, widths, groups)


def _num_width(column: Column, char: float, sep: float, rotate: bool, size: str) -> float:
    head = _LINE[size] if rotate else len(column.head) * char
    return max(column.natural * char, head) + 2 * sep


def _fit(columns: list[Column], available: float, char: float, sep: float, rotate: bool,
         size: str) -> list[float | None] | None:
    fixed = sum(_num_width(c, char, sep, rotate, size) for c in columns if c.kind == "num")
    wrapping = [c for c in columns if c.kind != "num"]
    room = available - fixed - sum(2 * sep for _ in wrapping)
    # each wrapping column needs at least its longest unbreakable piece (and 6 characters)
    least = [max(c.word, 6, min(len(c.head), 12)) * char for c in wrapping]
    if room < sum(least):
        return None
    want = [max(c.natural, len(c.head)) * char for c in wrapping]
    widths = list(least)
    spare = room - sum(least)
    # give the spare room out in proportion to what each column still wants
    missing = [max(0.0, w - s) for w, s in zip(want, widths, strict=True)]
    total = sum(missing)
    if total:
        widths = [s + min(m, spare * m / total) for s, m in zip(widths, missing, strict=True)]
    out: list[float | None] = []
    it = iter(widths)
    for column in columns:
        out.append(None if column.kind == "num" else round(next(it), 1))
    return out


def longtable(heads: list[str], rows: list[list[str]], kinds: list[str], *,
              caption: str | None = None, label: str | None = None, landscape: bool = False,
              note: str | None = None, rule_before: set[int] | None = None) -> str:
    """A longtable (or several, for very wide matrices) of already escaped cells. `heads` and
    `rows` hold LaTeX; widths are estimated from `plain` lengths computed here by stripping
    commands, which is close enough for layout."""
    plain_rows = [[_plain(c) for c in row] for row in rows]
    columns = describe(plain_rows, [_plain(h) for h in heads], kinds)
    plan = layout(columns, PAGE_WIDTH[landscape])
    parts = []
    for number, group in enumerate(plan.groups, start=1):
        part_caption = caption
        if len(plan.groups) > 1 and caption:
            part_caption = f"{caption} (part {number} of {len(plan.groups)})"
        parts.append(_one_table(heads, rows, kinds, group, plan, part_caption,
                                label if number == 1 else None, note, rule_before or set()))
    return "\n".join(parts)


def _plain(value: str) -> str:
    import re

    text = re.sub(r"\\allowbreak\{\}", "", value)
    text = re.sub(r"\$\\[a-zA-Z]+\$", "x", text)
    text = re.sub(r"\\[a-zA-Z]+\{\}", "x", text)
    text = re.sub(r"\\(textbf|emph|texttt|textit)\{", "", text)
    text = re.sub(r"\\[&%$#_{}]", "x", text)
    return text.replace("{", "").replace("}", "")


def _one_table(heads, rows, kinds, group, plan: Layout, caption, label, note,
               rule_before: set[int]) -> str:
    spec = []
    for i in group:
        width = plan.widths[i]
        if width is None:
            spec.append("r")
        else:
            spec.append(f">{{\\raggedright\\arraybackslash}}p{{{width:.1f}pt}}")
    head_cells = []
    for i in group:
        head = heads[i]
        if plan.rotate and kinds[i] == "num":
            head = f"\\rotatebox{{90}}{{{head}}}"
        head_cells.append(head)
    n = len(group)
    head_line = " & ".join(head_cells) + " \\\\"
    lines = ["\\begingroup"]
    if plan.size:
        lines.append(plan.size)
    lines += [f"\\setlength{{\\tabcolsep}}{{{plan.sep:g}pt}}",
              f"\\begin{{longtable}}{{@{{}}{''.join(spec)}@{{}}}}"]
    if caption or label:
        text = (f"\\caption{{{caption}}}" if caption else "\\caption{}") + (
            f"\\label{{{label}}}" if label else "")
        lines.append(text + "\\\\")
    lines += ["\\toprule", head_line, "\\midrule", "\\endfirsthead",
              f"\\multicolumn{{{n}}}{{@{{}}l}}{{\\emph{{(continued)}}}}\\\\", "\\toprule",
              head_line, "\\midrule", "\\endhead",
              f"\\midrule\\multicolumn{{{n}}}{{@{{}}r@{{}}}}{{\\emph{{(continued on the next "
              "page)}}\\\\", "\\endfoot", "\\bottomrule", "\\endlastfoot"]
    for number, row in enumerate(rows):
        if number in rule_before:
            lines.append("\\midrule")
        lines.append(" & ".join(row[i] for i in group) + " \\\\")
    lines += ["\\end{longtable}", "\\endgroup"]
    if note:
        lines.append(f"{{\\footnotesize\\noindent {note}\\par}}\\bigskip")
    return "\n".join(lines) + "\n"


def number(value, decimals: int) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "--"
    if isinstance(value, float):
        return f"{value:.{decimals}f}"
    return str(value)


def _decimals(values) -> int:
    """Decimals a float column needs (at most 3), so its numbers line up."""
    most = 0
    for value in values:
        if isinstance(value, float) and value == value:
            text = f"{value:.3f}".rstrip("0")
            most = max(most, len(text.split(".")[1]) if "." in text else 0)
    return most


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def rows_table(rows: list[dict], columns: list[str], *, heads: list[str] | None = None,
               caption: str | None = None, label: str | None = None,
               landscape: bool = False, note: str | None = None,
               rule_before: set[int] | None = None, numbers: Sequence[str] = ()) -> str:
    """Plain rows as a longtable: the first column is the row label, numeric columns (and
    those named in `numbers`, already formatted) are numbers, anything else wraps."""
    kinds, decimals = [], {}
    for index, column in enumerate(columns):
        values = [r.get(column) for r in rows if r.get(column) not in (None, "")]
        numeric = bool(values) and all(_is_number(v) for v in values) or column in numbers
        kinds.append("label" if index == 0 else "num" if numeric else "text")
        decimals[column] = _decimals(values) if numeric else 0
    cells = []
    for row in rows:
        cells.append([number(row.get(c), decimals[c]) if kind == "num" and _is_number(row.get(c))
                      else tex_escape(row.get(c), breakable=kind != "num")
                      for c, kind in zip(columns, kinds, strict=True)])
    head_cells = [tex_escape(h, breakable=True) for h in (heads or columns)]
    return longtable(head_cells, cells, kinds, caption=tex_escape(caption) if caption else None,
                     label=label, landscape=landscape, note=tex_escape(note) if note else None,
                     rule_before=rule_before)


# -- codebook and quotations: text, not grids ------------------------------------------------

def _items(values) -> str:
    values = [v for v in (values or []) if str(v).strip()]
    if not values:
        return "--"
    return "\\newline ".join(f"\\textbullet~{tex_escape(v, breakable=True)}" for v in values)


def codebook(frame, *, caption: str | None = "Codebook", label: str | None = None) -> str:
    """The codebook as a two-column longtable: per code a heading row (name, id), then
    definition, include and exclude criteria, every example, and the counts with their
    units. Wraps on any page width."""
    rows, rule_before = [], set()
    for code, record in frame.iterrows():
        if rows:
            rule_before.add(len(rows))
        rows.append([f"\\multicolumn{{2}}{{@{{}}p{{0.94\\linewidth}}@{{}}}}{{\\raggedright"
                     f"\\textbf{{{tex_escape(record['name'])}}}\\quad "
                     f"\\texttt{{{tex_escape(code, breakable=True)}}}}}"])
        rows.append(["Definition", tex_escape(record["definition"], breakable=True) or "--"])
        rows.append(["Include", _items(record["include"])])
        rows.append(["Exclude", _items(record["exclude"])])
        rows.append(["Examples", _items([f"``{e}''" for e in record["examples"]])])
        rows.append(["Used", f"{record['codings']} codings, {record['segments']} segments, "
                             f"{record['documents']} documents"])
    pooled = ", ".join(frame.attrs.get("coders", [])) or "nobody yet"
    note = tex_escape(f"Used: codings by every coder ({pooled}); segments and documents "
                      "count each once, whoever coded them.")
    spec = ">{\\raggedright\\arraybackslash}p{0.2\\linewidth}" \
           ">{\\raggedright\\arraybackslash}p{0.74\\linewidth}"
    lines = ["\\begingroup", "\\setlength{\\tabcolsep}{4pt}",
             f"\\begin{{longtable}}{{@{{}}{spec}@{{}}}}"]
    if caption or label:
        lines.append(f"\\caption{{{tex_escape(caption or '')}}}"
                     + (f"\\label{{{label}}}" if label else "") + "\\\\")
    lines += ["\\endfirsthead", "\\endhead", "\\endfoot"]
    for number, row in enumerate(rows):
        if number in rule_before:
            lines.append("\\midrule")
        lines.append(" & ".join(row) + " \\\\")
    lines += ["\\end{longtable}", "\\endgroup", f"{{\\footnotesize\\noindent {note}\\par}}", ""]
    return "\n".join(lines)


def quotations(frame) -> str:
    """Each passage once, as a `quote` under its code's name (the id in small type), with
    its source and coders beneath."""
    from ..report import quote_groups, quote_source

    lines = ["{\\sloppy"]
    if frame.empty:
        lines.append("No coded passages.")
    for code, name, group, first, part in quote_groups(frame):
        if first:
            lines += [f"\\subsection*{{{tex_escape(name)}}}",
                      f"{{\\small\\texttt{{{tex_escape(code, breakable=True)}}}}}\\par"]
        if group:
            lines.append(f"\\subsubsection*{{{tex_escape(group[0])}: "
                         f"{tex_escape(group[1] or '(none)')}}}")
        for row in part.itertuples(index=False):
            text = "\\par ".join(tex_escape(line, breakable=False)
                                 for line in str(row.text).splitlines() if line.strip())
            source = tex_escape(quote_source(row), breakable=True)
            memo = f"\\\\ \\emph{{Memo: {tex_escape(row.memo, True)}}}" if row.memo else ""
            lines += ["\\begin{quote}", f"``{text}''", "", f"{{\\small --- {source}{memo}}}",
                      "\\end{quote}"]
    lines += ["\\par}", ""]
    return "\n".join(lines)
