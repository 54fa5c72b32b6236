"""Compile qcode's first-name and surname lists (qcode/pii/data/*.txt) from Faker.

Source: the person providers of Faker (https://github.com/joke2k/faker, MIT licence,
copyright Daniele Faraglia and contributors) for es_ES, es_MX, es_CO, es_AR, es_CL, en_US,
en_GB and en_IE, plus a short hand-made list of frequent Andean (Quechua and Aymara)
surnames of Peru kept in this script, which Faker's Spanish locales barely cover.

Each output line is `name<TAB>flag`: `s` (strong) when the lower-case name is not a common
word of Spanish or English, `w` (weak) when it is (Rosa, Luz, Flores, Brown, Will...), judged
by the word frequencies of spacy-lookups-data. The scanner flags a strong name on its own and
needs a second cue (a title, a second name) for a weak one.

It also writes common_words.txt: the most frequent Spanish and English words that are not
names, so that a capitalised common word after a title is not taken for a name.

Run: `.venv/bin/pip install faker && .venv/bin/python -m bench.pii_names`
"""

from __future__ import annotations

import gzip
import importlib
import json
from pathlib import Path

LOCALES = ("es_ES", "es_MX", "es_CO", "es_AR", "es_CL", "en_US", "en_GB", "en_IE")
OUT = Path(__file__).resolve().parent.parent / "qcode" / "pii" / "data"

# Frequent Quechua and Aymara surnames in Peru (hand-listed; common knowledge).
ANDEAN_SURNAMES = """
Quispe Mamani Huamán Huaman Condori Choque Ccori Cusi Apaza Ticona Huanca Chambi Yupanqui
Huillca Pari Cutipa Machaca Llanos Ccahuana Colque Coaquira Cahuana Chura Limachi Poma
Huarcaya Huaraca Huayta Inca Mayta Nina Ramos Ttito Ccama Ccallo Condorcanqui Chalco
Chuquimia Calcina Cjuno Huaccha Huarachi Huisa Layme Lupaca Puma Sucso Ccapa Tupa Taipe
Yauri Yucra Canaza Quilla Pumacahua Pachacútec Tintaya Anccasi Chipana Ayquipa Huallpa
Alanoca Aroni Achahui Tacuri Chucya Paucar Allcca Ccoa Cuyo Huachaca Sullca Quecaño
Vilca Vilcapoma Quispecahuana Illanes Hancco Soncco Quisocala Pillaca Cayo Mullisaca
Anco Atoccsa Cconislla Huaylla Huayhua Yanqui Supo Tito Arotinco Palomino Ñaupari Ancco
""".split()


class CommonWords:
    """A name is also a common word when, in spaCy's Spanish or English word frequencies
    (spacy-lookups-data `lexeme_prob`), its lower-case form is about as frequent as its
    capitalised form (Rosa/rosa, Luz/luz, Brown/brown) or simply frequent (log p > -10);
    a rare lower-case form (log p <= -14) does not make a name weak."""

    def __init__(self) -> None:
        import spacy_lookups_data

        folder = Path(spacy_lookups_data.__file__).parent / "data"
        self.tables = []
        for lang in ("es", "en"):
            with gzip.open(folder / f"{lang}_lexeme_prob.json.gz", "rt", encoding="utf-8") as f:
                self.tables.append(json.load(f))

    def __contains__(self, name: str) -> bool:
        for table in self.tables:
            lower = table.get(name.lower(), -99.0)
            if lower > -10 or (lower > -14 and lower - table.get(name, -99.0) > -1.5):
                return True
        return False


def _provider(locale: str):
    return importlib.import_module(f"faker.providers.person.{locale}").Provider


def _names(attribute: str) -> set[str]:
    found: set[str] = set()
    for locale in LOCALES:
        names = getattr(_provider(locale), attribute, ())
        if not isinstance(names, dict | list | tuple):
            continue
        for name in names:
            for part in name.replace("-", " ").split():
                if len(part) > 2 and part[0].isupper() and part.isalpha():
                    found.add(part)
    return found


def write(path: Path, names: set[str], common: CommonWords) -> None:
    lines = sorted({f"{n}\t{'w' if n in common else 's'}" for n in names})
    path.write_text("# compiled by bench/pii_names.py from Faker (MIT licence); see there\n"
                    + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{path.name}: {len(lines)} names, {sum(x.endswith('w') for x in lines)} weak")


def write_common(path: Path, common: CommonWords, names: set[str], size: int = 6000) -> None:
    """The most frequent lower-case words of Spanish and English that are not listed names:
    a capitalised word after a title ("Officer Training", "el jefe Regional") is taken for a
    name only when it is not one of these."""
    keep: set[str] = set()
    plain_names = {n.lower() for n in names}
    for table in common.tables:
        ranked = sorted((w for w in table if w.isalpha() and w.islower() and len(w) > 2),
                        key=lambda w: -table[w])
        keep.update(w for w in ranked[:size] if w not in plain_names)
    path.write_text("# compiled by bench/pii_names.py from spacy-lookups-data word "
                    "frequencies (MIT licence)\n" + "\n".join(sorted(keep)) + "\n",
                    encoding="utf-8")
    print(f"{path.name}: {len(keep)} words")


def main() -> None:
    common = CommonWords()
    first = _names("first_names_male") | _names("first_names_female") | _names("first_names")
    last = _names("last_names") | set(ANDEAN_SURNAMES)
    write(OUT / "first_names.txt", first, common)
    write(OUT / "surnames.txt", last - first | (last & first), common)
    write_common(OUT / "common_words.txt", common, first | last)


if __name__ == "__main__":
    main()
