"""Citation sets with known ground truth, for `python -m bench citations`.

`build_set` writes a realistic archive (noisy typewritten scans, born-digital PDFs, distractors
with neighbouring identifiers and near-identical wording, secondary works) and one article that
cites about seventy things in it, some of them absent. `speed_article` writes a long article
that quotes and names pages of the large born-digital corpus. `score` compares what the library
resolved with the truth.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

from bench.corpus import born_digital_pdf, filler_text, scanned_pdf, typewritten_image
from reader.records import CitationInfo


@dataclass(frozen=True)
class Primary:
    """A primary document: its file stem and one passage worth quoting per page ("" for none)."""

    stem: str
    passages: tuple[str, ...]
    scanned: bool = False
    header: str = ""
    title: str = ""
    author: str = ""


@dataclass(frozen=True)
class Work:
    """A secondary work in the archive, found by author and title."""

    stem: str
    title: str
    author: str
    date: str
    as_html: bool = True


@dataclass(frozen=True)
class Expected:
    """One citation the article makes and where it should lead (target None: a gap)."""

    kind: str  # identifier | quote | work
    written: str  # as the article writes it (a quote: its words, without the marks)
    key: str  # identifier: canonical form; quote: its first words; work: the author's surname
    target: str | None  # file stem of the cited document
    page: int = 1
    marks: str = "“”"  # a quote's marks; "" for a block quote


Part = str | Expected


def _header(unit: str, stem: str, ref: str, date: str) -> str:
    return f"{unit}    {stem}\n{ref} secret    {date}\n"


PRIMARIES: tuple[Primary, ...] = (
    Primary("NOKW-1088", (
        "The battalions reported the roads to Gacko open again after the thaw.",
        "The bands withdrew from the villages near Nevesinje during the night. The order stood: "
        "no village that sheltered the bands was to be spared, and the supply columns were to "
        "move only by day under escort of two companies.",
        "Losses of the second battalion: four dead, eleven wounded. The railway bridge at Mostar "
        "was repaired by the engineers and opened to traffic on the morning of the tenth.",
    ), scanned=True, header=_header("HEADQUARTERS 118th JAEGER DIVISION", "NOKW-1088",
                                    "Ia No. 612/43", "12 March 1943")),
    Primary("NOKW-1080", (
        "The bands were reported near the villages south of Nevesinje. The supply columns moved "
        "by night without escort, and the order to spare no village was not received.",
    ), scanned=True, header=_header("HEADQUARTERS 118th JAEGER DIVISION", "NOKW-1080",
                                    "Ia No. 598/43", "9 March 1943")),
    Primary("NOKW-1081", (
        "",
        "The commander of the 718th Division asked that the hostages taken at Rogatica be handed "
        "over to the field police before the end of the week.",
    )),
    Primary("NOKW-1092", (
        "The telephone line between Foca and Kalinovik was cut in eleven places during the night "
        "of the fourth.",
        "Rations for the Italian garrison at Gacko were to be drawn from the German depot at "
        "Mostar until further notice.",
    ), scanned=True),
    Primary("NOKW-1107", (
        "",
        "No further requisitions of horses or wagons are to be made in the district of Livno "
        "without the written consent of the Croatian authorities.",
    ), scanned=True),
    Primary("NOKW-1170", (
        "The reprisal quota laid down in the order of 16 September 1941 is to be applied without "
        "exception in the district of Valjevo.",
    ), scanned=True),
    Primary("NOKW-1701", (
        "",
        "The refugees who crossed the Drina at Visegrad were turned back by the Italian frontier "
        "guards and returned to Rogatica on foot.",
    ), scanned=True),
    Primary("NOKW-843", (
        "The engineer company reported that the ferry at Brod could carry no more than two "
        "lorries at a time while the river stood high.",
    )),
    Primary("NOKW-2115", (
        "In the Kraljevo sector the enemy bands have been reinforced by deserters from the "
        "Serbian gendarmerie, who brought their arms and ammunition with them.",
        "Hostages are to be taken from all sections of the population, including the families of "
        "officers who have left for the forests.",
    ), scanned=True),
    Primary("NOKW-2151", (
        "In the Kraljevo sector the bands were not reinforced, and the gendarmerie posts at Uzice "
        "held their arms until the relief column arrived.",
    ), scanned=True),
    Primary("NO-4410", (
        "",
        "The plenipotentiary for the economy in Serbia requested that the copper mines at Bor be "
        "guarded by German troops and not by the Bulgarian occupation forces.",
    ), scanned=True, header="Office of the Plenipotentiary for the Economy    NO-4410\n"),
    Primary("NG-2586", (
        "The Foreign Office was informed that the deportations from the Croatian coast could not "
        "proceed while the Italian authorities withheld their consent.",
    ), scanned=True, header="Foreign Office, Inland II    NG-2586\n"),
    Primary("NI-5417", (
        "",
        "The firm asked for three hundred additional workers from the camp at Zemun, since the "
        "bauxite quota for the second quarter could not otherwise be met.",
    ), scanned=True, header="Minutes of the works council    NI-5417\n"),
    Primary("PS-1014", (
        "",
        "The meeting closed with the instruction that the minutes were not to be copied and that "
        "every officer present was to return his notes to the adjutant.",
    ), scanned=True, header="Notes on the conference    PS-1014\n"),
    Primary("USSR-284", (
        "The district commander reported that the schools of Nis had been closed and the "
        "buildings given over to the field hospital and the supply office.",
    ), scanned=True, header="Exhibit USSR-284\n"),
    Primary("conference-minutes", (
        "Office of the Plenipotentiary General. Document NO-3012. Conference minutes.",
        "The plenipotentiary declared that he could not answer for measures taken without his "
        "knowledge, and asked that the reports be forwarded to Zagreb at once.",
    ), title="Conference minutes", header=" "),
    Primary("NOKW-3012", (
        "The corps headquarters at Belgrade acknowledged the reports from Zagreb and asked that "
        "all measures be taken only with its knowledge.",
    )),
    Primary("NOKW-1243", (
        "Winter clothing for the fourth battalion has not arrived; the men on the Zelengora are "
        "standing guard in summer coats.",
        "",
        "The wireless station at Trebinje will transmit the daily report at six in the evening "
        "and again at midnight, in the code of the previous month.",
    )),
    Primary("NOKW-1244", (
        "",
        "The bridges over the Neretva between Konjic and Jablanica are to be prepared for "
        "demolition, but are not to be blown without an order from the division.",
    )),
    Primary("D-728", (
        "The labour office in Belgrade reported that of the two thousand men requested for the "
        "Reich only four hundred and twelve presented themselves at the station.",
    ), header="Document D-728\n"),
    Primary("L-180", (
        "",
        "The report of the task force lists the places visited, the dates of the actions and the "
        "numbers of persons concerned, district by district.",
    ), header="Document L-180\n"),
    Primary("EC-307", (
        "Grain deliveries from the Banat fell short of the quota by nearly a third, owing to the "
        "wet autumn and the shortage of draught animals.",
    ), header="Document EC-307\n"),
    Primary("NOKW-1350", (
        "The division regrets to report that the column from Nevesinje was ambushed at the pass "
        "above Gacko, with the loss of nine lorries and their loads.",
        "",
    )),
    Primary("NOKW-1351", ("",)),
    Primary("NOKW-1460", (
        "Prisoners taken in the fighting near Tuzla are to be sent to the collecting camp at "
        "Zvornik and not handed over to the Ustasha militia.",
    ), scanned=True),
    Primary("NOKW-1461", (
        "",
        "The Ustasha militia at Doboj took over the prisoners from Tuzla on the authority of the "
        "local commander, against the standing order of the division.",
    )),
    Primary("NOKW-1502", (
        "Herewith the monthly report of the Feldkommandantur at Uzice for the month of October.",
        "The mood of the population has worsened since the requisition of livestock, and the "
        "number of men leaving for the forests has risen sharply.",
    )),
    Primary("NOKW-1503", (
        "The field police post at Valjevo reported that the mayor and two councillors had been "
        "arrested and taken to Belgrade for questioning.",
    ), scanned=True),
    Primary("NOKW-1620", (
        "",
        "Owing to the snow, the supply of the garrisons at Foca and Kalinovik is possible only by "
        "pack animals. Each column needs two days for the journey and must be escorted by at "
        "least one company, since the bands hold the heights on both sides of the road.",
    )),
    Primary("NOKW-1621", ("",)),
    Primary("NO-5231", (
        "The minister agreed that the question of the Jewish property in Sarajevo should be "
        "settled by the Croatian state, provided German interests were protected.",
    ), header="Ministerial minute    NO-5231\n"),
    Primary("NOKW-1933", (
        "The losses among the civilian population in the area of the operation cannot be stated "
        "with any certainty, as many villages were found abandoned.",
    ), scanned=True),
    Primary("NOKW-1934", (
        "The losses among the enemy in the area of the operation are estimated at four hundred "
        "dead, and many villages were found burned.",
    )),
    Primary("memoir", (
        "The mountains in winter.",
        "Spring came late that year, and the snow on the passes above Kalinovik did not melt "
        "until the middle of May.",
    ), title="Years in the Mountains", author="Marko Petrović", header=" "),
)  # fmt: skip

WORKS: tuple[Work, ...] = (
    Work("roberts", "Tito, Mihailovic and the Allies", "Walter R. Roberts", "1973"),
    Work("tomasevich", "War and Revolution in Yugoslavia, 1941-1945: The Chetniks",
         "Jozo Tomasevich", "1975"),
    Work("shepherd", "Terror in the Balkans: German Armies and Partisan Warfare", "Ben Shepherd",
         "2012", as_html=False),
    Work("manoschek", "Serbien ist judenfrei", "Walter Manoschek", "1993"),
)  # fmt: skip

_UNITS = ("HEADQUARTERS 118th JAEGER DIVISION", "HEADQUARTERS 369th INFANTRY DIVISION",
          "COMMANDING GENERAL IN SERBIA", "FELDKOMMANDANTUR 816")  # fmt: skip
_FILLER_SEED = 7_000_000


def _doc_seed(index: int, page: int) -> int:
    return _FILLER_SEED + index * 100 + page * 2


def primary_pages(index: int) -> list[str]:
    """The text of each page of PRIMARIES[index]: a header on the first, filler around the
    passage (less on typewritten pages, which hold fewer words)."""
    doc = PRIMARIES[index]
    words = 55 if doc.scanned else 90
    pages = []
    for number, passage in enumerate(doc.passages):
        before = filler_text(_doc_seed(index, number), words)
        after = filler_text(_doc_seed(index, number) + 1, words)
        text = " ".join(part for part in (before, passage, after) if part)
        if number == 0:
            header = doc.header or _header(
                _UNITS[index % len(_UNITS)], doc.stem, f"Ia No. {400 + index}/43", "1943"
            )
            text = f"{header.strip()}\n\n{text}" if header.strip() else text
        pages.append(text)
    return pages


def _filler_quote(stem: str, page: int, first: int, count: int) -> str:
    """Words `first`..`first+count` of the filler that opens a page: a quote of routine prose."""
    index = next(i for i, d in enumerate(PRIMARIES) if d.stem == stem)
    words = filler_text(_doc_seed(index, page - 1), 90 if not PRIMARIES[index].scanned else 55)
    return " ".join(words.split()[first : first + count])


def ident(written: str, canonical: str | None = None, target: str | None = "") -> Expected:
    """An identifier; its target defaults to the document of that canonical name."""
    canonical = canonical or written
    return Expected("identifier", written, canonical, canonical if target == "" else target)


def quote(
    written: str, target: str | None, page: int = 1, *, marks: str = "“”", key_words: int = 8
) -> Expected:
    return Expected("quote", written, " ".join(_words(written)[:key_words]), target, page, marks)


def work(written: str, target: str | None) -> Expected:
    return Expected("work", written, written.split(",")[0], target)


def _article_paragraphs() -> list[tuple[Part, ...]]:
    q = quote
    return [
        ("The division's report (", ident("NOKW 1088", "NOKW-1088"), ") leaves little doubt. Its "
         "author wrote that ", q("the order stood: No village that sheltered the bands was to "
         "be spared . . . and the supply columns were to move only by day.", "NOKW-1088", 2),
         "<sup>1</sup> The neighbouring report, ", ident("NOKW-1080"), ", tells another story: "
         "there ", q("the supply columns moved by night without escort", "NOKW-1080", marks='""'),
         ", and ", ident("NOKW-1089", target=None), " is missing from the files."),
        ("At the conference (", ident("Doc. NO-3012", "NO-3012", "conference-minutes"), ") the "
         "plenipotentiary ", q("declared that he could not answer for measures taken without "
         "[General Roatta's] knowledge.", "conference-minutes", 2), " The corps in Belgrade, in ",
         ident("NOKW-3012"), ", saw it differently. Nothing of the kind appears in ",
         ident("PS-1014a", target=None), ", though ", ident("PS-1014"), " records that ",
         q("the minutes were not to be copied and that every officer present was to return his "
           "notes to the adjutant.", "PS-1014", 2)),
        (q("The railway bridge at Mostar was repaired by the engineers and opened to traffic on "
           "the morning of the tenth.", "NOKW-1088", 3, marks=""),),
        ("A witness remembered ", q("the snow on the Zelengora lay deeper than any man could walk "
         "through in a day,", None), " a line found in no file. The division itself had "
         "complained that ", q("the men on the Zelengora are standing guard in summer coats",
                               "NOKW-1243"),
         " (", ident("NOKW–1243", "NOKW-1243"), "), and Petrović recalled that ",
         q("the snow on the passes above Kalinovik did not melt until the middle of May.",
           "memoir", 2)),
        ("The reprisal orders are well known. ", ident("NOKW 1170", "NOKW-1170"), " insists that ",
         q("[t]he reprisal quota laid down in the order of 16 September 1941 is to be applied "
           "without exception.", "NOKW-1170"), " It is often confused with ",
         ident("NOKW-1710", target=None), ", a number that does not exist in the collection; the "
         "refugee report is ", ident("NOKW-1701"), ": ", q("The refugees who crossed the Drina "
         "at Visegrad were turned back by the Italian frontier guards.", "NOKW-1701", 2)),
        ("Transport was the army's constant worry. The engineers wrote (",
         ident("NOKW 0843", "NOKW-843"), ") that the ferry ", q("could carry no more than two "
         "lorries at a time while the river stood high,", "NOKW-843"), " and the signals officers "
         "that ", q("[t]he telephone line between Foca and Kalinovik was cut in eleven places",
                    "NOKW-1092"),
         " (", ident("NOKW-1092"), "). Supply followed the same logic: ", q("Rations for the "
         "Italian garrison at Gacko were to be drawn from the German depot at Mostar…",
         "NOKW-1092", 2)),
        ("In Serbia the pattern was different. According to ", ident("NOKW-2115"), ", the bands "
         "had been ", q("reinforced by deserters from the Serbian gendarmerie, who brought their "
         "arms and ammunition with them.", "NOKW-2115"), " The later report, ",
         ident("NOKW-2151"), ", denies it, and ", ident("NOKW-2511", target=None), " is cited in "
         "the literature but was never found. The same file ordered that ", q("[h]ostages are to "
         "be taken from all sections of the population . . . including the families of officers "
         "who have left for the forests.", "NOKW-2115", 2)),
        ("Economic interests weighed heavily. ", ident("Document NO-4410", "NO-4410"), " shows "
         "the plenipotentiary asking that ", q("the copper mines at Bor be guarded by German "
         "troops and not by the Bulgarian occupation forces.", "NO-4410", 2), " The firm in ",
         ident("NI 5417", "NI-5417"), " wanted ", q("three hundred additional workers from the "
         "camp at Zemun,", "NI-5417", 2), " and the Banat, according to ", ident("EC-307"), ", ",
         q("fell short of the quota by nearly a third, owing to the wet autumn.", "EC-307"),
         " Labour recruitment failed as well: ", ident("Doc. D-728", "D-728"), " notes that ",
         q("of the two thousand men requested for the Reich only four hundred and twelve "
           "presented themselves.", "D-728")),
        ("The Foreign Office file (", ident("NG-2586"), ") explains that ", q("the deportations "
         "from the Croatian coast could not proceed while the Italian authorities withheld their "
         "consent.", "NG-2586"), " The ministerial minute ", ident("NO-5231"), " agreed that the "
         "matter ", q("should be settled by the Croatian state, provided German interests were "
         "protected.", "NO-5231"), " The task force's report (", ident("L-180"), ") lists ",
         q("the places visited, the dates of the actions and the numbers of persons concerned.",
           "L-180", 2)),
        ("Prisoners were another matter. ", ident("NOKW-1460"), " ordered that they ",
         q("are to be sent to the collecting camp at Zvornik and not handed over to the Ustasha "
           "militia,", "NOKW-1460"), " yet ", ident("NOKW-1461"), " records that the militia ",
         q("took over the prisoners from Tuzla on the authority of the local commander.",
           "NOKW-1461", 2), " A third report, ", ident("NOKW-1462", target=None), ", is lost."),
        ("On losses the files disagree. ", ident("NOKW-1933"), " admits that ", q("The losses "
         "among the civilian population in the area of the operation cannot be stated with any "
         "certainty,", "NOKW-1933"), " while ", ident("NOKW-1934"), " counts the enemy dead. The "
         "corps, we are told, learned that ", q("the losses among the civilian population were "
         "reported to the corps in full,", None), " but no such report survives."),
        ("The Feldkommandantur at Uzice (", ident("NOKW-1502"), ") found that ", q("the number "
         "of men leaving for the forests has risen sharply,", "NOKW-1502", 2), " and in Valjevo ",
         q("the mayor and two councillors had been arrested and taken to Belgrade for "
           "questioning", "NOKW-1503"), " (", ident("NOKW-1503"), "). In Nis ", q("the schools "
         "of Nis had been closed and the buildings given over to the field hospital", "USSR-284"),
         " (", ident("USSR-284"), ")."),
        ("The winter report of the division (", ident("NOKW-1620"), ") puts it plainly:"),
        (q("Owing to the snow, the supply of the garrisons at Foca and Kalinovik is possible only "
           "by pack animals. . . . [Each column] must be escorted by at least one company, since "
           "the bands hold the heights on both sides of the road.", "NOKW-1620", 2, marks=""),),
        (ident("NOKW-1081"), " asked that ", q("the hostages taken at [the town of] Rogatica be "
         "handed over to the field police before the end of the week.", "NOKW-1081", 2), " ",
         ident("NOKW-1107"), " forbade it: ", q("No further requisitions of horses or wagons are "
         "to be made in the district of Livno.", "NOKW-1107", 2), " And ", ident("NOKW-1244"),
         " on the Neretva bridges:"),
        (q("The bridges over the Neretva between Konjic and Jablanica are to be prepared for "
           "demolition, but are not to be blown without an order from the division.",
           "NOKW-1244", 2, marks=""),),
        ("Ambushes were frequent: ", q("the column from Nevesinje was ambushed at the pass above "
         "Gacko,", "NOKW-1350"), " as ", ident("NOKW-1350"), " regrets. A local chronicle says ",
         q("the bands returned to the villages near Nevesinje before dawn,", None), " which no "
         "German report confirms. The wireless log (", ident("NOKW-1243"), " again) shows that ",
         q("The wireless station at Trebinje will transmit the daily report at six in the "
           "evening", "NOKW-1243", 3), "."),
        ("Even routine reports are quoted: ", q(_filler_quote("NOKW-1351", 1, 20, 14),
                                                "NOKW-1351"),
         " and ", q(_filler_quote("NOKW-1621", 1, 40, 12), "NOKW-1621"), ". A garbled line often "
         "cited as ", q(" ".join(filler_text(_FILLER_SEED - 17, 30).split()[5:19]), None),
         " appears in none of them."),
        ("Several references could not be checked: ", ident("Record Group 242", "RG-242", None),
         ", ", ident("T-501, roll 255", "T-501/R-255", None), ", ",
         ident("Doc. UK-48", "UK-48", None), ", ", ident("NO-1088", target=None), " (probably a "
         "slip for ", ident("NOKW-1088"), ") and ", ident("NOKW-10880", target=None), ". "
         "Veterans speak of ", q("We were told nothing of the orders, and we asked nothing,",
                                 None),
         " and of ", q("the fog of war that lay over every report that reached the corps.", None)),
        ("See ", work("Roberts, Tito, Mihailovic and the Allies, 1973", "roberts"), "; ",
         work("Petrović, Years in the Mountains (1961)", "memoir"), "; ",
         work("Djilas, Wartime (1977)", None), "; ", work("Tomasevich, The Chetniks, 1975",
                                                          "tomasevich"), "; ",
         work("Shepherd, Terror in the Balkans, 2012", "shepherd"), "; and ",
         work("Manoschek, Serbien ist judenfrei (1993)", "manoschek"), ". Not to be confused "
         "with ", work("Roberts, The Balkan Front, 1980", None), " or ",
         work("Hehn, The German Struggle against Yugoslav Guerrillas, 1979", None), "."),
        ("1. ", ident("NOKW-1088"), ", p. 2. 2. ", ident("Doc. NO-3012", "NO-3012",
                                                        "conference-minutes"),
         ", minutes of the conference. 3. ", ident("NOKW-1620"), ", Report of the 369th "
         "Division, March 1943."),
    ]  # fmt: skip


def _render(part: Part) -> str:
    if isinstance(part, str):
        return part  # prose is written as HTML already
    text = html.escape(part.written, quote=False)
    if part.kind == "quote" and part.marks:
        return f"{part.marks[0]}{text}{part.marks[-1]}"
    return text


def article_html(
    title: str, paragraphs: list[tuple[Part, ...]], filler_seed: int, filler_words: int
) -> tuple[str, list[Expected]]:
    """An HTML article of the paragraphs, each followed by filler prose; and its citations."""
    body = []
    expected: list[Expected] = []
    for number, paragraph in enumerate(paragraphs):
        expected += [p for p in paragraph if isinstance(p, Expected)]
        inner = "".join(_render(p) for p in paragraph)
        first = paragraph[0]
        block = len(paragraph) == 1 and isinstance(first, Expected) and not first.marks
        body.append(f"<blockquote><p>{inner}</p></blockquote>" if block else f"<p>{inner}</p>")
        if filler_words:
            body.append(f"<p>{filler_text(filler_seed + number, filler_words)}</p>")
    markup = (
        f'<html><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="author" content="Jane Roe"><meta name="date" content="2001-06"></head>'
        f"<body>\n{chr(10).join(body)}\n</body></html>"
    )
    return markup, expected


def _work_html(work: Work) -> str:
    return (
        f'<html><head><meta charset="utf-8"><title>{html.escape(work.title)}</title>'
        f'<meta name="author" content="{html.escape(work.author)}">'
        f'<meta name="date" content="{work.date}"></head>'
        f"<body><p>{filler_text(len(work.title), 200)}</p></body></html>"
    )


@dataclass(frozen=True)
class CitationSet:
    folder: Path
    primaries: list[Path]
    works: list[Path]
    article: Path
    expected: list[Expected]


def set_fingerprint() -> str:
    """Changes whenever the set's documents or article change (the cache key)."""
    markup, _ = article_html("Orders and their echoes", _article_paragraphs(), 8_000_000, 80)
    texts = [repr(PRIMARIES), repr(WORKS), markup]
    texts += ["\f".join(primary_pages(i)) for i in range(len(PRIMARIES))]
    return hashlib.sha256("\n".join(texts).encode()).hexdigest()[:10]


