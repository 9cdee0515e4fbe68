"""Compare two language-identification libraries for Dotterel's English check (issue 12, item 7).

Run: .venv/bin/python bench/langid_compare.py [FOLDER-OF-.txt ...]
English texts: the project's gold articles (gold/articles/*.json "text"), the gold sentences, and
any .txt files in the folders given. Non-English: short samples written for this script.
The third row is the rule Dotterel ships (``dotterel.ingest.checks.identify_language``: py3langid
on the words that are not capitalised, plus a script check). Prints, per library, how many English texts are misjudged, how many non-English texts pass, and the
time per call. Also shows the lowest English probability (how close to the threshold we get).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Our own short samples (invented for this comparison).
NON_ENGLISH = {
    "zh": "外交部发言人周二表示，两国将于下周在首都举行会谈，讨论边境问题和贸易合作。",
    "zh-short": "两国领导人今天举行了会谈。",
    "ja": "両国の外相は火曜日に首都で会談し、国境問題について協議を再開することで合意した。",
    "ru": "Министры иностранных дел двух стран встретились во вторник и договорились возобновить переговоры.",
    "ar": "التقى وزيرا خارجية البلدين يوم الثلاثاء واتفقا على استئناف المحادثات بشأن النزاع الحدودي.",
    "de": "Die Außenminister der beiden Länder trafen sich am Dienstag und vereinbarten neue Gespräche.",
    "fr": "Les ministres des affaires étrangères se sont rencontrés mardi et ont convenu de reprendre les pourparlers.",
    "es": "Los cancilleres de ambos países se reunieron el martes y acordaron reanudar las conversaciones.",
    "pt": "Os chanceleres dos dois países reuniram-se na terça-feira e concordaram em retomar as negociações.",
    "it": "I ministri degli esteri dei due paesi si sono incontrati martedì e hanno deciso di riprendere i colloqui.",
    "tr": "İki ülkenin dışişleri bakanları salı günü bir araya geldi ve görüşmelere devam etme kararı aldı.",
    "ko": "양국 외무장관은 화요일 수도에서 만나 국경 문제에 대한 협상을 재개하기로 합의했다.",
    "hi": "दोनों देशों के विदेश मंत्रियों ने मंगलवार को राजधानी में मुलाकात की और बातचीत फिर से शुरू करने पर सहमति जताई।",
    "id": "Para menteri luar negeri kedua negara bertemu pada hari Selasa dan sepakat untuk melanjutkan perundingan.",
    "nl": "De ministers van buitenlandse zaken kwamen dinsdag bijeen en spraken af de gesprekken te hervatten.",
}
# English texts dominated by names (invented): must never be rejected.
NAMEY_ENGLISH = {
    "names-lead": "Vladimir Putin, Xi Jinping, Narendra Modi, Luiz Inacio Lula da Silva, Cyril Ramaphosa, "
    "Recep Tayyip Erdogan, Mohammed bin Salman, Abdel Fattah el-Sisi and Joko Widodo met in Johannesburg.",
    "names-list": "Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan: Tokayev, Japarov, Rahmon, "
    "Berdimuhamedow, Mirziyoyev.",
    "headline": "MODI, SHARIF MEET IN ASTANA",
    "byline": "By Nguyen Van Thanh and Oluwaseun Adeyemi-Okonkwo",
    "dateline": "KYIV, Ukraine (AP) — Zelenskyy met Stoltenberg.",
}


def english_texts(folders: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in sorted((ROOT / "gold" / "articles").glob("*.json")):
        out[p.stem] = json.loads(p.read_text(encoding="utf-8"))["text"]
    sents = json.loads((ROOT / "gold" / "sentences.json").read_text(encoding="utf-8"))["records"]
    for k, r in enumerate(sents):
        out[f"sentence-{k}"] = r["text"]
    for folder in folders:
        for p in sorted(Path(folder).glob("*.txt")):
            if p.name != "README.txt":
                out[p.name] = p.read_text(encoding="utf-8")
    return out


def main() -> None:
    import py3langid
    from lingua import LanguageDetectorBuilder

    t0 = time.perf_counter()
    lingua_detector = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()
    lingua_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    py3langid.classify("warm up the model")
    langid_load = time.perf_counter() - t0
    from lingua import Language

    def lingua_is_en(text: str) -> tuple[bool, float]:
        conf = lingua_detector.compute_language_confidence(text[:3000], Language.ENGLISH)
        best = lingua_detector.detect_language_of(text[:3000])
        return best == Language.ENGLISH, conf

    def langid_is_en(text: str) -> tuple[bool, float]:
        lang, _ = py3langid.classify(text[:3000])
        ranks = dict(py3langid.rank(text[:3000]))
        return lang == "en", ranks.get("en", float("-inf"))

    from dotterel.ingest.checks import identify_language

    def dotterel_is_en(text: str) -> tuple[bool, float]:
        """The rule Dotterel ships: py3langid on uncased words, script check, names never reject."""
        return identify_language(text) is None, 0.0

    english = english_texts(sys.argv[1:])
    english.update(NAMEY_ENGLISH)
    for name, fn, load in (("py3langid", langid_is_en, langid_load), ("lingua", lingua_is_en, lingua_load),
                           ("dotterel", dotterel_is_en, 0.0)):
        t0 = time.perf_counter()
        false_reject = [k for k, t in english.items() if not fn(t)[0]]
        false_accept = [k for k, t in NON_ENGLISH.items() if fn(t)[0]]
        n = len(english) + len(NON_ENGLISH)
        per_call = (time.perf_counter() - t0) / n * 1000
        print(f"{name:10s} load {load:5.2f}s  {per_call:6.2f} ms/text  english rejected {len(false_reject)}/{len(english)}"
              f"  non-english accepted {len(false_accept)}/{len(NON_ENGLISH)}")
        if false_reject:
            print("   rejected:", false_reject[:15])
        if false_accept:
            print("   accepted:", false_accept)


if __name__ == "__main__":
    main()
