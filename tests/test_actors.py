"""Actor resolution, one construction per test, on short texts coded by the real pipeline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dotterel.ingest import document_from_text
from dotterel.pipeline import Coder
from dotterel.settings import Settings


def actors(coder: Coder, text: str, day: dt.date = dt.date(2023, 3, 17)) -> dict[str, list[tuple]]:
    coded = coder.code(document_from_text(text, "t", Settings(), date=day))
    out: dict[str, list[tuple]] = {}
    for a in coded.actors:
        out.setdefault(a.text, []).append((a.name, a.country, a.sector))
    return out


def one(found: dict[str, list[tuple]], text: str) -> tuple:
    assert text in found, f"{text!r} not among {sorted(found)}"
    return found[text][0]


def test_known_office_holder_with_title(coder) -> None:
    found = actors(coder, "Chinese President Xi Jinping arrived in Moscow on Monday.")
    assert one(found, "Chinese President Xi Jinping") == ("Xi Jinping", "CHN", "GOV")


def test_office_holder_depends_on_the_date(coder) -> None:
    assert one(actors(coder, "President Putin met the envoy.", dt.date(2023, 3, 17)), "President Putin")[1:] == ("RUS", "GOV")
    found = actors(coder, "Boris Yeltsin signed the decree on Tuesday.", dt.date(1998, 6, 2))
    assert one(found, "Boris Yeltsin") == ("Boris Yeltsin", "RUS", "GOV")
    later = actors(coder, "Boris Yeltsin criticised the government on Tuesday.", dt.date(2001, 6, 5))
    assert one(later, "Boris Yeltsin") == ("Boris Yeltsin", "RUS", "ELI")


def test_former_title_is_an_elite(coder) -> None:
    found = actors(coder, "Former Israeli Prime Minister Ehud Olmert criticised the plan.", dt.date(2015, 1, 5))
    name, country, sector = one(found, "Former Israeli Prime Minister Ehud Olmert")
    assert (country, sector) == ("ISR", "ELI")


def test_unknown_person_with_title_and_nationality(coder) -> None:
    found = actors(coder, "Georgian President Eduard Shevardnadze called for calm.", dt.date(1996, 4, 2))
    name, country, sector = one(found, "Georgian President Eduard Shevardnadze")
    assert (country, sector) == ("GEO", "GOV") and "Shevardnadze" in name


@pytest.mark.parametrize(
    ("text", "span", "country", "sector"),
    [
        ("Serb forces shelled the town overnight.", "Serb forces", "SRB", "MIL"),
        ("Palestinian protesters threw stones at soldiers.", "Palestinian protesters", "PSE", "CVL"),
        ("Israeli police detained two suspects.", "Israeli police", "ISR", "COP"),
        ("The Kremlin rejected the proposal.", "Kremlin", "RUS", "GOV"),
        ("The Pentagon announced new deployments.", "Pentagon", "USA", "MIL"),
        ("Beijing protested the visit.", "Beijing", "CHN", "GOV"),
        ("Kyiv welcomed the decision.", "Kyiv", "UKR", "GOV"),
    ],
)
def test_nationality_sector_and_metonyms(coder, text: str, span: str, country: str, sector: str) -> None:
    assert one(actors(coder, text), span)[1:] == (country, sector)


def test_compound_nationalities_are_two_actors(coder) -> None:
    found = actors(coder, "Senior Hungarian and Romanian officials agreed on Wednesday to cooperate.")
    got = {(c, s) for _, c, s in found["Senior Hungarian and Romanian officials"]}
    assert got == {("HUN", "GOV"), ("ROU", "GOV")}


def test_armed_group_and_un_body(coder) -> None:
    found = actors(coder, "The rebel Sudan People's Liberation Army (SPLA) attacked a garrison.")
    assert any(c == "SDN" and s == "REB" for vals in found.values() for _, c, s in vals)
    court = actors(coder, "The U.N. war crimes court indicted three officers.")
    assert any(c == "UNO" and s == "JUD" for vals in court.values() for _, c, s in vals), court


def test_surname_and_role_nouns_corefer(coder) -> None:
    found = actors(coder, "Chinese President Xi Jinping will visit Russia. Xi said the Chinese leader "
                          "would stay three days.")
    assert one(found, "Xi")[0] == "Xi Jinping"
    assert one(found, "Chinese leader")[0] == "Xi Jinping"


def test_counterpart_takes_the_owner_office(coder) -> None:
    text = ("In a call on Thursday with his Ukrainian counterpart, China's new foreign minister, Qin Gang, "
            "said Beijing was concerned.")
    found = actors(coder, text)
    assert one(found, "his Ukrainian counterpart")[:2] == ("Dmytro Kuleba", "UKR")


def test_pronouns_and_it_said_in_a_statement(coder) -> None:
    text = ("The visit was confirmed by the Kremlin. “The leaders will discuss trade,” it said in a statement. "
            "Foreign Minister Sergei Lavrov said he would attend.")
    found = actors(coder, text)
    assert one(found, "it") == ("Kremlin", "RUS", "GOV")
    assert one(found, "he")[0] == "Sergei Lavrov"


def test_the_two_leaders_and_the_two_countries(coder) -> None:
    text = ("Russian President Vladimir Putin will host Chinese President Xi Jinping next week. The two leaders "
            "will sign agreements that deepen ties between the two countries.")
    found = actors(coder, text)
    assert {n for n, _, _ in found["two leaders"]} == {"Vladimir Putin", "Xi Jinping"}
    assert {c for _, c, _ in found["two countries"]} == {"RUS", "CHN"}


def test_domestic_actor_takes_its_country_from_context(coder) -> None:
    found = actors(coder, "Police fired tear gas at protesters in Nairobi, Kenya on Monday.")
    assert one(found, "Police")[1:] == ("KEN", "COP")


def test_ethnic_group_is_not_the_kin_state(coder) -> None:
    found = actors(coder, "Serb forces killed three ethnic Albanians in southern Serbia on Friday.")
    assert one(found, "three ethnic Albanians")[1] == "SRB"


def test_stable_ids_across_documents(coder) -> None:
    a = coder.code(document_from_text("Vladimir Putin spoke on Monday.", "a", Settings(), date=dt.date(2023, 3, 17)))
    b = coder.code(document_from_text("Russian President Vladimir Putin arrived.", "b", Settings(), date=dt.date(2023, 3, 20)))
    ida = {x.id for x in a.actors if x.name == "Vladimir Putin"}
    idb = {x.id for x in b.actors if x.name == "Vladimir Putin"}
    assert ida and ida == idb


def test_user_resource_files_extend_the_gazetteer(tmp_path: Path) -> None:
    d = tmp_path / "actors"
    d.mkdir()
    (d / "office_holders.tsv").write_text(
        "name\taliases\tcountry\toffice\tsector\tstart\tend\twikidata\n"
        "Zorana Testic\tTestic\tSRB\tforeign_minister\tGOV\t2030-01-01\t\t\n", encoding="utf-8")
    coder = Coder(Settings(resource_dirs=(tmp_path,)))
    coded = coder.code(document_from_text("Serbian Foreign Minister Zorana Testic met envoys.", "u", Settings(),
                                          date=dt.date(2031, 5, 1)))
    assert any(a.name == "Zorana Testic" and a.country == "SRB" and a.sector == "GOV" for a in coded.actors)


def test_bad_user_file_is_a_clear_error(tmp_path: Path) -> None:
    from dotterel.errors import DotterelError

    d = tmp_path / "actors"
    d.mkdir()
    (d / "office_holders.tsv").write_text("name\taliases\tcountry\toffice\tsector\tstart\tend\twikidata\n"
                                          "Someone\t\tSRB\tforeign_minister\tGOV\tnot-a-date\t\t\n", encoding="utf-8")
    with pytest.raises(DotterelError) as exc:
        Coder(Settings(resource_dirs=(tmp_path / "nonexistent", tmp_path)))
    assert "E002" in str(exc.value) and "office_holders.tsv" in str(exc.value)
