"""`scan_file`: a transcript file scanned as `qcode import` reads it — its front matter's
values (reported on line 0), its speaker labels, its own language, the allowlist."""

from __future__ import annotations

from qcode.pii import Allowlist
from qcode.pii.scan import scan_file
from tests.conftest import write

# Front matter: "entrevistador: Juan Quispe" is a first name and a listed surname. In the
# text, "Rosa" is only a finding as a speaker label (a weak listed name), and "Vega" after
# "señor" is a name; the file says it is in English, which the result reports.
FILE = ("---\nlanguage: en\nentrevistador: Juan Quispe\nlugar: Lima\n---\n"
        "E: ¿Cómo llegó?\nRosa: Con el señor Vega, por la tarde.\n")


def test_front_matter_labels_and_text_are_scanned(tmp_path):
    result = scan_file(write(tmp_path / "charla.md", FILE), Allowlist())
    assert [(f.line, f.kind, f.text, f.reason) for f in result.findings] == [
        (0, "name", "Juan Quispe", "first name and surname (front matter)"),
        (2, "name", "Rosa", "speaker label is a listed name"),
        (2, "name", "Vega", "capitalised after 'señor'")]
    # words split on whitespace: "E: ¿Cómo llegó?" 3, "Rosa: Con el señor Vega, por la tarde." 8
    assert (result.language, result.words) == ("en", 11)


def test_the_allowlist_applies_to_the_front_matter_too(tmp_path):
    result = scan_file(write(tmp_path / "charla.md", FILE), Allowlist(["Juan Quispe", "Vega"]))
    assert [f.text for f in result.findings] == ["Rosa"]
