"""A document's languages: the codes people write (de, deu, deu+eng, sr-Latn), and telling the
archive's languages apart from a page's text.

Detection is a small, fixed rule rather than a statistical model: the script first (Cyrillic,
Greek, Hebrew), then for each candidate language the share of the text's words that are among
its commonest words, and letters that only some languages use (ß, ä/ö/ü for German; č/ć/đ/š/ž
for Bosnian/Croatian/Serbian; ђ ј љ њ ћ џ for Serbian Cyrillic). A language must hold a clear
share of the words to be named; too little text, or text that fits none, names none. Serbian
written in Cyrillic is "sr"; Bosnian/Croatian/Serbian in Latin letters is "hr", or "sr" where
ekavian and Serbian word forms outnumber the Croatian ones. What a person sets (`import
--lang`, the metadata CSV's language column) is never replaced by a guess.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

# ISO 639-2 (Tesseract's names, what catalogs of this archive hold: "deu", "srp_latn") to the
# ISO 639-1 codes a person types in a query (lang:de).
_TWO_LETTER = {
    "eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "ita": "it", "srp": "sr",
    "hrv": "hr", "bos": "bs", "slv": "sl", "rus": "ru", "pol": "pl", "ces": "cs", "cze": "cs",
    "ell": "el", "spa": "es", "nld": "nl", "dut": "nl", "hun": "hu", "bul": "bg", "ron": "ro",
    "sqi": "sq", "mkd": "mk", "ukr": "uk", "heb": "he", "yid": "yi", "eus": "eu", "lat": "la",
}  # fmt: skip


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# The commonest words of each language the detector knows (folded to lower case). Short and
# frequent: articles, prepositions, pronouns, auxiliaries; words two languages share are left
# in both (they count for each).
_STOP_WORDS: dict[str, frozenset[str]] = {
    lang: _word_set(words)
    for lang, words in {
        "en": "the of and to in is that it was for on are with as his they be at one have this "
        "from by had not but what all were when we there can an which their said if will "
        "would been has more who its into than them these no only other after should",
        "de": "der die das und ist nicht ein eine zu den von mit sich des auf für im dem "
        "sie es auch an als wird werden bei oder aus er nach wie noch einer am sind hat "
        "zum zur über vom durch wurde wurden haben dass daß kann nur ich wir ihr unter "
        "diese dieser gegen",
        "fr": "le la les de des et est un une du en que qui dans pour pas au sur il elle "
        "ne se ce sont par plus avec son sa ses aux nous vous ont été cette mais ou",
        "it": "il lo la gli le di del della dei delle che è e un una per non con sono da "
        "nel nella si al alla ai anche come più ma questo questa ha hanno era stato",
        "hr": "je i u na da se su za od koji koja koje kao što ali ili to bio bila bilo "
        "nije sa iz po do će smo ste sam ga mu joj ih njegov biti kako već",
        "ru": "и в не на что он я с как а то все она так его но из у к по вы за бы же "
        "от о это был была были мы было быть они для при этот только",
        "sr": "и у на да се су за од који која које као што али или то био била било "
        "није са из по до ће смо сте сам га му јој их његов бити како већ",
        "nl": "de het een en van is dat op te in zijn niet met voor er aan ook als bij "
        "door maar om dan nog wel",
    }.items()
}  # fmt: skip
# Letters that point to one language (or a few) in Latin script.
_LETTERS = {
    "de": "äöüß",
    "hr": "čćđšž",
    "fr": "éèêàçùœ",
    "it": "àèéìòù",
}
# Cyrillic letters Serbian has and Russian has not, and the reverse.
_SERBIAN_CYRILLIC = set("ђјљњћџЂЈЉЊЋЏ")
_RUSSIAN_CYRILLIC = set("ыэъёЫЭЪЁ")
# Latin Bosnian/Croatian/Serbian: forms that lean Serbian (ekavian, Serbian words) or
# Croatian (ijekavian, Croatian words and months).
_SERBIAN_FORMS = _word_set(
    "šta ko hiljada hleb vreme vremena mesto mesta reč reči deca dece lepo pesma pesme "
    "mleko reka reke vera veoma uslov uslovi opština opštine voz vazduh srpski srpske "
    "beograd beogradu neprijatelj neprijatelja"
)
_CROATIAN_FORMS = _word_set(
    "što tko tisuća kruh vrijeme vremena mjesto mjesta riječ riječi djeca djece lijepo "
    "pjesma mlijeko rijeka rijeke vjera vrlo uvjet uvjeti općina općine vlak zrak hrvatski "
    "hrvatske zagreb zagrebu siječnja veljače ožujka travnja svibnja lipnja srpnja "
    "kolovoza rujna listopada studenoga prosinca"
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Fewer words than this tell nothing; below this share of stop words a language is not named.
MIN_WORDS = 8
MIN_SHARE = 0.12
# A second language is named too when it holds this much of the first one's share (a page of
# German with an English translation below it).
SECOND_SHARE = 0.6


def two_letter(code: str) -> str:
    """A language code as ISO 639-1 ("deu" and "deu_frak" are "de", "sr-Latn" is "sr"); a
    code not known here lower-cased as it is."""
    base = re.split(r"[-_+]", code.strip().lower(), maxsplit=1)[0]
    return _TWO_LETTER.get(base, base)


def index_terms(codes: Iterable[str]) -> tuple[str, ...]:
    """What the search index holds of a document's languages: each code's ISO 639-1 form
    (what `lang:de` finds) and the code itself, lower-cased (`lang:deu`, as the catalog has
    it)."""
    terms: list[str] = []
    for code in codes:
        written = code.strip().lower()
        for term in (two_letter(written), written):
            if term and " " not in term and term not in terms:
                terms.append(term)
    return tuple(terms)


def split_codes(value: str) -> list[str]:
    """Codes as written on the command line or in a metadata CSV: "de,en", "deu+eng"."""
    return [code.strip() for code in re.split(r"[,+;\s]+", value) if code.strip()]


def detect_languages(texts: Sequence[str], *, max_chars: int = 20000) -> list[str]:
    """The languages of a document's text (its pages), best first, as ISO 639-1 codes: at
    most two, and none when the text is too short or fits no language known here. Reads at
    most `max_chars` of it, taken from the start of each page in turn."""
    budget = max(1, max_chars // max(1, len(texts)))
    sample = " ".join(text[:budget] for text in texts)
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < MIN_WORDS:
        return []
    cyrillic = sum(1 for w in words if _is_cyrillic(w))
    if cyrillic > len(words) / 2:
        return _cyrillic(words)
    scores = _scores(words, ("en", "de", "fr", "it", "hr", "nl"))
    ranked = [lang for lang in _best_first(scores) if scores[lang] >= MIN_SHARE]
    if not ranked:
        return []
    best = scores[ranked[0]]
    chosen = [ranked[0]] + [lang for lang in ranked[1:2] if scores[lang] >= SECOND_SHARE * best]
    return [_latin_south_slavic(words) if lang == "hr" else lang for lang in chosen]


def _is_cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)


def _scores(words: list[str], languages: Sequence[str]) -> dict[str, float]:
    """Each language's share of the words that are its stop words, with a small bonus for
    words holding letters only it (or few others) use."""
    scores: dict[str, float] = {}
    total = len(words)
    for lang in languages:
        stop = _STOP_WORDS[lang]
        share = sum(1 for w in words if w in stop) / total
        letters = _LETTERS.get(lang)
        if letters:
            share += 0.5 * sum(1 for w in words if any(ch in letters for ch in w)) / total
        scores[lang] = share
    return scores


def _cyrillic(words: list[str]) -> list[str]:
    letters = Counter(ch for w in words for ch in w)
    serbian = sum(letters[ch] for ch in _SERBIAN_CYRILLIC)
    russian = sum(letters[ch] for ch in _RUSSIAN_CYRILLIC)
    if serbian > russian:
        return ["sr"]
    if russian > serbian:
        return ["ru"]
    scores = _scores(words, ("sr", "ru"))
    best = _best_first(scores)[0]
    return [best] if scores[best] >= MIN_SHARE else []


def _best_first(scores: dict[str, float]) -> list[str]:
    return sorted(scores, key=lambda lang: -scores[lang])


def _latin_south_slavic(words: list[str]) -> str:
    serbian = sum(1 for w in words if w in _SERBIAN_FORMS)
    croatian = sum(1 for w in words if w in _CROATIAN_FORMS)
    return "sr" if serbian > croatian else "hr"
