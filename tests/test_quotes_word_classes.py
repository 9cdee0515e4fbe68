"""resources/quotes/word_classes.tsv: validated on load, user folders add words."""

from __future__ import annotations

from pathlib import Path

import pytest

from dotterel.errors import DotterelError
from dotterel.quotes.cues import WORD_CLASSES, load_lexicon


def test_builtin_classes_load() -> None:
    lex = load_lexicon()
    assert {"spokesman", "minister"} <= lex.person_nouns
    assert {"ministry", "government"} <= lex.body_nouns
    assert "report" in lex.not_speech_nouns
    assert not lex.person_nouns & lex.body_nouns  # a head noun is one or the other
    for words in (lex.person_nouns, lex.body_nouns, lex.not_speech_nouns):
        assert words and all(w == w.lower() and " " not in w for w in words)


def test_user_folder_adds_words(tmp_path: Path) -> None:
    (tmp_path / "quotes").mkdir()
    (tmp_path / "quotes" / "word_classes.tsv").write_text("class\tterm\tnotes\nbody_noun\tjunta\t\n", encoding="utf-8")
    lex = load_lexicon((tmp_path,))
    assert "junta" in lex.body_nouns and "ministry" in lex.body_nouns
    assert "junta" not in load_lexicon().body_nouns


@pytest.mark.parametrize(("row", "reason"), [
    ("body_noun\tJunta", "lower-case"),
    ("body_noun\tarmed group", "lower-case"),
    ("speaker_noun\tjunta", "unknown class"),
])  # fmt: skip
def test_bad_rows_raise_e002_with_file_and_line(tmp_path: Path, row: str, reason: str) -> None:
    (tmp_path / "quotes").mkdir()
    bad = tmp_path / "quotes" / "word_classes.tsv"
    bad.write_text(f"# a comment\nclass\tterm\tnotes\n{row}\t\n", encoding="utf-8")
    with pytest.raises(DotterelError) as err:
        load_lexicon((tmp_path,))
    assert err.value.code == "E002"
    assert err.value.fields["path"] == str(bad) and err.value.fields["line"] == 3
    assert reason in str(err.value)


def test_classes_are_documented_in_the_file() -> None:
    from importlib import resources

    text = resources.files("dotterel").joinpath("resources", "quotes", "word_classes.tsv").read_text(encoding="utf-8")
    for cls in WORD_CLASSES:
        assert f"# {cls}" in text
