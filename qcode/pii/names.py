"""Personal names: capitalised words checked against first-name and surname lists
(compiled from Faker's locale data by bench/pii_names.py), and capitalised words after a
title or role ("el señor", "la doctora", "agente", "Mr", "Officer").

A *strong* listed name (one that is not also a common word) is flagged on its own; a *weak*
one (Rosa, Luz, Flores, Brown) only next to another name or after a title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from importlib import resources

from .allowlist import Allowlist, fold, plain
from .findings import Finding

UP = "A-ZÁÉÍÓÚÑÜÀÈÌÒÙÇ"
# (?:X|) where (?:X)? would do: the same matches, and Python's regex engine runs an
# alternative faster than an optional group (a tenth of `_CAPITAL`'s time, measured).
_WORD = rf"[{UP}][\w'’]*(?:-[{UP}][\w'’]*|)"
_LINK = r"(?:de(?:l| la| las| los)?|van|von|da|di|la|le|mc|st\.?)"
# A run of capitalised words, with name particles (de, del, van...) and a quoted nickname
# inside (Fernando "Ñato" Cárdenas). The lookbehind follows the first letter so that the
# regex engine can skip quickly to capitals.
_START = rf"[{UP}](?<![\w@.][{UP}])"
_MORE = rf"[ \t]+(?:{_LINK}[ \t]+|)(?:[\"“«']{_WORD}[\"”»'][ \t]+|){_WORD}"
_REST = rf"[\w'’]*(?:-[{UP}][\w'’]*|)(?:{_MORE})*"
_SEQUENCE = re.compile(_START + _REST)
_TOKEN = re.compile(rf"{_WORD}|\S+")

# Titles and roles after which a capitalised word is a name (lower-case, accents kept).
TITLES = """señor señora señorita sr sra srta don doña doctor doctora dr dra licenciado
licenciada lic ingeniero ingeniera ing profesor profesora prof agente técnico técnica
suboficial oficial capitán teniente coronel comandante sargento cabo alcaide alcaidesa
director directora subdirector subdirectora jefe jefa padre madre hermano hermana tío tía
primo prima abuelo abuela compañero compañera colega interno interna preso presa reo rea
llamado llamada llama llamo apellido apellidos nombre mr mrs ms miss mx sir madam officer
sergeant sgt lieutenant lt captain capt warden inspector detective agent guard inmate
prisoner father brother sister uncle aunt cousin colleague named called surname name
nickname alias apodo apodado""".split()
_ABBREVIATIONS = {"sr", "sra", "srta", "dr", "dra", "lic", "ing", "prof", "mr", "mrs", "ms",
                  "sgt", "lt", "capt", "mx", "st"}
_TITLE_WORDS = frozenset(plain(t) for t in TITLES) | _ABBREVIATIONS
# Two-word naming cues, as pairs of `plain` words.
_CUE_PAIRS = frozenset(tuple(p.split()) for p in ("se llama", "me llamo", "name is", "nombre es",
                                                  "de apellido", "surname is", "was called",
                                                  "is called", "named as"))

# Capitalised words that start sentences or headings and are never names on their own.
NOT_NAMES = frozenset(plain(w) for w in """El La Los Las Un Una Unos Unas Lo Al Del Y O Pero
Que Qué Cuando Cuándo Como Cómo Donde Dónde Porque Por Para Con Sin En De A Ese Esa Eso Este
Esta Esto Aquí Ahí Allí Sí No Bueno Mire Mira Oye Claro Entonces Pues Ya Bien Gracias Hola
Yo Tú Usted Ustedes Nosotros Ellos Ellas Él Ella Mi Su Sus Nuestro Hay Hubo Es Son Era Fue
Muchas Hablemos Primero Segundo Tercero Después Antes Ahora Hoy Ayer Mañana Nunca Siempre
Entrevista Entrevistas Fecha Duración Lugar Nombres Nota Pregunta Respuesta San Santa Santo
Lunes Martes Miércoles Jueves Viernes Sábado Domingo Enero Febrero Marzo Junio Agosto
Septiembre Setiembre Octubre Noviembre Diciembre English Spanish Quechua Aymara Peruvian
British American Inglés Español Castellano Peruano Peruana Limeño Limeña The A An And Or But If When
What Where Why How Who Which That This These Those There Here Yes No Well So Then Now Thanks
Thank I I'm I've I'd I'll We You He She They It My Your Our Their His Her Its Let Let's
Interview Recorded Date Duration Place Note Question Answer Monday Tuesday Wednesday
Thursday Friday Saturday Sunday January February March April May June July August September
October November December Mister Okay OK Sure Right Look Listen Also Because Some Many Most
Every Each Not Never Always Today Tomorrow Yesterday First Second Third After Before Sir
Madam St Saint Puerto Villa Nuestra Señora Mount Lake River Street Avenue Road Calle Avenida
Jirón Penal Prison Cárcel
Establecimiento Penitenciario Centro Hospital Universidad University Colegio School Escuela
Ministerio Ministry Instituto Institute Nacional National Oficina Office General Regional
Ejecutivo Ejecutiva Adjunto Adjunta Superior Principal Central Interino Interina Mayor
Sometimes Maybe Perhaps Yeah Please Sorry Good Very Just Only Even Still Already North South
East West Norte Sur Este Oeste Law Act Article Code Ley Artículo Código Decreto""".split())


@cache
def name_lists() -> tuple[dict[str, bool], dict[str, bool]]:
    """({first name: strong?}, {surname: strong?}) keyed by `plain()` form."""
    lists = []
    for filename in ("first_names.txt", "surnames.txt"):
        table: dict[str, bool] = {}
        text = resources.files("qcode.pii").joinpath("data", filename).read_text("utf-8")
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, _, flag = line.partition("\t")
                key = fold(name)
                table[key] = table.get(key, False) or flag == "s"
        lists.append(table)
    return lists[0], lists[1]


def _title_before(text: str, start: int) -> str | None:
    """The title or naming cue right before `start` ("señor", "Mr.", "se llama"), if any."""
    if start == 0 or text[start - 1] not in " \t":
        return None
    before = text[max(0, start - 30):start].split()
    if not before:
        return None
    last = before[-1]
    word = plain(last.rstrip("."))
    if word in _TITLE_WORDS and (not last.endswith(".") or word in _ABBREVIATIONS):
        return last
    if len(before) >= 2 and (plain(before[-2]), plain(last)) in _CUE_PAIRS:
        return " ".join(before[-2:])
    return None


# A *quiet* capitalised word: one word on its own (no capitalised word, particle or 's
# follows) where `_title_before` is sure to find no title or cue: no space before it, or
# after a word ending in punctuation or a digit, or after a sentence's last word that is too
# long for an abbreviation (5 letters or more) or is a short word of Latin letters that is
# none ("de. ", "más. "). Whether a quiet word is a name depends on the word alone (is it
# listed?), so a scan judges each distinct one once instead of each sentence start; the
# other capitals, *loud*, start a sequence (`_SEQUENCE`) that is judged where it stands.
_VARIANTS: dict[str, str] = {}  # a letter from a to z: the Latin letters that fold into it
for _char in map(chr, range(0x41, 0x250)):
    _folded = fold(_char)
    if _char.isalpha() and len(_folded) == 1 and _folded.isascii() and _folded.isalpha():
        _VARIANTS[_folded] = _VARIANTS.get(_folded, "") + _char
_LATIN = "[" + "".join(_VARIANTS.values()) + "]"
_MARKS = r"[\d,;:?!\"“”«»()\[\]'’…—–*/-]"


_C = f"[{UP}]"  # the capital itself, at the end of each lookbehind below
# After a word of n Latin letters and a dot that is no abbreviation (sr. dr. prof.), n = 1-4.
_SHORT = [rf"(?<=\s{_LATIN}{{{n}}}\.[ \t]{_C})" + "".join(
    rf"(?<!\s{''.join(f'[{_VARIANTS[c]}]' for c in a)}\.[ \t]{_C})"
    for a in sorted(_ABBREVIATIONS) if len(a) == n) for n in (1, 2, 3, 4)]
_QUIET_BEFORE = "|".join([
    rf"(?<=[^\W\d_]{{5}}\.[ \t]{_C})",  # after a sentence's long last word (most capitals)
    rf"(?<![ \t]{_C})",                  # no space before: line start, "(Quispe", "—Juan"
    rf"(?<={_MARKS}[ \t]{_C})",           # after punctuation or a digit and a space
    rf"(?<={_MARKS}\.[ \t]{_C})",         # the same, then a dot ("5. Juan", "(sic). Juan")
    *_SHORT])
# Each capital that may start a sequence, in one pass (the regex engine skips fast to
# capitals, then only looks around them). Split from the text, the groups are the capital
# and the rest of the word when the word is quiet, None after a loud capital.
_CAPITAL = re.compile(rf"({_C})(?<![\w@.]{_C})(?:(?:{_QUIET_BEFORE})(\w*)"
                      rf"(?![\w'’-])(?!{_MORE})|)")


@cache
def common_words() -> frozenset[str]:
    """Frequent Spanish and English words that are not names (see bench/pii_names.py)."""
    text = resources.files("qcode.pii").joinpath("data", "common_words.txt").read_text("utf-8")
    return frozenset(fold(w) for w in text.splitlines() if w and not w.startswith("#"))


# Verdicts on quiet words, kept from one text to the next: most capitalised words of a
# transcript (its sentence starts) come back in the next one, so each distinct word is
# folded and looked up once, and a text's words are then sorted by set operations in C.
# The verdict leaves the allowlist out (`names` checks it on the few listed words), so it
# stays right whatever `qcode pii allow` adds; the sets are emptied past VERDICTS words.
VERDICTS = 100_000
_LISTED: set[str] = set()    # a listed first name or surname, and no NOT_NAMES word
_UNLISTED: set[str] = set()  # every other word judged


def _listed(words: set[str]) -> set[str]:
    """The words whose `plain` form is a listed name and not in NOT_NAMES."""
    maybe = words.difference(_UNLISTED)  # one pass over the large set; the rest is small
    listed = maybe & _LISTED
    if new := maybe - listed:
        if len(_LISTED) + len(_UNLISTED) + len(new) > VERDICTS:
            _LISTED.clear()
            _UNLISTED.clear()
        first, last = name_lists()
        for word in new:
            key = plain(word)
            if key not in NOT_NAMES and (key in first or key in last):
                listed.add(word)
                _LISTED.add(word)
            else:
                _UNLISTED.add(word)
    return listed


def _sentence_start(text: str, start: int) -> bool:
    """True where a capital letter is expected anyway (start of line, sentence, quote)."""
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in "\n.?!:;\"«“'¿¡—-–([*>"


def names(text: str, allow: Allowlist) -> Iterator[Finding]:
    first, last = name_lists()
    parts = _CAPITAL.split(text)  # no Python per capital
    found = set(zip(parts[1::3], parts[2::3], strict=True))
    listed = {w for w in _listed({c + r for c, r in found if r is not None})
              if plain(w) not in allow.terms}
    if not listed and None not in parts[2::3]:
        return  # only quiet words, none of them a name
    end = 0
    for at, word in _capitals(parts, listed):
        if at < end:
            continue  # inside the sequence before (Juan "Toño" Ruiz, Juan st. Pierre)
        if word:  # a listed quiet word
            end = at + len(word)
            run = [(at, end, word)]
        else:
            match = _SEQUENCE.match(text, at)
            end = match.end()
            run = _loud_run(text, match, first, last, allow)
        for start, stop, reason in _name_runs(text, run or [], first, last, allow):
            yield Finding(start, stop, text[start:stop], "name", reason)


def _capitals(parts: list, listed: set[str]) -> Iterator[tuple[int, str]]:
    """(offset, word) of each listed quiet word and (offset, "") of each loud capital, in
    text order, from the split of the text by `_CAPITAL`; the other quiet words are left
    out (they hold no capital that starts a sequence)."""
    at = 0
    for i in range(0, len(parts) - 1, 3):
        at += len(parts[i])
        capital, rest = parts[i + 1], parts[i + 2]
        if rest is None:
            yield at, ""
            at += 1
        else:
            if capital + rest in listed:
                yield at, capital + rest
            at += 1 + len(rest)


def _loud_run(text: str, match: re.Match, first: dict, last: dict, allow: Allowlist
              ) -> list[tuple[int, int, str]] | None:
    """The capitalised words of a sequence to judge, or None when it is dismissed at once."""
    sequence = match.group(0)
    if sequence.endswith(("'s", "’s")):  # English possessive: Saavedra's file
        sequence = sequence[:-2]
    offset = match.start()
    if " " in sequence or "\t" in sequence:
        if allow.phrase(sequence):
            return None
        return [(m.start() + offset, m.end() + offset, m.group(0))
                for m in _TOKEN.finditer(sequence) if m.group(0)[0].isupper()]
    key = plain(sequence)  # one word
    if key in NOT_NAMES or key in allow.terms or (
            key not in first and key not in last and not _title_before(text, offset)):
        return None
    return [(offset, offset + len(sequence), sequence)]


def _name_runs(text: str, words: list[tuple[int, int, str]], first: dict, last: dict,
               allow: Allowlist) -> Iterator[tuple[int, int, str]]:
    """Split a run of capitalised words at allowed or never-name words; judge each part."""
    inside = _allowed_phrases(text, words, allow)
    part: list[tuple[int, int, str]] = []
    saint = False  # San Pedro, Santa Rosa, Puerto Maldonado: places and saints, not people
    for index, word in enumerate([*words, None]):
        blocked = word is None or index in inside or _blocked(word[2], allow)
        if not blocked:
            part.append(word)
            continue
        if part and not saint:
            found = _judge(text, part, first, last, allow)
            if found:
                yield found
        part = []
        saint = word is not None and plain(word[2]) in PLACE_PREFIXES


def _allowed_phrases(text: str, words: list[tuple[int, int, str]], allow: Allowlist) -> set[int]:
    """Indices of words inside an allowed phrase of two or more words (Castro Castro)."""
    inside: set[int] = set()
    for size in range(len(words), 1, -1):
        for i in range(len(words) - size + 1):
            if allow.phrase(text[words[i][0]:words[i + size - 1][1]]):
                inside.update(range(i, i + size))
    return inside


def _key(word: str) -> str:
    """The `plain` form of a word without an English possessive (Saavedra's)."""
    return plain(word.removesuffix("'s").removesuffix("’s"))


def _blocked(word: str, allow: Allowlist) -> bool:
    key = _key(word)
    return key in NOT_NAMES or key in _TITLE_WORDS or key in allow.terms or len(key) < 2


def _judge(text: str, part: list[tuple[int, int, str]], first: dict, last: dict,
           allow: Allowlist) -> tuple[int, int, str] | None:
    start, end = part[0][0], part[-1][1]
    span = text[start:end]
    if allow.phrase(span):
        return None
    keys = [_key(w) for _, _, w in part]
    caps = [w.isupper() for _, _, w in part]  # (words of one letter were blocked)
    known = [(k in first, k in last, first.get(k) or last.get(k)) for k in keys]
    title = _title_before(text, start)
    if title and not all(caps) and (known[0][0] or known[0][1]
                                    or keys[0] not in common_words()):
        return start, end, f"capitalised after '{title}'"
    listed = sum(1 for f, s, _ in known if f or s)
    strong = any(s for _, _, s in known)
    if len(part) >= 2 and listed >= 2:
        return start, end, "first name and surname" if known[0][0] else "two listed surnames"
    if all(caps):
        return None  # headings in capitals: only whole listed names count (above)
    if len(part) >= 2 and known[0][0] and known[0][2]:
        return start, end, "listed first name followed by a capitalised word"
    if len(part) == 1 and (strong or (known[0][0] and not _sentence_start(text, start))):
        kind = "first name" if known[0][0] else "surname"
        return start, end, f"listed {kind}" + ("" if strong else " (capitalised mid-sentence)")
    if len(part) >= 2 and not _sentence_start(text, start) and (
            strong or (known[-1][1] and not caps[0])):
        return start, end, "capitalised words including a listed name"
    return None


PLACE_PREFIXES = frozenset("san santa santo sao saint st puerto villa virgen nuestra".split())


# -- speaker labels ---------------------------------------------------------------------
ROLE_WORDS = frozenset(plain(w) for w in """e r p i g a b c d m v entrevistador entrevistadora
entrevistado entrevistada entrevistador(a) entrevistado(a) interviewer interviewee
respondent guard guardia agente agent officer oficial interno interna inmate preso presa
experto experta expert voluntario voluntaria volunteer administrador administradora
administrator director directora moderador moderadora moderator participante participant
speaker hablante persona person voz voice familiar relative madre padre hermana hermano
mother father sister brother esposa esposo wife husband hija hijo daughter son técnico
técnica técnico(a) funcionario funcionaria official staff personal abogado abogada lawyer
médico médica doctor doctora nurse enfermera enfermero psicólogo psicóloga psychologist
capellán chaplain visitante visitor investigador investigadora researcher traductor
traductora translator intérprete interpreter todos all varios several unknown desconocido
inaudible otro otra other woman man mujer hombre joven""".split())


@lru_cache(maxsize=4096)  # the same few labels come back in every transcript of a project
def label_is_name(label: str) -> str | None:
    """Why a speaker label is a personal name, or None for a role or generic label
    (`Interviewer`, `E`, `Speaker 1`, `Guard 2`, `Entrevistadora`)."""
    words = [w for w in re.split(r"[\s_.\-]+", label.strip("[]*_ ")) if w]
    words = [w for w in words if not w.isdigit() and not re.fullmatch(r"[A-Za-z]\d*", w)]
    if not words or any(plain(w) in ROLE_WORDS for w in words):
        return None
    first, last = name_lists()
    keys = [plain(w) for w in words if w[:1].isupper()]  # names are capitalised ("he said" is not)
    if any(k in first or k in last for k in keys):
        return "speaker label is a listed name"
    if len(words) >= 2 and all(w[:1].isupper() for w in words):
        return "speaker label is a full name"
    return None
