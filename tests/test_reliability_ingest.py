"""Issue 12, ingest half: input that used to be lost or mislabelled. Every test here failed before the fix."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from dotterel.errors import DotterelError
from dotterel.ingest import read_inputs, read_path
from dotterel.ingest.checks import check_text, decode_bytes
from dotterel.ingest.readers import (
    document_from_record,
    plan_inputs,
    resolve_record_path,
)
from dotterel.settings import Settings

S = Settings()
# Invented prose for these tests.
PROSE = ("The two governments agreed on Wednesday to reopen the border crossing that has been closed since "
         "the spring, and their interior ministers will meet next month to settle the remaining questions.")


def codes(doc) -> list[str]:
    return [e.code for e in doc.errors]


# ---- item 1: wrong types are a per-document error naming the field ------------------------------------

@pytest.mark.parametrize("field", ["title", "source", "url", "date", "text"])
@pytest.mark.parametrize("value", [123, ["x"], {"a": 1}, True])
def test_wrong_type_is_a_coded_error_naming_the_field(tmp_path: Path, field: str, value: object) -> None:
    bad = {"id": "bad", "text": PROSE, field: value}
    lines = [json.dumps({"id": "first", "text": PROSE}), json.dumps(bad), json.dumps({"id": "later", "text": PROSE})]
    p = tmp_path / "feed.jsonl"
    p.write_text("\n".join(lines), encoding="utf-8")
    docs = list(read_path(p, S))
    assert [d.id for d in docs] == ["first", "bad", "later"]
    assert codes(docs[0]) == [] and codes(docs[2]) == []
    assert codes(docs[1]) == ["E113"]
    assert repr(field) in docs[1].errors[0].message and "line 2" in docs[1].errors[0].message


def test_integer_ids_are_accepted_but_other_id_types_are_not() -> None:
    ok = document_from_record({"id": 17, "text": PROSE}, S, fallback_id="f:1", line=1)
    assert ok.id == "17" and not ok.errors
    bad = document_from_record({"id": {"x": 1}, "text": PROSE}, S, fallback_id="f:2", line=2)
    assert bad.id == "f:2" and codes(bad) == ["E113"] and "'id'" in bad.errors[0].message


# ---- item 3: ids unique per input; a collision is an error, never an overwrite ---------------------------

def test_same_name_files_in_different_folders_get_different_ids(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / "in" / sub).mkdir(parents=True)
        (tmp_path / "in" / sub / "report.txt").write_text(PROSE, encoding="utf-8")
    docs = list(read_inputs([str(tmp_path / "in")], S))
    assert [d.id for d in docs] == ["a/report", "b/report"]
    assert all(not d.errors for d in docs)


def test_two_idless_feeds_in_different_folders_get_different_ids(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "feed.jsonl").write_text(json.dumps({"text": PROSE}) + "\n", encoding="utf-8")
    # as two file arguments
    docs = list(read_inputs([str(tmp_path / "a" / "feed.jsonl"), str(tmp_path / "b" / "feed.jsonl")], S))
    assert [d.id for d in docs] == ["a/feed.jsonl:1", "b/feed.jsonl:1"] and all(not d.errors for d in docs)
    # as two directory arguments
    docs = list(read_inputs([str(tmp_path / "a"), str(tmp_path / "b")], S))
    assert [d.id for d in docs] == ["a/feed.jsonl:1", "b/feed.jsonl:1"] and all(not d.errors for d in docs)
    # as one directory
    docs = list(read_inputs([str(tmp_path)], S))
    assert [d.id for d in docs] == ["a/feed.jsonl:1", "b/feed.jsonl:1"]


def test_single_file_ids_stay_short(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(PROSE, encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text(json.dumps({"text": PROSE}) + "\n", encoding="utf-8")
    assert [f.id for f in plan_inputs([tmp_path / "story.txt", tmp_path / "feed.jsonl"])] == ["story", "feed.jsonl"]


def test_files_differing_only_by_suffix_keep_it(tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_text(PROSE, encoding="utf-8")
    (tmp_path / "report.md").write_text(PROSE, encoding="utf-8")
    assert sorted(f.id for f in plan_inputs([tmp_path])) == ["report.md", "report.txt"]


def test_the_same_file_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(PROSE, encoding="utf-8")
    assert len(plan_inputs([tmp_path, tmp_path / "story.txt"])) == 1


def test_explicit_id_collision_is_an_error_for_the_second_document(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "wire-1", "text": PROSE, "source": "First Wire"}),
             json.dumps({"id": "wire-2", "text": PROSE}),
             json.dumps({"id": "wire-1", "text": PROSE + " More.", "source": "Second Wire"})]
    p = tmp_path / "feed.jsonl"
    p.write_text("\n".join(lines), encoding="utf-8")
    docs = list(read_inputs([str(p)], S))
    assert [d.id for d in docs] == ["wire-1", "wire-2", "wire-1"]
    assert codes(docs[0]) == [] and codes(docs[1]) == [] and codes(docs[2]) == ["E112"]
    assert docs[0].source == "First Wire"


# ---- item 5: one rule for JSONL `path` records ---------------------------------------------------------

def test_path_records_resolve_against_the_jsonl_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data" / "texts").mkdir(parents=True)
    (tmp_path / "data" / "texts" / "one.txt").write_text(PROSE, encoding="utf-8")
    feed = tmp_path / "data" / "feed.jsonl"
    feed.write_text(json.dumps({"id": "one", "path": "texts/one.txt"}) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the working directory is not the JSONL's folder
    [doc] = read_path(Path("data/feed.jsonl"), S)
    assert not doc.errors and doc.text == PROSE
    assert resolve_record_path("texts/one.txt", feed) == tmp_path / "data" / "texts" / "one.txt"
    assert resolve_record_path("/abs/x.txt", feed) == Path("/abs/x.txt")


# ---- item 7: English detection --------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    ("Vladimir Putin, Xi Jinping, Narendra Modi, Luiz Inacio Lula da Silva, Cyril Ramaphosa, Recep Tayyip "
    "Erdogan, Mohammed bin Salman, Abdel Fattah el-Sisi, Joko Widodo, Shavkat Mirziyoyev, Kassym-Jomart "
    "Tokayev, Emomali Rahmon and Sadyr Japarov met in Johannesburg."),
    ("KAZAKHSTAN, KYRGYZSTAN, TAJIKISTAN, TURKMENISTAN, UZBEKISTAN: TOKAYEV, JAPAROV, RAHMON, BERDIMUHAMEDOW, "
    "MIRZIYOYEV, ALIYEV, PASHINYAN, LUKASHENKO, ZELENSKYY, SANDU, KOBAKHIDZE"),
    "By Nguyen Van Thanh, Oluwaseun Adeyemi-Okonkwo, Bogdan Wisniewski-Kowalczyk and Siobhan Ni Dhomhnaill",
])
def test_names_never_make_a_document_non_english(text: str) -> None:
    assert check_text(text, S.max_chars, True) is None


@pytest.mark.parametrize(("text", "language"), [
    ("外交部发言人周二表示，两国将于下周在首都举行会谈，讨论边境问题和贸易合作。", "zh"),
    ("Министры иностранных дел двух стран встретились во вторник и договорились возобновить переговоры.", "ru"),
    ("Los cancilleres de ambos países se reunieron el martes y acordaron reanudar las conversaciones.", "es"),
])
def test_short_non_english_text_is_rejected(text: str, language: str) -> None:
    problem = check_text(text, S.max_chars, True)
    assert problem is not None and problem.code == "E106" and language in problem.message


# ---- item 8: UTF-16 files and bad dates -----------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_decoded(tmp_path: Path, encoding: str) -> None:
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    p = tmp_path / "story.txt"
    p.write_bytes(bom + ("Caf\u00e9 talks\n\n" + PROSE).encode(encoding))
    [doc] = read_path(p, S)
    assert codes(doc) == [] and doc.text == "Caf\u00e9 talks\n\n" + PROSE


def test_nul_bytes_without_a_bom_are_still_binary() -> None:
    _, problem = decode_bytes(b"ab\x00cd" * 10, S.max_chars)
    assert problem is not None and problem.code == "E102"


@pytest.mark.parametrize("value", ["17/03/2023", "yesterday", "2023-02-30", "2023-13-01"])
def test_bad_date_is_a_warning_and_the_document_is_coded(value: str) -> None:
    doc = document_from_record({"id": "x", "text": PROSE, "date": value}, S, fallback_id="f:1", line=1)
    assert doc.errors == [] and doc.published is None
    assert [w.code for w in doc.warnings] == ["W103", "W101"] and value in doc.warnings[0].message


def test_bad_date_falls_back_to_a_dateline() -> None:
    doc = document_from_record({"id": "x", "text": "OSLO, May 4, 2021 — " + PROSE, "date": "soon"}, S,
                               fallback_id="f:1", line=1)
    assert doc.errors == [] and doc.published == dt.date(2021, 5, 4) and doc.published_basis == "dateline"
    assert [w.code for w in doc.warnings] == ["W103"]


# ---- item 11 (library side): a missing input is a usage error for planning ------------------------------

def test_plan_inputs_refuses_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(DotterelError) as info:
        plan_inputs([tmp_path / "nope.txt"])
    assert info.value.code.value == "E005"


def test_paragraph_opening_datelines_are_found_and_sentences_with_dashes_are_not() -> None:
    from dotterel.ingest.dateline import dateline_spans

    def spans(text: str) -> list[str]:
        return [text[a:b] for a, b in dateline_spans(text)]

    assert spans("Lima, 5 May 2021 (AFP) – Protesters marched.") == ["Lima, 5 May 2021 (AFP) –"]
    assert spans("Title\n\nTBILISI, Georgia — The ruling party won.") == ["TBILISI, Georgia —"]
    assert spans("ACCRA, June 2 (Reuters) - Ghana said.") == ["ACCRA, June 2 (Reuters) -"]
    assert spans("The talks — which began Monday — ended.") == []
    assert spans("Ghana - a small country - said no.") == []