def build_set(folder: Path) -> CitationSet:
    """Write the archive and the article into `folder` (skipping files already there)."""
    for sub in ("scans", "digital", "works"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    primaries = [_write_primary(folder, i) for i in range(len(PRIMARIES))]
    works = [_write_work(folder / "works", w) for w in WORKS]
    markup, expected = article_html("Orders and their echoes", _article_paragraphs(), 8_000_000, 80)
    article = folder / "article.html"
    article.write_text(markup, encoding="utf-8")
    return CitationSet(folder, primaries, works, article, expected)


def _write_primary(folder: Path, index: int) -> Path:
    doc = PRIMARIES[index]
    pages = primary_pages(index)
    if doc.scanned:
        path = folder / "scans" / f"{doc.stem}.pdf"
        if not path.exists():
            images = [
                typewritten_image(text, seed=index * 10 + n, noise=1.0)
                for n, text in enumerate(pages)
            ]
            scanned_pdf(path, images)
        return path
    path = folder / "digital" / f"{doc.stem}.pdf"
    if not path.exists():
        born_digital_pdf(path, pages, title=doc.title, author=doc.author)
    return path


def _write_work(folder: Path, work: Work) -> Path:
    if work.as_html:
        path = folder / f"{work.stem}.html"
        path.write_text(_work_html(work), encoding="utf-8")
        return path
    path = folder / f"{work.stem}.pdf"
    if not path.exists():
        born_digital_pdf(path, [filler_text(len(work.title), 200)], title=work.title,
                         author=work.author)  # fmt: skip
    return path


# The speed article: names and quotes pages of the large born-digital corpus.

# Invented quotes come from filler seeds far above those of the corpus's pages.
_INVENTED_SEED = 50_000_000


def speed_article(
    corpus: Path, *, citations: int = 150, words: int = 10_000, seed: int = 11
) -> tuple[str, list[Expected]]:
    """About `words` words citing `citations` things: identifiers of the corpus's documents
    (one in ten absent) and quotes read back from its pages (one in twenty invented)."""
    rng = random.Random(seed)
    files = sorted(corpus.glob("NOKW-*.pdf"))
    cited: list[Expected] = []
    for number in range(citations):
        if number % 2 == 0:
            cited.append(_speed_identifier(rng, files))
        else:
            cited.append(_speed_quote(rng, files, _INVENTED_SEED + seed * 1000 + number))
    citation_words = sum(len(c.written.split()) + 10 for c in cited)  # with the lead-in
    filler_words = max(10, (words - citation_words) // citations)
    paragraphs: list[tuple[Part, ...]] = [_speed_sentence(rng, c) for c in cited]
    markup, expected = article_html("A long article", paragraphs, 9_000_000, filler_words)
    return markup, expected


def _speed_identifier(rng: random.Random, files: list[Path]) -> Expected:
    if rng.random() < 0.1:
        number = 50_000 + rng.randrange(10_000)  # beyond every corpus
        stem = None
    else:
        path = rng.choice(files)
        number = int(path.stem.split("-")[1])
        stem = path.stem
    written = rng.choice(("NOKW {}", "NOKW-{}", "Doc. NOKW-{}", "NOKW–{}")).format(number)
    return ident(written, f"NOKW-{number}", stem)


def _speed_quote(rng: random.Random, files: list[Path], invented_seed: int) -> Expected:
    if rng.random() < 0.05:
        words = filler_text(invented_seed, 40).split()[3:18]
        return quote(_strip_end(" ".join(words)), None)
    path = rng.choice(files)
    with pymupdf.open(path) as document:
        number = rng.randrange(document.page_count)
        words = document[number].get_text().split()
    count = rng.randint(10, 20)
    first = rng.randrange(4, len(words) - count)
    chosen = words[first : first + count]
    style = rng.random()
    if style < 0.25 and count >= 14:
        cut = rng.randrange(4, count - 8)
        text = " ".join([*chosen[:cut], ". . .", *chosen[cut + rng.randint(2, 4) :]])
    elif style < 0.35:
        at = rng.randrange(2, count - 2)
        text = " ".join([*chosen[:at], "[the division]", *chosen[at:]])
    else:
        text = " ".join(chosen)
    return quote(_strip_end(text), path.stem, number + 1)


def _strip_end(text: str) -> str:
    return text.rstrip(".")


def _speed_sentence(rng: random.Random, cited: Expected) -> tuple[Part, ...]:
    if cited.kind == "identifier":
        lead = rng.choice(("The file ", "As the report ", "Compare "))
        return (lead, cited, rng.choice((" shows.", " makes plain.", ".")))
    lead = rng.choice(("One officer wrote that ", "The report says ", "We read that "))
    return (lead, cited, rng.choice((" in his report.", ".", ", as the file puts it.")))


# Scoring what the library resolved against the truth.


def _words(text: str) -> list[str]:
    """Lower-case words of a text, bracketed insertions and quote marks dropped."""
    return re.findall(r"\w+", re.sub(r"\[[^\]]*\]", " ", text).lower())


@dataclass
class Score:
    identifiers: int = 0
    identifiers_found: int = 0
    links_due: int = 0  # citations whose truth is a document in the archive
    links_correct: int = 0
    gaps: int = 0  # citations whose truth is a gap
    gaps_kept: int = 0
    quotes_due: int = 0
    quotes_correct: int = 0
    works_due: int = 0
    works_correct: int = 0
    false_links: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)  # not detected, or detected but no link
    unexpected: list[str] = field(default_factory=list)  # detected, not among the truth


def _matches(expected: Expected, found: CitationInfo) -> bool:
    if expected.kind != found.kind:
        return False
    if expected.kind == "identifier":
        return found.identifier == expected.key
    if expected.kind == "quote":
        return expected.key in " ".join(_words(found.text))
    return found.text.split(",")[0].strip() == expected.key


def pair(
    expected: list[Expected], found: list[CitationInfo]
) -> list[tuple[Expected | None, CitationInfo | None]]:
    """Each expected citation with the first unused detection that matches it, in order."""
    used: set[int] = set()
    pairs: list[tuple[Expected | None, CitationInfo | None]] = []
    for item in expected:
        index = next((i for i, f in enumerate(found) if i not in used and _matches(item, f)), None)
        if index is not None:
            used.add(index)
        pairs.append((item, found[index] if index is not None else None))
    pairs += [(None, f) for i, f in enumerate(found) if i not in used]
    return pairs


def _describe(found: CitationInfo, titles: dict[int, str]) -> str:
    if found.target is None:
        return "no link"
    target = found.target
    return f"{titles.get(target.doc, target.doc)} p.{target.page} (score {target.score:.2f})"


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def score(expected: list[Expected], found: list[CitationInfo], stems: dict[str, int]) -> Score:
    """Compare resolved citations with the truth; `stems` maps file stems to document ids."""
    titles = {doc: stem for stem, doc in stems.items()}
    result = Score()
    for item, hit in pair(expected, found):
        if item is None:
            assert hit is not None
            result.unexpected.append(f"{hit.kind} {_short(hit.text)!r} -> {_describe(hit, titles)}")
            if hit.target is not None:
                result.false_links.append(
                    f"(not a citation) {hit.kind} {_short(hit.text)!r} -> {_describe(hit, titles)}"
                )
            continue
        result.identifiers += item.kind == "identifier"
        result.identifiers_found += item.kind == "identifier" and hit is not None
        due = f"{item.target} p.{item.page}" if item.target else "a gap"
        label = f"{item.kind} {_short(item.written)!r} (truth: {due})"
        if item.target is None:
            result.gaps += 1
            if hit is None or hit.target is None:
                result.gaps_kept += 1
            else:
                result.false_links.append(f"{label} -> {_describe(hit, titles)}")
            continue
        result.links_due += 1
        result.quotes_due += item.kind == "quote"
        result.works_due += item.kind == "work"
        if hit is None:
            result.missed.append(f"{label}: not detected")
            continue
        if hit.target is None:
            result.missed.append(f"{label}: detected, no link")
            continue
        right = hit.target.doc == stems.get(item.target) and (
            item.kind != "quote" or hit.target.page == item.page
        )
        if right:
            result.links_correct += 1
            result.quotes_correct += item.kind == "quote"
            result.works_correct += item.kind == "work"
        else:
            result.false_links.append(f"{label} -> {_describe(hit, titles)}")
    return result
