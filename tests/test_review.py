"""The review loop: every key, undo and back across documents, resume, blind coding."""

import io
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from rich.console import Console

from qcode import InputError, NotFoundError, Project
from qcode.review import ReviewSession
from tests.conftest import ROOT, run, write

CODEBOOK = """\
codes:
  - id: visitas
    name: Visitors
    color: "#1f77b4"
    definition: Phones brought by visitors.
    include: Relatives hiding phones.
    exclude: Staff.
    examples: ["La visita lo trajo."]
    patterns: {es: [visitante]}
  - id: sueldo
    name: Low pay
    patterns: {es: [sueldo]}
  - id: miedo
    name: Fear of inmates
"""


@pytest.fixture
def reviewed(project, tmp_path):
    project.load_codebook(write(tmp_path / "cb.yaml", CODEBOOK))
    project.import_files([
        write(tmp_path / "a.txt", "E: ¿Cómo entran?\nR: Las visitantes los traen.\n"
                                  "E: ¿Y el sueldo?\nR: El sueldo es poco y las visitantes "
                                  "pagan.\n"),
        write(tmp_path / "b.txt", "E: Hola.\nR: El sueldo no alcanza.\n")])
    project.suggest(method="rules")
    return project


def session(project, coder="ana", **options):
    return ReviewSession(project.conn, coder, **options)


def where(s):
    view = s.view()
    return view.document, view.segment


def test_choices_accept_toggle_off_and_statuses(reviewed):
    s = session(reviewed)
    assert where(s) == ("a", 1) and s.view().choices == []
    s.next()
    view = s.view()
    assert [(c.number, c.code, c.applied, c.score, c.methods) for c in view.choices] == [
        (1, "visitas", False, 0.5, "rules")]
    with pytest.raises(InputError, match=r"no choice 5 here; pick 1-1"):
        s.toggle(5)
    assert s.toggle(1) == "coded visitas"
    assert [(c.code, c.applied) for c in s.view().choices] == [("visitas", True)]
    coding = reviewed.conn.execute("SELECT origin, coder FROM coding").fetchone()
    assert tuple(coding) == ("suggestion", "ana")
    assert s.toggle(1) == "removed visitas"
    assert reviewed.codings() == []
    assert reviewed.conn.execute("SELECT removed_by FROM coding").fetchone()[0] == "ana"
    assert reviewed.suggestions()[0]["status"] == "rejected"
    # numbers stay fixed for the visit: the un-toggled suggestion stays listed, rejected
    assert [(c.number, c.code, c.state) for c in s.view().choices] == [
        (1, "visitas", "rejected")]
    assert s.toggle(1) == "coded visitas" and s.toggle(1) == "removed visitas"
    s.next(), s.back()
    assert s.view().choices == []  # a new visit no longer offers what ana rejected


def test_accept_all_and_reject_rest(reviewed):
    s = session(reviewed)
    s.next(), s.next(), s.next()
    assert where(s) == ("a", 4)
    assert [c.code for c in s.view().choices] == ["visitas", "sueldo"]
    assert s.reject_rest() == "rejected visitas, sueldo"
    assert [(c.number, c.state) for c in s.view().choices] == [(1, "rejected"),
                                                                (2, "rejected")]
    assert s.reject_rest() == "no suggestions left to reject"
    assert s.undo() == "undone: reject visitas, sueldo"
    assert s.accept_all() == "coded visitas; coded sueldo"
    assert {(r["code"], r["segment"]) for r in reviewed.codings()} == {("visitas", 4),
                                                                         ("sueldo", 4)}
    assert s.accept_all() == "no suggestions to accept here"


def test_add_code_by_id_letters_and_name(reviewed):
    s = session(reviewed)
    assert s.find_codes("sueldo") == [("sueldo", "Low pay")]
    assert s.find_codes("vis") == [("visitas", "Visitors")]
    assert s.find_codes("fear") == [("miedo", "Fear of inmates")]   # by name
    assert s.find_codes("mdo") == [("miedo", "Fear of inmates")]    # letters in order
    assert s.find_codes("sueldos") == [("sueldo", "Low pay")]       # close spelling
    assert s.find_codes("zzz") == []
    assert s.apply_code("miedo") == "coded miedo"
    assert s.apply_code("miedo") == "miedo is already applied"
    assert reviewed.codings()[0]["code"] == "miedo"
    assert reviewed.conn.execute("SELECT origin FROM coding").fetchone()[0] == "manual"


def test_memo_definition_and_undo(reviewed):
    s = session(reviewed)
    assert s.memo("  ") == "empty memo not saved"
    assert s.memo("header, not an answer") == "memo saved"
    assert s.view().memos == ["header, not an answer"]
    assert s.undo() == "undone: memo"
    assert s.view().memos == []
    assert s.definition("visitas")["definition"] == "Phones brought by visitors."
    s.next()
    assert s.definition("1")["id"] == "visitas"
    with pytest.raises(InputError, match="no code matches 'qqq'"):
        s.definition("qqq")


