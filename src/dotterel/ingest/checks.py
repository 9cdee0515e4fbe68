"""Checks that decide whether a document can be coded. Each failure is a stable error code."""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata

from dotterel.errors import ErrorCode, message
from dotterel.ingest.dates import parse_date as parse_date  # re-exported: the date parser's old home
from dotterel.records.models import DocError

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
#: Byte-order marks of the Unicode encodings a file may announce, longest first (UTF-32 LE starts like UTF-16 LE).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Language identification looks at this many uncased words at most (cost does not grow with the text).
LANGUAGE_SAMPLE_WORDS = 400
#: Fewer uncased words than this (a headline, a byline, a list of names) is too little evidence to reject.
LANGUAGE_MIN_WORDS = 5
#: A Latin-script text is rejected only when the identifier gives English less than this probability.
LANGUAGE_MIN_ENGLISH = 0.01


def error(code: ErrorCode, **fields: object) -> DocError:
    return DocError(code=code.value, message=message(code, **fields))


def decode_bytes(data: bytes, max_chars: int) -> tuple[str | None, DocError | None]:
    """Strict decoding with the binary and size checks: UTF-16 or UTF-32 when a byte-order mark says
    so, else UTF-8 (a UTF-8 BOM is dropped)."""
    if len(data) > max_chars * 4:
        return None, error(ErrorCode.TOO_LARGE, size=f"more than {len(data) // 4}", limit=max_chars)
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8-sig")
    if encoding == "utf-8-sig" and b"\x00" in data[:65536]:
        return None, error(ErrorCode.BINARY)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        return None, error(ErrorCode.BAD_ENCODING, position=exc.start)
    return text, None


@functools.lru_cache(maxsize=1)
def _language_identifier():
    """py3langid's identifier with normalised probabilities (its model ships inside the package)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _is_latin(ch: str) -> bool:
    return ch < "\u0250" or "\u1e00" <= ch <= "\u1eff"


def identify_language(text: str) -> tuple[str, float] | None:
    """``(language, probability of English)`` when ``text`` is clearly not English, else None.

    Two rules, both blind to names: (1) a text whose letters are mostly not Latin script is not
    English; (2) otherwise only words that are not capitalised (names, acronyms and headline capitals
    are left out) are shown to the language identifier, and the text is rejected only when there are
    at least ``LANGUAGE_MIN_WORDS`` of them and English gets a probability under
    ``LANGUAGE_MIN_ENGLISH``. A lead made of names is therefore never rejected; a German paragraph is.
    """
    sample = text[:20000]
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters:
        return None
    latin = sum(1 for ch in letters if _is_latin(ch))
    ident = _language_identifier()
    if latin < 0.5 * len(letters):
        language, _ = ident.classify(sample[:3000])
        if language == "en":  # the identifier cannot read this script: name it by its letters
            other = next(ch for ch in letters if not _is_latin(ch))
            language = unicodedata.name(other, "unknown script").split()[0].lower()
        return language, 0.0
    words: list[str] = []
    for match in _WORD.finditer(sample):
        word = match.group()
        if not word[0].isupper():
            words.append(word)
            if len(words) >= LANGUAGE_SAMPLE_WORDS:
                break
    if len(words) < LANGUAGE_MIN_WORDS:
        return None
    ranks = dict(ident.rank(" ".join(words)))
    english = float(ranks.get("en", 0.0))
    if english >= LANGUAGE_MIN_ENGLISH:
        return None
    return max(ranks, key=ranks.__getitem__), english


def check_text(text: str, max_chars: int, check_language: bool) -> DocError | None:
    """The first problem that stops ``text`` from being coded, or None."""
    if not text or not text.strip():
        return error(ErrorCode.EMPTY)
    if len(text) > max_chars:
        return error(ErrorCode.TOO_LARGE, size=len(text), limit=max_chars)
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    if "\x00" in sample or controls > 0.05 * len(sample) or sample.count("\ufffd") > 0.05 * len(sample):
        return error(ErrorCode.BINARY)
    if check_language:
        other = identify_language(sample)
        if other is not None:
            return error(ErrorCode.NOT_ENGLISH, language=other[0])
    return None
