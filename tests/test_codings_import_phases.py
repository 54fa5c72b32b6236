"""`codings import` reads and resolves the whole file before it takes the write lock: another
connection can write meanwhile, and if that removes or renames a document or code the rows
need, the import refuses with one line and writes nothing."""

from __future__ import annotations

import pytest

from qcode import InputError, Project, store
from qcode import codings_import as phases
from tests.conftest import write
from tests.test_coding import small  # noqa: F401 - the fixture

CODES = ("route", "route.visitors", "route.staff", "motive", "motive.family")  # test_coding's
CODERS = 60


def _big_csv() -> str:
    """Every code of test_coding's codebook on each of document a's 4 segments by 60 coders:
    4 x 5 x 60 = 1,200 distinct codings."""
    rows = ["document,code,coder,segment"]
    rows += [f"a,{code},c{coder},{segment}" for coder in range(CODERS) for code in CODES
             for segment in range(1, 5)]
    return "\n".join(rows) + "\n"


def _during_reading(monkeypatch, action) -> list[str]:
    """Run `action` once, inside the read phase (when the first code is looked up); the list
    returned says whether it ran."""
    original, ran = phases._Project.code, []

    def code(self, code_id):
        if not ran:
            ran.append(code_id)
            action()
        return original(self, code_id)

    monkeypatch.setattr(phases._Project, "code", code)
    return ran


def _before_writing(monkeypatch, action) -> None:
    """Run `action` after the whole file was read and resolved, before the write begins."""
    original = phases.write_codings

    def write_codings(*args):
        action()
        return original(*args)

    monkeypatch.setattr(phases, "write_codings", write_codings)


def _other(project: Project) -> Project:
    return Project(project.path)


@pytest.fixture
def impatient(monkeypatch):
    """A second connection that finds the write lock taken fails at once instead of waiting."""
    monkeypatch.setattr(store, "BUSY_MS", 0)
    monkeypatch.setattr(store, "WAIT_SECONDS", 0.0)


def test_another_connection_writes_while_the_file_is_read(small, tmp_path, monkeypatch,  # noqa: F811
                                                          impatient):
    path = write(tmp_path / "big.csv", _big_csv())

    def code_by_hand():
        with _other(small) as other:
            other.code("b", [2], ["motive"], coder="zoe")

    ran = _during_reading(monkeypatch, code_by_hand)
    assert small.import_codings(path) == (4 * 5 * CODERS, 0)
    assert ran == ["route"]
    codings = small.codings()
    assert len(codings) == 4 * 5 * CODERS + 1
    assert [c["code"] for c in codings if c["coder"] == "zoe"] == ["motive"]


def test_a_code_removed_while_reading_refuses_and_writes_nothing(small, tmp_path,  # noqa: F811
                                                                monkeypatch, impatient):
    path = write(tmp_path / "big.csv", _big_csv())
    # the codebook again without motive.family, which has no codings: load deletes it
    without = write(tmp_path / "without.yaml", "codes:\n  - id: route\n    name: Routes\n"
                    "    children:\n      - {id: route.visitors, name: Visitors}\n"
                    "      - {id: route.staff, name: Staff}\n  - {id: motive, name: Motives}\n")

    def drop_code():
        with _other(small) as other:
            assert other.load_codebook(without).removed == ["motive.family"]

    _before_writing(monkeypatch, drop_code)
    with pytest.raises(InputError) as raised:
        small.import_codings(path)
    assert str(raised.value) == (f"{path}: code 'motive.family' was removed or renamed while the "
                                 "file was being read; nothing imported, check the codebook and "
                                 "import again")
    assert small.codings() == []
    assert small.conn.execute("SELECT count(*) FROM coder WHERE name LIKE 'c%'").fetchone()[0] == 0


def test_a_code_renamed_while_reading_refuses(small, tmp_path, monkeypatch,  # noqa: F811
                                              impatient):
    path = write(tmp_path / "one.csv", "document,code,coder,segment\na,route.staff,ana,2\n")

    def rename():
        with _other(small) as other:
            other.rename_code("route.staff", "route.guards")

    _before_writing(monkeypatch, rename)
    with pytest.raises(InputError, match="code 'route.staff' was removed or renamed"):
        small.import_codings(path)
    assert small.codings() == []


def test_a_document_removed_while_reading_refuses(small, tmp_path, monkeypatch,  # noqa: F811
                                                  impatient):
    path = write(tmp_path / "two.csv", "document,code,coder,segment\na,route,ana,1\n"
                 "b,route,ana,1\n")

    def remove_b():  # qcode has no command that removes a document; SQL by hand does
        with _other(small) as other:
            other.conn.execute("PRAGMA foreign_keys = OFF")
            doc = other.conn.execute("SELECT id FROM document WHERE name = 'b'").fetchone()[0]
            for table in ("segment", "speaker", "attribute"):
                other.conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (doc,))
            other.conn.execute("DELETE FROM document WHERE id = ?", (doc,))

    _before_writing(monkeypatch, remove_b)
    with pytest.raises(InputError) as raised:
        small.import_codings(path)
    assert str(raised.value) == (f"{path}: document 'b' was removed while the file was being "
                                 "read; nothing imported, import it again")
    assert small.codings() == []


def test_nothing_is_locked_while_reading(small, tmp_path, monkeypatch):  # noqa: F811
    path = write(tmp_path / "one.csv", "document,code,coder,segment\na,route,ana,2\n")
    states = []
    _during_reading(monkeypatch, lambda: states.append(small.conn.in_transaction))
    assert small.import_codings(path) == (1, 0)
    assert states == [False]


def test_repeated_rows_count_as_present_and_bad_rows_repeat_their_message(small, tmp_path):  # noqa: F811
    # the same coding twice in the file: the second is already present when it is written
    path = write(tmp_path / "twice.csv", "document,code,coder,segment\na,route,ana,2\n"
                 "a,route,ana,2\nb,motive,ben,1\n")
    assert small.import_codings(path) == (2, 1)
    # an unknown code on two lines, and an unknown document on two: each line is reported
    bad = write(tmp_path / "bad.csv", "document,code,coder,segment\na,nope,ana,1\nzz,route,ana,1"
                "\na,nope,ana,2\nzz,route,ana,2\n")
    with pytest.raises(InputError) as raised:
        small.import_codings(bad)
    lines = str(raised.value).splitlines()
    assert lines[0] == f"{bad}: 4 bad rows, nothing imported; fix them and import again"
    assert [line.split(":")[0].strip() for line in lines[1:]] == ["line 2", "line 3", "line 4",
                                                                  "line 5"]
    assert lines[1].endswith(lines[3].split(": ", 1)[1]) and "unknown code 'nope'" in lines[1]
    assert "no document 'zz'" in lines[2] and lines[2].split(": ", 1)[1] == \
        lines[4].split(": ", 1)[1]
    assert len(small.codings()) == 2
