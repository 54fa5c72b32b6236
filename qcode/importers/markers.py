"""What a speaker label, a time stamp and a non-speech line look like at the start of a line.

Every pattern here is matched once per line (`re.match`, anchored), so finding turns stays
linear in the length of the text. `layouts.py` decides which of these lines open turns.
"""

from __future__ import annotations

import re

CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_STAMP = rf"(?:\[{CLOCK}\]|\({CLOCK}\)|{CLOCK})"
# A label word: letters or digits with ' ’ . - inside (admin-1, O'Neill, Sarah-Jane, Dr.),
# optionally a gender suffix in brackets (Entrevistador(a)); a label is up to five words,
# and a bracketed note may follow a word (Kwame Mensah (Guest)).
_WORD = r"[^\W_][\w'’.\-]*(?:\([^\W\d_]{1,2}\))?"
_PAREN = r"\([^()\n:]{1,25}\)"
_LABEL = rf"{_WORD}(?: (?:{_WORD}|{_PAREN})){{0,4}}"
_BRACKET = r"[^\]\n\d\W][^\]\n]{0,39}"
MAX_LABEL = 40

# `Name: text`, `[00:01:02] Name: text`, `**Name:** text`, `[NAME] text`, `[SPEAKER_00]: text`,
# `*PAR:<tab>text` (CHAT), `Speaker 1 (00:00): text`, `Name: [00:00:12] text`.
INLINE = re.compile(
    rf"(?P<indent>[ \t]*)(?:(?P<t1>{_STAMP})[ \t]*(?:-[ \t]*)?)?"
    rf"(?:(?:\*\*|__)(?P<bold>{_LABEL})(?::(?:\*\*|__)|(?:\*\*|__)[ \t]*:)"
    rf"|\[(?P<bracket>{_BRACKET})\](?:[ \t]*:)?"
    r"|\*(?P<chat>[A-Z][A-Z0-9]{1,3}):"
    rf"|(?P<name>{_LABEL})(?:[ \t]+\((?P<t2>{CLOCK})\))?[ \t]*:)"
    rf"(?:(?P<gap>[ \t]+)(?:(?P<t3>\[{CLOCK}\]|\({CLOCK}\))[ \t]*)?|$)")

# The commonest marker line, `Name: words`: one word opening with a letter, one space, words
# that open with no blank or bracket. INLINE would match such a line with only `name` (this
# pattern's group) and a `gap` of one space, ending where this match ends; this pattern finds
# that several times faster, and INLINE is tried only on the lines it does not match.
PLAIN = re.compile(r"([^\W\d_]\w*): (?![ \t\[(])")

# A label alone on its line, the words below it: each alternative is one family of tools.
HEADER = re.compile(
    rf"(?:(?P<spaced>{_LABEL})(?: {{2,}}|\t+)(?P<spaced_t>{CLOCK})"
    rf"|\[(?P<bracket>{_BRACKET})\][ \t]+(?P<bracket_t>{CLOCK})"
    rf"|(?:\[(?P<time_first_t>{CLOCK})\]|(?P<time_first_u>{CLOCK}))[ \t]*(?:-[ \t]*)?"
    rf"(?P<time_first>{_LABEL})[ \t]*:?)[ \t]*$")

TIME_LINE = re.compile(rf"[ \t]*{_STAMP}[ \t]*$")

# Lines that transcription services add and nobody said: page headers and footers, service
# notices, the media file line of a Rev document. NOTICE (Teams' transcription notices, Rev's
# media line) is tried only on lines holding one of NOTICE_HINTS, so speech costs little.
NOISE = re.compile(
    r"[ \t]*(?:(?:page|página|pagina|seite) \d+(?: (?:of|de|von) \d+)?"
    r"|- ?\d+ ?-"
    r"|transcri(?:pt|bed|ption) (?:by|powered by)\b.*|transcrito por\b.*"
    r"|transcripción (?:realizada )?por\b.*"
    r"|(?:https?://)?(?:www\.)?(?:rev\.com|otter\.ai|temi\.com)\S*"
    r"|this transcript was exported on\b.*"
    r"|meeting ended after\b.*)[ \t]*$",
    re.IGNORECASE)
