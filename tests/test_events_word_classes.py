"""resources/events/word_classes.tsv: the word classes the event rules read (sports words, people
nouns, reporting verbs, ...), validated on load and extendable by a user's folder."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from dotterel.errors import DotterelError
from dotterel.events.lexicon import WORD_CLASSES, WordClasses, load_lexicon
from dotterel.tables import table_sources

HEADER = "class\tword\tnotes\n"


def test_every_class_has_words_and_the_file_names_only_known_classes() -> None:
    words = load_lexicon().words
    assert WORD_CLASSES == tuple(f.name for f in fields(WordClasses))
    for name in WORD_CLASSES:
        members = getattr(words, name)
        assert members and all(w == w.lower() and w.strip() == w for w in members), name
    _, text = table_sources("events/word_classes.tsv")[0]
    used = {line.split("\t")[0] for line in text.splitlines()[1:] if line and not line.startswith("#")} - {"class"}
    assert used == set(WORD_CLASSES)


def test_each_class_is_documented_in_the_file() -> None:
    _, text = table_sources("events/word_classes.tsv")[0]
    for name in WORD_CLASSES:
        assert f"# {name}: " in text, f"word_classes.tsv: no '# {name}: ...' comment saying what the class is for"


def test_a_user_file_adds_words(tmp_path: Path) -> None:
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "word_classes.tsv").write_text(HEADER + "sports_words\tcroquet\t\n", encoding="utf-8")
    builtin, extended = load_lexicon().words, load_lexicon((tmp_path,)).words
    assert "croquet" in extended.sports_words and "croquet" not in builtin.sports_words
    assert builtin.sports_words < extended.sports_words and builtin.people_nouns == extended.people_nouns


@pytest.mark.parametrize("row, reason", [
    ("sport_words\tcroquet\t\n", "unknown word class"),
    ("sports_words\tCroquet\t\n", "lower case"),
    ("sports_words\t\t\n", "lower case"),
])
def test_bad_rows_are_e002(tmp_path: Path, row: str, reason: str) -> None:
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "word_classes.tsv").write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(DotterelError) as exc:
        load_lexicon((tmp_path,))
    assert exc.value.code == "E002" and "word_classes.tsv" in str(exc.value) and reason in str(exc.value)
