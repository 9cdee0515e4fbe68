"""Hand-made coded documents for the web tests (no model needed). Holds no tests itself.

``build_docs()`` returns ``[(CodedDocument, text), ...]``: three news-like documents about
Russia, Ukraine and the United States (every status, every quad class, several months) and one
malicious document whose title and text carry HTML/JS and a spreadsheet formula.
"""

from __future__ import annotations

from dotterel.records.models import (
    ActorRecord,
    CodedDocument,
    DateRecord,
    DocMeta,
    EventMentionRecord,
    EventRecord,
    QuoteRecord,
    SideActor,
    TimeRecord,
    TriggerRecord,
)
from dotterel.store import Store

#: event type -> (cameo, quad class, intensity)
CODES = {"ASSAULT": ("190", 4, -10.0), "ACCUSE": ("112", 3, -2.0), "REJECT": ("120", 3, -4.0),
         "CONSULT": ("040", 1, 1.0), "SANCTION": ("163", 4, -8.0), "THREATEN": ("130", 3, -4.4),
         "AID": ("070", 2, 7.0), "AGREE": ("057", 1, 8.0), "SUPPORT": ("051", 1, 3.4)}
COUNTRIES = {"Russia": "RUS", "Moscow": "RUS", "the Kremlin": "RUS", "Ukraine": "UKR", "Kyiv": "UKR",
             "Washington": "USA", "the United States": "USA", "Kuleba": "UKR", "Lavrov": "RUS", "Blinken": "USA"}


def find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def side(text: str, needle: str, nth: int = 0, sector: str = "GOV") -> SideActor:
    s, e = find(text, needle, nth)
    return SideActor(text=needle, start=s, end=e, name=needle, country=COUNTRIES.get(needle), sector=sector,
                     id=f"test:{needle.lower().replace(' ', '-')}")


def sentence_of(text: str, start: int) -> tuple[int, str]:
    dot = text.rfind(". ", 0, start)
    begin = max(dot + 2 if dot >= 0 else 0, text.rfind("\n", 0, start) + 1)
    end = text.find(".", start)
    return text[:begin].count(". "), text[begin:(end + 1 if end >= 0 else len(text))]


def event(text: str, eid: str, etype: str, trigger: str, actor: str | None, recipient: str | None, *,
          status: str = "asserted", date: str = "2023-03-01", nth: int = 0, reciprocal: bool = False,
          quote: int | None = None, extra_mentions: tuple[str, ...] = ()) -> EventRecord:
    cameo, quad, intensity = CODES[etype]
    s, e = find(text, trigger, nth)
    sent_no, sent = sentence_of(text, s)
    trig = TriggerRecord(text=trigger, start=s, end=e)
    mentions = [EventMentionRecord(sentence=sent_no, sentence_text=sent, trigger=trig)]
    for m in extra_mentions:
        ms, me = find(text, m)
        mentions.append(EventMentionRecord(sentence=sentence_of(text, ms)[0], sentence_text=sentence_of(text, ms)[1],
                                           trigger=TriggerRecord(text=m, start=ms, end=me)))
    return EventRecord(
        id=eid, event_type=etype, mode=None, context=[], cameo=cameo, intensity=intensity, quad_class=quad,
        actor=[side(text, actor)] if actor else [], recipient=[side(text, recipient)] if recipient else [],
        reciprocal=reciprocal, status=status, date=DateRecord(start=date, end=date, text=None, basis="explicit"),
        location=None, attribution=None, sentence=sent_no, sentence_text=sent, trigger=trig, mentions=mentions,
        quote=quote, confidence=0.8)


def actors_in(text: str, names: list[tuple[str, str, str]]) -> list[ActorRecord]:
    """(needle, sector, kind) for every occurrence of each needle."""
    out = []
    for needle, sector, kind in names:
        start = text.find(needle)
        while start >= 0:
            out.append(ActorRecord(text=needle, start=start, end=start + len(needle), name=needle,
                                   country=COUNTRIES.get(needle), sector=sector or None,
                                   id=f"test:{needle.lower().replace(' ', '-')}", kind=kind))
            start = text.find(needle, start + 1)
    return sorted(out, key=lambda a: a.start)