# What a line NOISE matches opens with: a blank, or the first character of one of its
# alternatives (IGNORECASE: ſ is an s). Looking at the first character first spares nearly
# every line of speech the pattern.
NOISE_FIRST = frozenset(" \t-HMOPRSTWhmoprstwſ")
# The hints: a line holding none of them is no notice (NOTICE is case-blind, the hints are not).
NOTICE_HINTS = ("transcri", "Transcri", "TRANSCRI", "recording", "Recording", "grabación",
                "Grabación", "ompleted", "OMPLETED")
# What a line NOTICE matches ends in: blanks, or the last letter of "transcription",
# "recording", "grabación"... (no other character folds to n or g) or the ")" of Rev's media
# line. Looking at the last character first spares nearly every line of speech the hints.
NOTICE_LAST = frozenset("nNgG) \t")
NOTICE = re.compile(
    r"[ \t]*(?:.{1,80} (?:started|stopped) (?:transcription|recording)"
    r"|.{1,80} (?:inició|detuvo|ha iniciado|ha detenido) la (?:transcripción|grabación)"
    r"|\S.{0,120}\.(?:mp3|mp4|m4a|wav|wma|ogg|flac|mov|aac|webm) \(completed.*\))[ \t]*$",
    re.IGNORECASE)


def notice(line: str) -> bool:
    """A service notice: NOTICE matches the line, which holds one of NOTICE_HINTS."""
    return any(hint in line for hint in NOTICE_HINTS) and NOTICE.match(line) is not None


# Time codes that close a paragraph: f4/f5transkript `#00:00:04-2#`, CHAT media bullets.
TRAILING_TIME = re.compile(r"(?:[ \t]*(?:#(?P<f4>\d{1,2}:\d{2}:\d{2}(?:[-.,]\d{1,3})?)#"
                           r"|\x15(?P<chat>\d+)_\d+\x15))+[ \t]*$")
CHAT_NOISE = re.compile(r"[@%]")

# Words before a colon that introduce a note or a header field, never a speaker.
NOT_SPEAKERS = frozenset("""
note notes nota notas nb n.b. ps p.s. obs obs. observación observaciones ojo comment comments
comentario comentarios date fecha hora time place lugar location duración duracion duration
length tema topic subject asunto title título titulo re file archivo audio video recording
grabación grabacion source fuente attendees asistentes keywords summary resumen context
contexto setting total start end inicio fin day día dia project proyecto interview entrevista
transcript transcription transcripción transcripcion transcriber transcriptor transcriptora
language idioma participants code código codigo id tel email
""".split())
# Annotations transcribers put in brackets at the start of a line.
ANNOTATIONS = frozenset("""
inaudible crosstalk laughter laughs laughing music silence pause noise applause background
unintelligible indiscernible risas risa ríe pausa silencio ruido música musica inaudible
ininteligible incomprensible interrupción interrupcion llanto tos
""".split())
# Particles that may be lower case inside a capitalised name.
_PARTICLES = frozenset("de del la las los y e da di do dos du van von der den le bin al ibn"
                       .split())


def clock_seconds(stamp: str | None) -> float | None:
    """`[01:02:03]`, `1:02`, `00:00:04-2` (f4: tenths after the hyphen) -> seconds."""
    if not stamp:
        return None
    stamp, _, tenths = stamp.strip("[]()").partition("-")
    seconds = 0.0
    for part in stamp.replace(",", ".").split(":"):
        seconds = seconds * 60 + float(part)
    return seconds + float(f"0.{tenths}")  # "0." (no tenths) is 0.0


def plausible(label: str) -> bool:
    """Short enough, and not a note or an annotation."""
    key = label.casefold().rstrip(".")
    return (0 < len(label) <= MAX_LABEL and key not in NOT_SPEAKERS
            and key not in ANNOTATIONS and not label.isdigit())


def name_like(label: str) -> bool:
    """Written like a name: every word capitalised, a number, a particle or a bracket note."""
    words = label.split()
    if not words[0][0].isupper():
        return False
    return all(w[0].isupper() or w[0].isdigit() or w[0] == "(" or w in _PARTICLES
               for w in words)


def code_like(label: str) -> bool:
    """One token with a digit or hyphen (`admin-1`, `p2`, `B1`) or in capitals (`GUARDIA`)."""
    return " " not in label and (any(c.isdigit() or c == "-" for c in label)
                                 or (label.isupper() and len(label) > 1))
