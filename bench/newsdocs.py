"""Real-length news documents for the benchmarks, from texts the project owns.

The project's own gold articles (``gold/articles/*.json``, 316–432 tokens each) and the bundled
example stories (``dotterel/examples``) are news-like but shorter than a typical wire story. A
benchmark document here is a *news digest*: two of those stories, one after the other, separated
by a blank line (headline, dateline and paragraphs intact), published on the first story's date.
Pairs are chosen so that every document has 500–900 tokens (spaCy's tokenizer); with 21 stories
there are about 400 distinct ordered pairs, cycled (with distinct ids) beyond that.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from dotterel.ingest import Document, read_path
from dotterel.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
MIN_TOKENS, MAX_TOKENS = 500, 900


def stories(settings: Settings) -> list[Document]:
    """The project's own news texts: gold articles and bundled examples, one each (by content)."""
    docs: list[Document] = []
    for path in sorted((ROOT / "gold" / "articles").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        published = dt.date.fromisoformat(data["published"]) if data.get("published") else None
        docs.append(Document(id=str(data.get("id") or path.stem), text=data["text"], published=published,
                             published_basis="input", title=data.get("title")))
    examples = resources.files("dotterel").joinpath("examples", "examples.jsonl")
    if examples.is_file():
        with resources.as_file(examples) as p:
            docs.extend(d for d in read_path(Path(p), settings) if not d.errors)
    seen: set[str] = set()
    unique = []
    for d in docs:
        if d.content_hash not in seen:
            seen.add(d.content_hash)
            unique.append(d)
    return unique


def _pairs(base: list[Document], n_tokens: list[int]) -> Iterator[tuple[int, int]]:
    n = len(base)
    for step in range(1, n):
        for i in range(n):
            j = (i + step) % n
            if MIN_TOKENS <= n_tokens[i] + n_tokens[j] + 1 <= MAX_TOKENS:
                yield i, j


def news_documents(n: int, settings: Settings | None = None) -> list[Document]:
    """``n`` digest documents of 500–900 tokens each (see the module docstring)."""
    import spacy

    settings = settings or Settings()
    base = stories(settings)
    tokenizer = spacy.blank("en").tokenizer
    n_tokens = [len(tokenizer(d.text)) for d in base]
    pairs = list(_pairs(base, n_tokens))
    if not pairs:
        raise SystemExit("no pair of the project's stories has 500-900 tokens")
    out = []
    for k in range(n):
        i, j = pairs[k % len(pairs)]
        a, b = base[i], base[j]
        out.append(Document(id=f"digest-{k:05d}-{a.id}+{b.id}", text=f"{a.text.rstrip()}\n\n{b.text.strip()}\n",
                            published=a.published, published_basis=a.published_basis, title=a.title))
    return out


def copies(docs: list[Document]) -> list[Document]:
    """Fresh Document objects (coding appends warnings to a Document: every timed run gets new ones)."""
    return [Document(id=d.id, text=d.text, published=d.published, published_basis=d.published_basis, title=d.title)
            for d in docs]


def write_jsonl(docs: list[Document], path: Path) -> Path:
    """The documents as a JSONL corpus (``id``, ``text``, ``date``, ``title``)."""
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"id": d.id, "text": d.text, "date": d.published.isoformat() if d.published else None,
                                "title": d.title}) + "\n")
    return path