def time_of(text: str, needle: str, value: str) -> TimeRecord:
    s, e = find(text, needle)
    return TimeRecord(text=needle, start_char=s, end_char=e, start=value, end=value, value=value, granularity="day")


def quote_of(text: str, needle: str, speaker: str | None, events: list[str]) -> QuoteRecord:
    s, e = find(text, needle)
    return QuoteRecord(text=needle, start=s, end=e, kind="direct", cue="said", channel=None,
                       speaker=side(text, speaker) if speaker else None, events=events)


def doc_march() -> tuple[CodedDocument, str]:
    text = ("Russia shelled the Ukrainian city of Kharkiv on Wednesday, officials said.\n\n"
            "Kyiv accused Moscow of targeting civilians. \"Russia attacked homes and a school,\" Kuleba said. "
            "Later the Kremlin denied attacking civilian sites.\n\n"
            "Washington will hold talks with Kyiv next week, Blinken said.")
    events = [
        event(text, "m-assault", "ASSAULT", "shelled", "Russia", None, date="2023-03-01",
              extra_mentions=("attacked",)),
        event(text, "m-accuse", "ACCUSE", "accused", "Kyiv", "Moscow", date="2023-03-01"),
        event(text, "m-reject", "REJECT", "denied", "the Kremlin", "Kyiv", status="denied", date="2023-03-01"),
        event(text, "m-consult", "CONSULT", "hold talks", "Washington", "Kyiv", status="planned", date="2023-03-08",
              reciprocal=True),
    ]
    # the recipient of the shelling is the Ukrainian city (no "Ukraine" token): give it Kyiv's country by hand
    events[0].recipient = [SideActor(text="Ukrainian", start=find(text, "Ukrainian")[0], end=find(text, "Ukrainian")[1],
                                     name="Ukraine", country="UKR", sector=None, id="test:ukraine")]
    actors = actors_in(text, [("Russia", "", "name"), ("Kyiv", "GOV", "metonym"), ("Moscow", "GOV", "metonym"),
                              ("Kuleba", "GOV", "name"), ("the Kremlin", "GOV", "metonym"), ("Washington", "GOV", "metonym"),
                              ("Blinken", "GOV", "name")])
    actors.append(ActorRecord(text="Ukrainian", start=events[0].recipient[0].start, end=events[0].recipient[0].end,
                              name="Ukraine", country="UKR", sector=None, id="test:ukraine", kind="demonym"))
    actors.sort(key=lambda a: a.start)
    quotes = [quote_of(text, "Russia attacked homes and a school,", "Kuleba", ["m-assault"])]
    times = [time_of(text, "Wednesday", "2023-03-01"), time_of(text, "next week", "2023-03-08")]
    coded = CodedDocument(doc=DocMeta(id="march-shelling", title="Russia shells Kharkiv; Kyiv accuses Moscow",
                                      published="2023-03-02", published_basis="input", source="Test Wire",
                                      url="https://example.org/march", content_hash="h-march"),
                          actors=actors, events=events, quotes=quotes, times=times)
    return coded, text