def test_undo_and_back_across_documents(reviewed):
    s = session(reviewed)
    s.next()
    s.toggle(1)                                  # a#2 visitas
    for _ in range(4):
        s.next()
    assert where(s) == ("b", 2)
    s.toggle(1)                                  # b#2 sueldo
    assert s.undo() == "undone: code sueldo"
    assert where(s) == ("b", 2) and s.view().choices[0].applied is False
    assert s.undo() == "undone: code visitas"   # jumps back to the other document
    assert where(s) == ("a", 2)
    assert reviewed.codings() == []
    assert reviewed.suggestions(status="pending") and not reviewed.suggestions(status="accepted")
    assert s.undo() == "nothing to undo"
    assert s.back() and where(s) == ("a", 1)
    assert not s.back()
    for _ in range(5):
        s.next()
    assert where(s) == ("b", 2) and not s.next()


def test_resume_and_restart(reviewed):
    s = session(reviewed)
    s.next(), s.next(), s.next()
    again = session(reviewed)
    assert again.resumed and where(again) == ("a", 4)
    assert where(session(reviewed, restart=True)) == ("a", 1)
    assert where(session(reviewed, coder="ben")) == ("a", 1)  # positions are per coder


def test_blind_second_coder(reviewed):
    a = session(reviewed)
    a.next()
    a.toggle(1)                      # ana codes a#2 with visitas (suggestion accepted)
    a.apply_code("miedo")
    b = session(reviewed, coder="ben")
    b.next()
    # ana's acceptance is hers: ben still sees the suggestion pending, and none of ana's codes
    assert [(c.code, c.state) for c in b.view().choices] == [("visitas", "pending")]
    assert b.view().others == []
    assert b.reject_rest() == "rejected visitas"
    assert [(r["coder"], r["status"]) for r in reviewed.suggestions(["a"])
            if r["segment"] == 2] == [("ana", "accepted"), ("ben", "rejected")]
    assert [r["status"] for r in reviewed.suggestions(["a"], coder="cy")
            if r["segment"] == 2] == ["pending"]
    seen = session(reviewed, coder="ben", show_others=True)
    assert seen.view().others == [("miedo", "ana"), ("visitas", "ana")]


def test_filters_and_informative_order(reviewed):
    pending = session(reviewed, pending_only=True)
    assert [(pending.view().document, pending.view().segment)] == [("a", 2)]
    assert len(pending.items) == 4
    only = session(reviewed, code="sueldo", restart=True)
    assert len(only.items) == 3
    conn = reviewed.conn
    conn.execute("UPDATE suggestion SET method = 'model', score = 0.55 WHERE id = "
                 "(SELECT g.id FROM suggestion g JOIN segment s ON s.id = g.segment_id"
                 " JOIN document d ON d.id = s.document_id WHERE d.name = 'b')")
    informative = session(reviewed, order="informative", restart=True)
    assert where(informative) == ("b", 2)
    assert len(informative.items) == 6
    with pytest.raises(NotFoundError, match="no segments with pending suggestions to review"):
        session(reviewed, code="miedo")


def test_screen_fits_80x24_without_colour(reviewed, monkeypatch):
    from qcode.cli.review_cmd import draw

    monkeypatch.setenv("NO_COLOR", "1")
    long_text = "R: " + "las visitantes traen celulares escondidos en la comida " * 40
    reviewed.import_files([write(reviewed.path.parent / "long.txt", "E: ¿Y?\n" + long_text)])
    reviewed.suggest(["long"], method="rules")
    s = session(reviewed, documents=["long"])
    s.next()
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, height=24, force_terminal=True)
    draw(console, s, "message", clear=True)
    screen = buffer.getvalue()
    assert not re.search(r"\x1b\[(3[0-9]|38;)", screen)  # no colour codes, bold is fine
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen).splitlines()
    assert len(plain) <= 24 and max(len(line) for line in plain) <= 80
    assert plain[-1].startswith("1-9 toggle") and "…" in screen


KEYS = "\n".join([
    "1",            # segment 1 has nothing: a hint
    "",             # Enter: next
    "1",            # accept visitas on a#2
    "?",            # definition, the prompt reads the next line
    "1",
    "s",
    "c",            # add a code through the prompt
    "mie",
    "m nota sobre la pregunta",
    "x",            # unknown key
    "c nada",       # unknown code
    "s",
    "r",            # reject the rest on a#4
    "u",            # undo that
    "a",            # accept all on a#4
    "b",
    "q",
]) + "\n"


