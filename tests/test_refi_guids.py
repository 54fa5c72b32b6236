"""REFI-QDA GUIDs are stable: uuid5 in qcode's namespace of the object's kind and identifying
parts joined by U+001F, in upper case. A project exported by an earlier release and exported
again must give the same GUIDs, so the derivation itself is what is pinned here, computed
with the standard library's uuid independently of qcode.refi.guids."""

from __future__ import annotations

import uuid

import pytest

from qcode.refi import guids

QCODE = uuid.uuid5(uuid.NAMESPACE_URL, "qcode:refi-qda")


def expected(key: str) -> str:
    return str(uuid.uuid5(QCODE, key)).upper()


def test_the_namespace_is_the_url_namespaces_uuid5_of_qcode_refi_qda():
    assert guids.NAMESPACE == QCODE


@pytest.mark.parametrize(("made", "key"), [
    (lambda: guids.guid("thing"), "thing"),
    (lambda: guids.guid("thing", 1, "b"), "thing\x1f1\x1fb"),
    (lambda: guids.user("ana"), "user\x1fana"),
    (lambda: guids.code("route.staff"), "code\x1froute.staff"),
    (lambda: guids.source("int_01", "ab12"), "source\x1fint_01\x1fab12"),
    (lambda: guids.selection("SRC", 3, 17), "selection\x1fSRC\x1f3\x1f17"),
    (lambda: guids.coding("SEL", "route", "ana"), "coding\x1fSEL\x1froute\x1fana"),
    (lambda: guids.variable("role"), "variable\x1frole"),
    (lambda: guids.note("memo", "ana", 2), "note\x1fmemo\x1fana\x1f2"),
], ids=["guid", "parts", "user", "code", "source", "selection", "coding", "variable", "note"])
def test_each_kind_of_object_has_its_documented_guid(made, key):
    made_guid = made()
    assert made_guid == expected(key)
    assert made_guid == made_guid.upper() and len(made_guid) == 36


def test_different_objects_get_different_guids():
    made = {guids.user("ana"), guids.code("ana"), guids.variable("ana"), guids.note("ana"),
            guids.source("ana", ""), guids.user("Ana")}
    assert len(made) == 6
