"""Reading inputs: formats, publication dates, debris, and bad input that must not stop a batch."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from dotterel.ingest import read_inputs, read_path
from dotterel.ingest.cleanup import find_debris, mask
from dotterel.ingest.dateline import find_dateline
from dotterel.settings import Settings

S = Settings()
PROSE = ("The foreign ministers of the two countries met in the capital on Tuesday and agreed to resume "
         "talks on the border dispute, officials said after the meeting, which lasted three hours.")


def codes(doc) -> list[str]:
    return [e.code for e in doc.errors]


def test_plain_text_with_user_date(tmp_path: Path) -> None:
    p = tmp_path / "story.txt"
    p.write_text("Headline here\n\n" + PROSE, encoding="utf-8")
    [doc] = read_path(p, S, date=dt.date(2023, 3, 17))
    assert doc.id == "story" and doc.published == dt.date(2023, 3, 17) and doc.published_basis == "user"
    assert doc.text.startswith("Headline here") and not doc.errors


def test_dateline_date_and_unknown_date(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("MOSCOW, March 3, 2022 (Wire) — " + PROSE, encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text(PROSE, encoding="utf-8")
    da, db = list(read_inputs([str(a), str(b)], S))
    assert da.published == dt.date(2022, 3, 3) and da.published_basis == "dateline"
    assert db.published is None and db.published_basis == "unknown"
    assert [w.code for w in db.warnings] == ["W101"]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "E101"),
        (b"   \n\n  ", "E101"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "E102"),
        ("Caf\u00e9 ".encode("latin-1") + PROSE.encode(), "E104"),
        (("Der Außenminister traf sich am Dienstag mit seinem Amtskollegen in der Hauptstadt und "
          "vereinbarte, die Gespräche über den Grenzstreit wieder aufzunehmen, sagten Beamte nach dem "
          "Treffen, das drei Stunden dauerte und von vielen Journalisten begleitet wurde.").encode(), "E106"),
    ],
)
def test_bad_text_files(tmp_path: Path, content: bytes, code: str) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    [doc] = read_path(p, S)
    assert codes(doc) == [code]


def test_huge_file_is_refused_without_reading(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    with p.open("wb") as fh:
        fh.seek(50 * 1024 * 1024)
        fh.write(b"x")
    [doc] = read_path(p, S)
    assert codes(doc) == ["E103"]


def test_html_main_text_and_metadata_date(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(
        "<html><head><title>Talks resume</title><meta property='article:published_time' content='2021-06-02T10:00:00Z'>"
        f"</head><body><nav>Home | World</nav><article><h1>Talks resume</h1><p>{PROSE}</p><p>{PROSE}</p></article>"
        "<footer>Copyright</footer></body></html>", encoding="utf-8")
    [doc] = read_path(p, S)
    assert not doc.errors
    assert doc.published == dt.date(2021, 6, 2) and doc.published_basis == "metadata"
    assert "agreed to resume talks" in doc.text and "Home | World" not in doc.text


def test_html_without_article(tmp_path: Path) -> None:
    p = tmp_path / "empty.html"
    p.write_text("<html><body><div></div></body></html>", encoding="utf-8")
    [doc] = read_path(p, S)
    assert codes(doc) == ["E105"]


def test_jsonl_mixed_good_and_bad(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "ok1", "text": PROSE, "date": "2023-03-17", "title": "T", "source": "Wire", "url": "u"}),
        "{not json",
        json.dumps({"id": "nofield"}),
        json.dumps({"id": "baddate", "text": PROSE, "date": "17/03/2023"}),
        "",
        json.dumps({"id": "empty", "text": ""}),
        json.dumps({"text": PROSE}),
    ]
    p = tmp_path / "c.jsonl"
    p.write_text("\n".join(lines), encoding="utf-8")
    docs = list(read_path(p, S))
    assert [d.id for d in docs] == ["ok1", "c.jsonl:2", "nofield", "baddate", "empty", "c.jsonl:7"]
    assert [codes(d) for d in docs] == [[], ["E107"], ["E108"], [], ["E101"], []]
    assert docs[3].published is None and [w.code for w in docs[3].warnings] == ["W103", "W101"]
    assert docs[0].published == dt.date(2023, 3, 17) and docs[0].source == "Wire"
    gz = tmp_path / "c.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    assert [d.id.replace(".gz", "") for d in read_path(gz, S)] == [d.id for d in docs]


def test_missing_path_is_an_error_not_an_exception(tmp_path: Path) -> None:
    [doc] = read_path(tmp_path / "nope.txt", S)
    assert codes(doc) == ["E005"]


CAPTION_TEXT = (
    "Leaders meet in Geneva\n\nGENEVA — The two presidents met on Monday.\n\n"
    "Rival accuses neighbour of border raids\n\nMarch 16, 202300:39\n\n"
    "The talks lasted four hours, officials said.\n\nAdvertisement\n\nBoth sides praised the result.\n\n"
    "Related Posts\n\nSome other story\nAnother story\n"
)


def test_debris_is_found_and_masked_without_moving_offsets() -> None:
    debris = find_debris(CAPTION_TEXT)
    kinds = [k for _, _, k in debris]
    assert kinds[0] == "video caption" and kinds[-1].startswith("tail")
    assert any(k.startswith("line: Advertisement") for k in kinds)
    masked = mask(CAPTION_TEXT, debris)
    assert len(masked) == len(CAPTION_TEXT)
    assert "accuses" not in masked and "202300:39" not in masked and "Another story" not in masked
    assert "The talks lasted four hours" in masked and "Both sides praised" in masked
    assert masked.index("The talks") == CAPTION_TEXT.index("The talks")


def test_ordinary_lines_are_not_debris() -> None:
    text = "Talks end\n\nPARIS — Ministers met on March 16, 2023 at 10:00.\n\nThey will read more reports later."
    assert find_debris(text) == []


def test_dateline_ignores_debris() -> None:
    assert find_dateline(CAPTION_TEXT, find_debris(CAPTION_TEXT)) is None
    assert find_dateline("Published 17 March 2023\n\nText", []) == dt.date(2023, 3, 17)
    assert find_dateline("Talks end\n\nJane Reporter17 March 2023\n\nText", []) == dt.date(2023, 3, 17)  # byline glued
    assert find_dateline("Talks end\n\nMarch 9, 2023|By Staff\n\nText", []) == dt.date(2023, 3, 9)