def test_every_key_through_piped_input(reviewed):
    env = {"QCODE_PROJECT": str(reviewed.path)}
    result = run("review", "--coder", "ana", env=env, input=KEYS)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "nothing to toggle here; press c to add a code" in out
    assert "coded visitas" in out
    assert "definition: Phones brought by visitors." in out
    assert "coded miedo" in out and "memo saved" in out
    assert "unknown key 'x'; keys: 1-9 a r c m s b u ? q" in out
    assert "no code matches 'nada'; try a few letters of its id or name" in out
    assert "rejected visitas, sueldo" in out and "undone: reject visitas, sueldo" in out
    assert "coded visitas; coded sueldo" in out
    # a#1 read and passed (nothing to code), a#2 and a#3 coded, a#4 decided: 4 of 6
    assert out.rstrip().endswith("saved; stopped at a segment 3 (4/6 segments decided)")
    codings = {(r["segment"], r["code"]) for r in reviewed.codings()}
    assert codings == {(2, "visitas"), (3, "miedo"), (4, "visitas"), (4, "sueldo")}
    memo = reviewed.conn.execute("SELECT target, author, text FROM memo").fetchone()
    assert tuple(memo) == ("segment", "ana", "nota sobre la pregunta")
    resumed = run("review", "--coder", "ana", env=env, input="q\n")
    assert "resuming where ana stopped" in resumed.stdout
    assert "stopped at a segment 3" in resumed.stdout


def test_end_of_input_saves_and_exits(reviewed):
    result = run("review", "--coder", "ana", env={"QCODE_PROJECT": str(reviewed.path)},
                 input="\n\n")
    assert result.exit_code == 0
    assert "stopped at a segment 3" in result.stdout


def test_review_errors(reviewed, project):
    env = {"QCODE_PROJECT": str(reviewed.path)}
    result = run("review", "--coder", "ana", "--code", "miedo", env=env)
    assert result.exit_code == 1
    assert result.stderr == "error: no segments with pending suggestions to review; run " \
                            "`qcode suggest` first\n"
    assert run("review", "nope", "--coder", "ana", env=env).stderr.startswith(
        "error: no document 'nope'")


def test_killed_review_loses_nothing_and_resumes(reviewed):
    """kill -9 in the middle of a piped review: decisions already made are in the project."""
    reviewed.close()
    env = {**os.environ, "QCODE_PROJECT": str(reviewed.path), "QCODE_CODER": "ana"}
    child = subprocess.Popen([sys.executable, "-m", "qcode", "review"], cwd=ROOT, env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    child.stdin.write("\n1\n\n\n")           # next, accept on a#2, then on to a#4
    child.stdin.flush()
    deadline = time.monotonic() + 30
    with Project(reviewed.path) as watcher:
        while True:
            position = watcher.conn.execute(
                "SELECT s.ordinal FROM review_state r JOIN segment s ON s.id = r.segment_id"
                " WHERE coder = 'ana'").fetchone()
            if position and position[0] == 4:
                break
            assert time.monotonic() < deadline and child.poll() is None
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert [(r["segment"], r["code"]) for r in watcher.codings()] == [(2, "visitas")]
    with Project(reviewed.path) as reopened:
        again = session(reopened)
        assert again.resumed and where(again) == ("a", 4)


def test_review_options_from_the_command_line(reviewed):
    """Each option reaches the session: quitting at once prints where the review stands.
    a has 4 segments, b 2; pending suggestions on a#2, a#3, a#4 and b#2."""
    env = {"QCODE_PROJECT": str(reviewed.path)}

    def stop(*options):
        result = run("review", "--coder", "ana", *options, env=env, input="q\n")
        assert result.exit_code == 0, result.output
        return result.stdout.rstrip().splitlines()[-1]

    assert stop().startswith("saved; stopped at a segment 1 (0/6")
    assert stop("--pending-only").startswith("saved; stopped at a segment 2 (0/4")
    # the position is saved: resuming at a#2, three steps on is b#1
    moved = run("review", "--coder", "ana", env=env, input="\n\n\nq\n").stdout
    assert moved.rstrip().splitlines()[-1].startswith("saved; stopped at b segment 1")
    assert stop().startswith("saved; stopped at b segment 1")
    assert stop("--restart").startswith("saved; stopped at a segment 1")
    reviewed.conn.execute("UPDATE suggestion SET method = 'model', score = 0.55 WHERE id = "
                          "(SELECT g.id FROM suggestion g JOIN segment s ON s.id = g.segment_id"
                          " JOIN document d ON d.id = s.document_id WHERE d.name = 'b')")
    assert stop("--order", "informative", "--restart").startswith(
        "saved; stopped at b segment 2")
    reviewed.code("a", [1], ["miedo"], coder="ben")
    blind = run("review", "--coder", "ana", "--restart", env=env, input="q\n").stdout
    shown = run("review", "--coder", "ana", "--restart", "--show-others", env=env,
                input="q\n").stdout
    assert "ben" not in blind and "miedo" in shown and "ben" in shown
