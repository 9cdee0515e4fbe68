"""The English word file (resources/english/words.toml) and its loader (dotterel.words)."""

from __future__ import annotations

import dataclasses
import pickle
import re
from importlib import resources
from pathlib import Path

import pytest

from dotterel.errors import DotterelError
from dotterel.words import EnglishWords, english_words, words_from_sources


def _builtin_text() -> str:
    return resources.files("dotterel").joinpath("resources", "english", "words.toml").read_text(encoding="utf-8")


def test_builtin_file_is_valid_and_complete() -> None:
    w = english_words()
    sections = [f.name for f in dataclasses.fields(EnglishWords) if f.name not in
                {"month_numbers", "weekday_numbers", "resource_dirs"}]
    for name in sections:
        words = getattr(w, name)
        assert words, name
        assert all(x == x.lower() == x.strip() and x for x in words), name
    assert set(w.month_numbers.values()) == set(range(1, 13))
    assert set(w.weekday_numbers.values()) == set(range(7))
    assert w.month_numbers["sept"] == 9 and w.month_numbers["december"] == 12
    assert w.weekday_numbers["thurs"] == 3 and w.weekday_numbers["sunday"] == 6
    assert set(w.months) == set(w.month_numbers) and set(w.weekdays) == set(w.weekday_numbers)
    assert {"say", "tell"} <= w.reporting_verbs
    assert {"will", "wo", "ca"} <= w.modals


def test_cached_per_folders_and_picklable() -> None:
    w = english_words()
    assert english_words(()) is w
    assert pickle.loads(pickle.dumps(w)) is w


def test_month_pattern_matches_names_and_abbreviations() -> None:
    pat = re.compile(rf"\b{english_words().month_pattern()}\s+\d+")
    assert pat.fullmatch("Sept. 3") and pat.fullmatch("September 3") and pat.fullmatch("May 3")
    assert pat.fullmatch("Mar 3") and not pat.fullmatch("march 3") and not pat.fullmatch("Marc 3")


@pytest.mark.parametrize(("edit", "reason"), [
    (lambda t: t + '\n[colours]\nwords = ["red"]\n', "unknown section"),
    (lambda t: t.replace('words = ["a", "an", "the"]', "words = []"), "non-empty"),
    (lambda t: t.replace('"tell"', '"Tell"'), "lower-case"),
    (lambda t: t.replace('"tell"', '" tell"'), "lower-case"),
    (lambda t: t.replace('"tell"', '"say"'), "repeats"),
    (lambda t: t.replace("december = 12\n", "").replace("dec = 12\n", ""), "no name for [12]"),
    (lambda t: t.replace("sunday = 6", "sunday = 7"), "not one of"),
    (lambda t: t.replace("schema = 1", "schema = 2"), "schema"),
    (lambda t: t.replace("march = 3", "march = 3 3"), "expected newline"),  # TOML syntax
])  # fmt: skip
def test_invalid_file_raises_e002_naming_file_and_line(edit, reason: str) -> None:
    text = edit(_builtin_text())
    with pytest.raises(DotterelError) as err:
        words_from_sources([("test-words.toml", text)])
    assert err.value.code == "E002"
    assert err.value.fields["path"] == "test-words.toml"
    assert reason.lower() in str(err.value).lower()
    assert err.value.fields["line"] > 0


def test_bad_entry_reports_its_line() -> None:
    text = _builtin_text().replace("sunday = 6", "sunday = 9")
    with pytest.raises(DotterelError) as err:
        words_from_sources([("x.toml", text)])
    assert text.splitlines()[err.value.fields["line"] - 1].startswith("sunday")


def test_user_folder_adds_words(tmp_path: Path) -> None:
    (tmp_path / "english").mkdir()
    (tmp_path / "english" / "words.toml").write_text(
        '[reporting_verbs]\nwords = ["tweet"]\n\n[months]\nmarzo = 3\n', encoding="utf-8")
    w = english_words((tmp_path,))
    assert "tweet" in w.reporting_verbs and "say" in w.reporting_verbs
    assert w.month_numbers["marzo"] == 3 and w.month_numbers["march"] == 3
    assert "tweet" not in english_words().reporting_verbs  # the built-in words are untouched
    assert english_words((str(tmp_path),)) is w


def test_user_folder_errors_name_the_user_file(tmp_path: Path) -> None:
    (tmp_path / "english").mkdir()
    bad = tmp_path / "english" / "words.toml"
    bad.write_text('[reporting_verbs]\nwords = ["Tweet"]\n', encoding="utf-8")
    with pytest.raises(DotterelError) as err:
        english_words((tmp_path,))
    assert err.value.code == "E002"
    assert err.value.fields["path"] == str(bad) and err.value.fields["line"] == 2
    bad.write_text('[verbs]\nwords = ["tweet"]\n', encoding="utf-8")
    with pytest.raises(DotterelError, match="unknown section"):
        english_words((tmp_path,))


def test_needs_a_source() -> None:
    with pytest.raises(DotterelError):
        words_from_sources([])