def doc_april() -> tuple[CodedDocument, str]:
    text = ("Washington imposed sanctions on Russia on Monday. Moscow threatened to retaliate against Washington. "
            "Officials said the United States delivered air defence systems to Ukraine. "
            "Russia might attack Ukraine's power grid again, analysts said. "
            "Russia did not attack Kyiv overnight. "
            "Ukraine said it shot down drones over Kyiv, which could not be independently verified.")
    events = [
        event(text, "a-sanction", "SANCTION", "imposed sanctions", "Washington", "Russia", date="2023-04-03"),
        event(text, "a-threaten", "THREATEN", "threatened", "Moscow", "Washington", date="2023-04-03"),
        event(text, "a-aid", "AID", "delivered", "the United States", "Ukraine", date="2023-04-04", status="reported"),
        event(text, "a-hypo", "ASSAULT", "attack", "Russia", "Ukraine", nth=0, status="hypothetical", date="2023-04-05"),
        event(text, "a-neg", "ASSAULT", "attack", "Russia", "Kyiv", nth=1, status="negated", date="2023-04-05"),
        event(text, "a-unconf", "ASSAULT", "shot down", "Ukraine", "Russia", status="unconfirmed", date="2023-04-06"),
    ]
    actors = actors_in(text, [("Washington", "GOV", "metonym"), ("Russia", "", "name"), ("Moscow", "GOV", "metonym"),
                              ("the United States", "", "name"), ("Ukraine", "", "name"), ("Kyiv", "GOV", "metonym")])
    times = [time_of(text, "Monday", "2023-04-03")]
    coded = CodedDocument(doc=DocMeta(id="april/sanctions & aid", title="US sanctions Russia, sends air defences to Ukraine",
                                      published="2023-04-04", published_basis="input", source="Test Wire",
                                      content_hash="h-april"),
                          actors=actors, events=events, times=times)
    return coded, text


def doc_may() -> tuple[CodedDocument, str]:
    text = ("Russia and Ukraine held talks in Istanbul on Tuesday and agreed to extend the grain deal. "
            "Washington praised the agreement.")
    events = [
        event(text, "y-consult", "CONSULT", "held talks", "Russia", "Ukraine", reciprocal=True, date="2023-05-16"),
        event(text, "y-agree", "AGREE", "agreed", "Russia", "Ukraine", reciprocal=True, date="2023-05-16"),
        event(text, "y-support", "SUPPORT", "praised", "Washington", "Russia", date="2023-05-17"),
    ]
    actors = actors_in(text, [("Russia", "", "name"), ("Ukraine", "", "name"), ("Washington", "GOV", "metonym")])
    coded = CodedDocument(doc=DocMeta(id="may-talks", title="Russia and Ukraine agree to extend grain deal",
                                      published="2023-05-17", published_basis="input", source="Test Wire",
                                      content_hash="h-may"),
                          actors=actors, events=events, times=[time_of(text, "Tuesday", "2023-05-16")])
    return coded, text


EVIL_TITLE = "<img src=x onerror=alert('title')> Evil headline"
EVIL_TEXT = ("<script>alert(1)</script> Moscow accused Kyiv of <b>plotting</b> a coup & worse.\n\n"
             "=HYPERLINK(\"http://evil.example\",\"click\") Kyiv denied it. <img src=x onerror=alert(2)>")


def doc_evil() -> tuple[CodedDocument, str]:
    text = EVIL_TEXT
    ev = event(text, "evil-accuse", "ACCUSE", "accused", "Moscow", "Kyiv", date="2023-06-01")
    s, e = find(text, "=HYPERLINK")
    ev2 = event(text, "evil-reject", "REJECT", "denied", "Kyiv", "Moscow", date="2023-06-01")
    ev2 = ev2.model_copy(update={"sentence_text": text[s:find(text, "denied it.")[1]]})
    actors = actors_in(text, [("Moscow", "GOV", "metonym"), ("Kyiv", "GOV", "metonym")])
    # an actor span that cuts through the script tag, and a quote crossing it: both must stay inert
    actors.insert(0, ActorRecord(text="script>alert(1)", start=1, end=16, name="<b>Mallory</b>", country="XSS",
                                 sector="GOV", id="x", kind="name"))
    quote = QuoteRecord(text=text[8:40], start=8, end=40, kind="direct", cue="<i>said</i>", channel=None,
                        speaker=None, events=[])
    coded = CodedDocument(doc=DocMeta(id="evil<doc>", title=EVIL_TITLE, published="2023-06-01", published_basis="input",
                                      source="<script>alert(3)</script>", url="javascript:alert(4)", content_hash="h-evil"),
                          actors=actors, events=[ev, ev2], quotes=[quote])
    return coded, text


def build_docs() -> list[tuple[CodedDocument, str]]:
    return [doc_march(), doc_april(), doc_may(), doc_evil()]


def fill_store(store: Store) -> Store:
    store.save_many(build_docs())
    return store
