"""Identifier detection with known truth, for `python -m bench identifiers`.

`REFERENCES`: archival references as published footnotes write them (Nuremberg codes in both
orders, ranges and lists, NARA and USHMM record groups, captured-records microfilm, Bundesarchiv,
PA AA, trial volumes, the Zbornik), each set in sentences in English, German and
Serbo-Croatian. `NEAR_MISSES`: prose that names no document ("PS 2", "L 79", years, pages).
`score` counts what find_identifiers gets right; `extra_schemes` writes 90 plausible schemes of
other archives, for the speed of detection with 100 schemes loaded; `long_article` writes a
10,000-word article citing in all these forms.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.corpus import filler_text
from reader.identifiers import FoundIdentifier

Finder = Callable[[str], list[FoundIdentifier]]

# (as written, the canonical forms it names)
_FORMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("NOKW-1088", ("NOKW-1088",)),
    ("NOKW 2523", ("NOKW-2523",)),
    ("NOKW–1608", ("NOKW-1608",)),
    ("Doc. NOKW-1146", ("NOKW-1146",)),
    ("Doc. NO-3012", ("NO-3012",)),
    ("Document No. NO 5193", ("NO-5193",)),
    ("NG-2586", ("NG-2586",)),
    ("NI 6647", ("NI-6647",)),
    ("USSR-35", ("USSR-35",)),
    ("USSR 279", ("USSR-279",)),
    ("PS-1014", ("PS-1014",)),
    ("PS-1014a", ("PS-1014a",)),
    ("1919-PS", ("PS-1919",)),
    ("498-PS", ("PS-498",)),
    ("Doc. 386-PS", ("PS-386",)),
    ("PS 3876", ("PS-3876",)),
    ("L-79", ("L-79",)),
    ("79-L", ("L-79",)),
    ("C-123", ("C-123",)),
    ("123-C", ("C-123",)),
    ("EC-68", ("EC-68",)),
    ("68-EC", ("EC-68",)),
    ("D-728", ("D-728",)),
    ("728-D", ("D-728",)),
    ("Doc. D 728", ("D-728",)),
    ("R-135", ("R-135",)),
    ("135-R", ("R-135",)),
    ("TC-23", ("TC-23",)),
    ("23-TC", ("TC-23",)),
    ("UK-20", ("UK-20",)),
    ("20-UK", ("UK-20",)),
    ("NOKW-1088/1090", ("NOKW-1088", "NOKW-1090")),
    ("NOKW-1088 to 1091", ("NOKW-1088", "NOKW-1089", "NOKW-1090", "NOKW-1091")),
    ("NOKW-1088, -1090, -1092", ("NOKW-1088", "NOKW-1090", "NOKW-1092")),
    ("NOKW-2523 bis 2525", ("NOKW-2523", "NOKW-2524", "NOKW-2525")),
    ("NO-3012 do 3014", ("NO-3012", "NO-3013", "NO-3014")),
    ("NOKW-1608–10", ("NOKW-1608", "NOKW-1609", "NOKW-1610")),
    ("NOKW-1146 and -1150", ("NOKW-1146", "NOKW-1150")),
    ("RG 242", ("RG-242",)),
    ("Record Group 238", ("RG-238",)),
    ("RG-59", ("RG-59",)),
    ("NARA, RG 226", ("RG-226",)),
    ("Record Group 153", ("RG-153",)),
    ("RG 338", ("RG-338",)),
    ("USHMM, RG-49.006M", ("USHMM-RG-49.006M",)),
    ("RG-49.006M", ("USHMM-RG-49.006M",)),
    ("USHMM, RG 49", ("USHMM-RG-49",)),
    ("USHMM Archives, RG-11.001M.01", ("USHMM-RG-11.001M.01",)),
    ("RG-15.007M", ("USHMM-RG-15.007M",)),
    ("T-501, roll 264, frame 000485", ("T-501/R-264",)),
    ("T-501/264/000485", ("T-501/R-264",)),
    ("T-501, R. 264, F. 480–89", ("T-501/R-264",)),
    ("Microcopy T-315, Roll 2286", ("T-315/R-2286",)),
    ("T-501, roll 255", ("T-501/R-255",)),
    ("T-311, reel 191", ("T-311/R-191",)),
    ("T-312, roll 465, frames 8054321–25", ("T-312/R-465",)),
    ("NAV-T-501, r. 264, s. 485", ("T-501/R-264",)),
    ("NAV-T-311, r. 196, s. 1102", ("T-311/R-196",)),
    ("T-77, roll 1420", ("T-77/R-1420",)),
    ("BArch RH 26-118/20", ("BArch-RH-26-118/20",)),
    ("BA-MA RW 40/38", ("BArch-RW-40/38",)),
    ("BArch R 70 SU/33", ("BArch-R-70-SU/33",)),
    ("BA-MA RH 26-118/20", ("BArch-RH-26-118/20",)),
    ("BA-MA, RH 24-15/52, fol. 2", ("BArch-RH-24-15/52",)),
    ("BArch NS 19/1234, Bl. 2", ("BArch-NS-19/1234",)),
    ("BArch, R 43 II/1234", ("BArch-R-43-II/1234",)),
    ("BA-MA RH 19 XI/7", ("BArch-RH-19-XI/7",)),
    ("PA AA, R 29680", ("PAAA-R-29680",)),
    ("PA AA, R 100998", ("PAAA-R-100998",)),
    ("PA AA, Büro St.S., Kroatien", ("PAAA-Büro-St.S.-Kroatien",)),
    ("PA AA, Inland II g, Kroatien", ("PAAA-Inland-II-g-Kroatien",)),
    ("IMT, vol. XXXVII, p. 123", ("IMT-37",)),
    ("TMWC, vol. 11, pp. 456–57", ("IMT-11",)),
    ("IMT, vol. IV, p. 478", ("IMT-4",)),
    ("IMG, Bd. XXXVII, S. 123", ("IMG-37",)),
    ("IMG, Bd. 26, S. 102 f.", ("IMG-26",)),
    ("NMT, vol. XI, p. 1234", ("NMT-11",)),
    ("TWC, vol. XI, pp. 1230–35", ("NMT-11",)),
    ("Zbornik NOR, tom IV, knj. 11, dok. 45", ("Zbornik-IV/11",)),
    (
        "Zbornik dokumenata i podataka o narodnooslobodilačkom ratu, tom IV, knjiga 11, dok. 45",
        ("Zbornik-IV/11",),
    ),
    ("Zbornik NOR, tom XII, knj. 3, dok. 112", ("Zbornik-XII/3",)),
    ("Zbornik NOR, tom 4, knj. 20, str. 210", ("Zbornik-IV/20",)),
)

# Sentences of footnotes and prose around a reference ("{}"), in English, German and
# Serbo-Croatian.
_FRAMES = (
    "See {}, for the order of 12 March 1943.",
    "The report ({}) was forwarded to Belgrade on 3 April.",
    "{} records the reprisal quota of one hundred for one.",
    "Cited after {}; the original is lost.",
    "Vgl. {}.",
    "Der Befehl ist überliefert in {}, ohne Datum.",
    "So auch {} und die Tagesmeldungen der Division.",
    "Vidi {}.",
    "Naređenje je sačuvano u {}, kako navodi autor.",
    "Izveštaj ({}) govori o represalijama u selima kod Foče.",
)

# Prose naming no document.
NEAR_MISSES: tuple[str, ...] = (
    "PS 2: he added a line in his own hand.",
    "In a PS 2 weeks later he wrote again.",
    "The division held the L 79 sector along the river.",
    "Losses in the L 79 area were heavy.",
    "The C 1943 draft was never sent.",
    "Plan C 12 was abandoned.",
    "RG 49.5 percent of the villages were burnt.",
    "In 1943 and 1944 the division moved twice.",
    "Between 1941-1945 the region changed hands.",
    "See pp. 123–45 of the diary.",
    "On page 1088 the author returns to the question.",
    "The T-34 tanks reached the river.",
    "The T 12 column waited.",
    "The UK 1943 campaign in Italy.",
    "He said NO. 5 times over.",
    "In 1943-C the weather turned.",
    "The 3-D model of the camp.",
    "NOKW1088 glued to a word is not a citation.",
    "NOKWA-1088 is no series.",
    "The IMT sat in Nuremberg from November 1945.",
    "The BArch holds the files of the division.",
    "The BA-MA in Freiburg was closed that week.",
    "PA AA holdings are in Berlin.",
    "Zbornik radova, tom 4, was published in 1985.",
    "The Zbornik NOR volumes appeared from 1949 on.",
    "Von 1941 bis 1945 lag die Division in Serbien.",
    "Im Jahre 1942, S. 12, ist davon die Rede.",
    "Od 1941. do 1945. godine.",
    "U knjizi 11, str. 45, pisac tvrdi drugačije.",
    "Record groups of the Army are described in the guide.",
    "The Army Group E war diary, vol. 3, p. 45.",
    "Kapitel D 4 behandelt den Winter.",
    "the 4-C tanks",
    "At 10:45 the R 35 tanks moved.",
    "The D-Day landings were delayed.",
    "L. 79 reads differently.",
    "Pages 1088–1090 are missing.",
    "Ordnance No. 1088 of 1943.",
    "The USHMM opened in 1993.",
    "Rg 7 was a railway gun.",
)


@dataclass(frozen=True)
class Reference:
    sentence: str
    written: str
    canonicals: tuple[str, ...]


def references() -> list[Reference]:
    """Every form in three sentences (English, German, Serbo-Croatian, as the frames fall):
    more than 200 references."""
    result = []
    for index, (written, canonicals) in enumerate(_FORMS):
        for shift in (0, 4, 7):
            frame = _FRAMES[(index + shift) % len(_FRAMES)]
            result.append(Reference(frame.format(written), written, canonicals))
    return result


@dataclass
class Score:
    expected: int = 0
    found_right: int = 0
    false_matches: list[tuple[str, str]] = field(default_factory=list)  # (sentence, canonical)
    missed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found_right / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        found = self.found_right + len(self.false_matches)
        return self.found_right / found if found else 1.0


def score(find: Finder) -> Score:
    result = Score()
    for reference in references():
        want = Counter(reference.canonicals)
        got = Counter(f.canonical for f in find(reference.sentence))
        result.expected += sum(want.values())
        result.found_right += sum((want & got).values())
        result.false_matches += [(reference.sentence, c) for c in (got - want).elements()]
        result.missed += [(reference.sentence, c) for c in (want - got).elements()]
    for sentence in NEAR_MISSES:
        result.false_matches += [(sentence, f.canonical) for f in find(sentence)]
    return result


# ---------------------------------------------------------------- 100 schemes, a long article

_ARCHIVES = (
    ("AJ", "Arhiv Jugoslavije, Belgrade"),
    ("HDA", "Hrvatski državni arhiv, Zagreb"),
    ("VA", "Vojni arhiv, Belgrade"),
    ("ARS", "Arhiv Republike Slovenije, Ljubljana"),
    ("ABiH", "Arhiv Bosne i Hercegovine, Sarajevo"),
    ("IAB", "Istorijski arhiv Beograda"),
    ("HStAS", "Hauptstaatsarchiv Stuttgart"),
    ("BayHStA", "Bayerisches Hauptstaatsarchiv, Munich"),
    ("StAN", "Staatsarchiv Nürnberg"),
    ("LAB", "Landesarchiv Berlin"),
    ("IfZ", "Institut für Zeitgeschichte, Munich"),
    ("ÖStA", "Österreichisches Staatsarchiv, Vienna"),
    ("KA", "Kriegsarchiv, Vienna"),
    ("TNA", "The National Archives, Kew"),
    ("IWM", "Imperial War Museum, London"),
    ("YVA", "Yad Vashem Archives, Jerusalem"),
    ("AAN", "Archiwum Akt Nowych, Warsaw"),
    ("IPN", "Instytut Pamięci Narodowej, Warsaw"),
    ("GARF", "State Archive of the Russian Federation, Moscow"),
    ("RGVA", "Russian State Military Archive, Moscow"),
    ("TsAMO", "Central Archive of the Ministry of Defence, Podolsk"),
    ("SHD", "Service historique de la Défense, Vincennes"),
    ("ACS", "Archivio Centrale dello Stato, Rome"),
    ("AUSSME", "Archivio dell'Ufficio Storico dello Stato Maggiore dell'Esercito, Rome"),
    ("NIOD", "NIOD Institute for War, Holocaust and Genocide Studies, Amsterdam"),
    ("DAS", "Državni arhiv Srbije"),
    ("MSA", "Military State Archive, Sofia"),
    ("ELIA", "Hellenic Literary and Historical Archive, Athens"),
    ("WL", "Wiener Holocaust Library, London"),
    ("ITS", "Arolsen Archives (International Tracing Service)"),
)


_FOND = (
    r"(?<![\w-]){key},?\s(?:fond|f\.|Bestand)\s?(?P<fonds>\d{{1,4}}),?\s"
    r"(?:box|k\.|kutija|Karton)\s?(?P<box>\d{{1,4}})"
    r"(?:,?\s(?:folder|fasc\.|f\.)\s?(?P<folder>\d{{1,4}}))?(?!\w)"
)
_SIGNATURE = r"(?<![\w-]){key}\s(?P<series>[A-Z]{{1,3}})\s?(?P<a>\d{{1,4}})/(?P<b>\d{{1,5}})(?!\w)"
_NUMBER = r"(?<![\w-]){key}[\s-](?:Nr\.\s?|No\.\s?)(?P<number>\d{{1,6}})(?!\w)"


def extra_schemes_toml() -> str:
    """90 schemes of other archives (three shapes of reference for each of 30 archives), in
    the format of a library's identifier_schemes.toml."""
    blocks = []
    for key, archive in _ARCHIVES:
        code = key.lower()
        fond, signature, number = (p.format(key=key) for p in (_FOND, _SIGNATURE, _NUMBER))
        blocks.append(
            f"""
[[scheme]]
name = "{code}-fond"
archive = "{archive}"
keys = ["{key}"]
patterns = ['''{fond}''']
canonical = ["{key}-{{fonds}}/{{box}}/{{folder}}", "{key}-{{fonds}}/{{box}}"]
examples = [{{ written = "{key}, fond 110, box 12", canonical = "{key}-110/12" }}]

[[scheme]]
name = "{code}-signature"
archive = "{archive}"
keys = ["{key}"]
patterns = ['''{signature}''']
canonical = "{key}-{{series}}-{{a|int}}/{{b|int}}"
examples = [{{ written = "{key} MF 12/345", canonical = "{key}-MF-12/345" }}]

[[scheme]]
name = "{code}-number"
archive = "{archive}"
keys = ["{key}"]
patterns = ['''{number}''']
canonical = "{key}-Nr-{{number|int}}"
examples = [{{ written = "{key} Nr. 4711", canonical = "{key}-Nr-4711" }}]
"""
        )
    return "".join(blocks)


EXTRA_EXAMPLES = (
    ("AJ, fond 110, box 12", "AJ-110/12"),
    ("HDA, fond 1450, kutija 3, f. 2", "HDA-1450/3/2"),
    ("TNA WO 204/8874", "TNA-WO-204/8874"),
    ("YVA Nr. 4711", "YVA-Nr-4711"),
    ("IfZ MA 1564/12", "IfZ-MA-1564/12"),
)


def long_article(words: int = 10_000, seed: int = 15) -> tuple[str, int]:
    """An article of about `words` words whose notes cite in every form above (and in the
    extra schemes' forms): its text and the number of documents it names."""
    rng = random.Random(seed)
    prose = filler_text(seed, words).split(". ")
    forms = [*_FORMS, *((w, (c,)) for w, c in EXTRA_EXAMPLES)]
    named = 0
    parts = []
    for index, sentence in enumerate(prose):
        parts.append(sentence)
        if index % 4 == 3:
            written, canonicals = rng.choice(forms)
            frame = rng.choice(_FRAMES)
            parts.append(frame.format(written).rstrip("."))
            named += len(canonicals)
    return ". ".join(parts), named


@dataclass(frozen=True)
class Timing:
    words: int
    named: int
    schemes: int
    seconds: float  # median
    found: int


def time_detection(folder: Path, rounds: int = 9) -> tuple[Timing, Timing]:
    """find_identifiers over the long article: with the built-in table, and with 90 extra
    schemes written to `folder` as a library's scheme file (100 in all); medians of `rounds`."""
    from reader.identifiers import find_identifiers
    from reader.schemes import builtin_schemes, load_schemes

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "identifier_schemes.toml"
    path.write_text(extra_schemes_toml(), encoding="utf-8")
    article, named = long_article()
    words = len(article.split())
    timings = []
    for table in (builtin_schemes(), load_schemes(path)):
        find_identifiers(article, schemes=table)  # warm
        seconds = []
        for _ in range(rounds):
            started = time.perf_counter()
            found = find_identifiers(article, schemes=table)
            seconds.append(time.perf_counter() - started)
        timings.append(
            Timing(words, named, len(table.schemes), statistics.median(seconds), len(found))
        )
    return timings[0], timings[1]


def catalog_identifiers(count: int = 5000) -> list[str]:
    """A catalog's identifiers, most with no scheme of their own ("Box 7/12", "ZStL ...")."""
    rng = random.Random(count)
    part = count // 5
    result = [f"NOKW-{n}" for n in rng.sample(range(1, 4000), part)]
    result += [f"Box {rng.randint(1, 400)}/{rng.randint(1, 60)}" for _ in range(part)]
    result += [f"ZStL 503 AR {rng.randint(1, 4000)}/{rng.randint(59, 80)}" for _ in range(part)]
    result += [f"AVII, k. {rng.randint(1, 2000)}, f. {rng.randint(1, 20)}" for _ in range(part)]
    result += [f"Fonds {rng.randint(1, 300)} Nr. {rng.randint(1, 9999)}" for _ in range(part)]
    return result


def time_variants(rounds: int = 5) -> tuple[int, float, int]:
    """find_identifiers over the long article with a 5,000-identifier catalog matched in its
    variants (and a few written in the article): catalog size, median seconds, found."""
    from reader.identifiers import find_identifiers, variants_matcher

    catalog = catalog_identifiers()
    article, _named = long_article()
    article += " See box 7-12, ZStL 503 AR Nr. 1234/65 and AVII, k. 12, f. 3."
    known = variants_matcher([*catalog, "Box 7/12", "ZStL 503 AR 1234/65", "AVII, k. 12, f. 3"])
    seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        found = find_identifiers(article, known=known)
        seconds.append(time.perf_counter() - started)
    return len(catalog) + 3, statistics.median(seconds), len(found)
