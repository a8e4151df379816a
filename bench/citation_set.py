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
from dataclasses import dataclass, field, replace
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
    # Pages (1-based) whose passage runs on to the next page: it ends its page, and the next
    # page begins with the rest (a sentence across a page break).
    runs_on: tuple[int, ...] = ()


@dataclass(frozen=True)
class Work:
    """A secondary work in the archive, found by author and title."""

    stem: str
    title: str
    author: str
    date: str
    as_html: bool = True
    passage: str = ""  # words of the book a historian quotes (set among its filler)


@dataclass(frozen=True)
class Expected:
    """One citation the article makes and where it should lead (target None: a gap)."""

    kind: str  # identifier | quote | work
    written: str  # as the article writes it (a quote: its words, without the marks)
    key: str  # identifier: canonical form; quote: its first words; work: the author's surname
    target: str | None  # file stem of the cited document
    page: int = 1
    marks: str = "“”"  # a quote's marks; "" for a block quote
    style: str = ""  # the row it counts in (the historians' articles)
    # Every page it must resolve to, when checked: (file stem, page), the target first.
    targets: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Nested:
    """A quotation holding others: the outer is rendered (its words hold the inner ones with
    their marks); each is a citation of its own."""

    outer: Expected
    inner: tuple[Expected, ...]


@dataclass(frozen=True)
class Note:
    """A note: a superscript marker where it stands, its parts in the list of notes."""

    parts: tuple[Part, ...]


Part = str | Expected | Nested | Note


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

# The first article's archive ends here; the historians' articles (below) add these to it.
FIRST_PRIMARIES, FIRST_WORKS = len(PRIMARIES), len(WORKS)

PRIMARIES += (
    # Orders whose words the books below quote (the inner quotations of nested ones).
    Primary("NOKW-1397", (
        "The division will not tolerate the burning of villages by its own troops without an "
        "express order from the regimental commander.",
        "Officers who fail to report such incidents will be held personally responsible and "
        "brought before a court martial. The regimental commanders will confirm in writing that "
        "this order has been read to every company.",
        "The civilian population is to be informed by notices in every market town that looting "
        "will be punished by death.",
        "The mule trains for the mountain battalions are to be assembled at Jajce by the end of "
        "the month.",
    )),
    Primary("NOKW-1398", (
        "Die Bahnlinie zwischen Mostar und Sarajevo wurde in der Nacht zum fünften an drei "
        "Stellen gesprengt. Der Verkehr ruht bis auf weiteres; die Pioniere sind verständigt.",
        "Die Truppe hat sich jeder eigenmächtigen Vergeltungsmaßnahme gegen die "
        "Zivilbevölkerung zu enthalten.",
    ), title="Tagesmeldung", header="Generalkommando    NOKW-1398\n"),
    # Daily reports repeating a formula on every page: only a note tells which page is cited.
    Primary("NOKW-1390", (
        "The situation in the sector of the division is unchanged. The patrols sent towards "
        "Kalinovik returned without contact.",
        "The situation in the sector of the division is unchanged. Two lorries of the supply "
        "column broke down on the road to Foca.",
        "The situation in the sector of the division is unchanged. The bridge guard at Ustikolina "
        "was relieved by the second company.",
    )),
    # Sentences across page breaks (born digital).
    Primary("NOKW-1396", (
        "On the evening of the ninth the commander of the second battalion reported that the "
        "village of Borac",
        "had been evacuated by its inhabitants before the column arrived, and that the houses "
        "were found empty. No shots were fired. The engineers of the division were ordered to",
        "destroy the mill at Kifino Selo and the footbridge below it before withdrawing to "
        "Gacko.",
    ), runs_on=(1, 2)),
)  # fmt: skip

WORKS += (
    Work("hoare", "Genocide and Resistance in Hitler's Bosnia: The Partisans and the Chetniks, "
         "1941-1943", "Marko Attila Hoare", "2006",
         passage="Far from restraining its men, the division's orders reveal an anxious "
         "ambiguity: commanders were told that ‘the division will not tolerate the burning of "
         "villages by its own troops without an express order from the regimental commander’, "
         "a formula that left every decision to the regiment and every excuse to the company."),
    Work("pavlowitch", "Hitler's New Disorder: The Second World War in Yugoslavia",
         "Stevan K. Pavlowitch", "2008",
         passage="The occupiers never settled on a policy. In one district the notices read "
         "that “the civilian population is to be informed by notices in every market town that "
         "looting will be punished by death”, while in the next valley the same battalions "
         "looted with the approval of their officers."),
    Work("schmider", "Partisanenkrieg in Jugoslawien 1941-1944", "Klaus Schmider", "2002",
         passage="Dass die Division meldete, ‚die Bahnlinie zwischen Mostar und Sarajevo wurde "
         "in der Nacht zum fünften an drei Stellen gesprengt‘, diente vor allem als Begründung "
         "für weitere Sühnemaßnahmen im ganzen Bezirk und in den Nachbarkreisen."),
    Work("delorme", "La guerre des montagnes: Yougoslavie 1941-1945", "Jean-Marc Delorme",
         "1987",
         passage="Le général notait que ‹ the mule trains for the mountain battalions are to be "
         "assembled at Jajce by the end of the month ›, sans jamais dire pourquoi ni pour qui "
         "ces colonnes devaient partir vers le nord."),
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
        if number in doc.runs_on:  # the page before ran on into this one
            before = ""
        if number + 1 in doc.runs_on:  # this page's passage runs on into the next
            after = ""
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
    assert isinstance(part, Expected), "the first article has no notes or nested quotations"
    text = html.escape(part.written, quote=False)
    if part.kind == "quote" and part.marks:
        return f"{part.marks[0]}{text}{part.marks[-1]}"
    return text


def article_html(
    title: str, paragraphs: list[tuple[Part, ...]], filler_seed: int, filler_words: int
) -> tuple[str, list[Expected]]:
    """An HTML article of the paragraphs, each followed by filler prose; and its citations
    (the notes', where it has any, after the body's). A note is a superscript marker, its text
    an item of the ordered list under "Notes" at the end."""
    body = []
    expected: list[Expected] = []
    notes: list[str] = []
    in_notes: list[Expected] = []
    for number, paragraph in enumerate(paragraphs):
        expected += [p for p in paragraph if isinstance(p, Expected)]
        rendered = []
        for part in paragraph:
            if isinstance(part, Note):
                rendered.append(f"<sup>{len(notes) + 1}</sup>")
                in_notes += [p for p in part.parts if isinstance(p, Expected)]
                notes.append("".join(_render(p) for p in part.parts))
            else:
                rendered.append(_render(part))
        inner = "".join(rendered)
        first = paragraph[0]
        block = len(paragraph) == 1 and isinstance(first, Expected) and not first.marks
        body.append(f"<blockquote><p>{inner}</p></blockquote>" if block else f"<p>{inner}</p>")
        if filler_words:
            body.append(f"<p>{filler_text(filler_seed + number, filler_words)}</p>")
    if notes:
        body.append("<h2>Notes</h2>\n<ol>" + "".join(f"<li>{n}</li>" for n in notes) + "</ol>")
    expected += in_notes
    markup = (
        f'<html><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="author" content="Jane Roe"><meta name="date" content="2001-06"></head>'
        f"<body>\n{chr(10).join(body)}\n</body></html>"
    )
    return markup, expected


def _work_html(work: Work) -> str:
    body = f"<p>{filler_text(len(work.title), 200)}</p>"
    if work.passage:
        words = filler_text(len(work.title), 200).split()
        body = (
            f"<p>{' '.join(words[:100])}</p><p>{html.escape(work.passage, quote=False)}</p>"
            f"<p>{' '.join(words[100:])}</p>"
        )
    return (
        f'<html><head><meta charset="utf-8"><title>{html.escape(work.title)}</title>'
        f'<meta name="author" content="{html.escape(work.author)}">'
        f'<meta name="date" content="{work.date}"></head>'
        f"<body>{body}</body></html>"
    )


@dataclass(frozen=True)
class CitationSet:
    folder: Path
    primaries: list[Path]
    works: list[Path]
    article: Path
    expected: list[Expected]
    # The historians' articles by file stem, each with its citations.
    historians: dict[str, tuple[Path, list[Expected]]] = field(default_factory=dict)


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
    historians: dict[str, tuple[Path, list[Expected]]] = {}
    (folder / "historians").mkdir(exist_ok=True)
    for stem, paragraphs in _historians_articles().items():
        markup, cited = historians_article_html(stem.capitalize(), paragraphs)
        path = folder / "historians" / f"{stem}.html"
        path.write_text(markup, encoding="utf-8")
        historians[stem] = (path, cited)
    return CitationSet(folder, primaries, works, article, expected, historians)


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


# The historians' articles: quotations, notes and works written as historians write them, each
# article resolved against the same archive (and no other article).

STYLES = (
    "nested quotations",
    "multi-paragraph and block quotations",
    "footnotes and endnotes",
    "Ibid. chains",
    "works, Chicago note",
    "works, author-date",
    "works, short note",
    "quotes across a page break",
)


def _styled(style: str, *items: Expected) -> tuple[Expected, ...]:
    return tuple(replace(item, style=style) for item in items)


def _nested(outer: Expected, *inner: Expected) -> Nested:
    for item in inner:
        assert item.written in outer.written, item.written
    style = STYLES[0]
    return Nested(replace(outer, style=style), _styled(style, *inner))


def _roberts_words(first: int, count: int) -> str:
    """Words of the Roberts book in the archive (its filler prose)."""
    words = filler_text(len(WORKS[0].title), 200).split()[first : first + count]
    return re.sub(r"[.,]", "", " ".join(words))


def _historians_articles() -> dict[str, list[tuple[Part, ...]]]:
    """The articles by file stem, each a list of paragraphs."""
    nest, para, notes, ibid = STYLES[0], STYLES[1], STYLES[2], STYLES[3]
    chicago, author_date, short, split = STYLES[4], STYLES[5], STYLES[6], STYLES[7]

    def q(
        written: str, target: str | None, page: int = 1, style: str = nest, marks: str = "“”"
    ) -> Expected:
        return replace(quote(written, target, page, marks=marks), style=style)

    def i(
        written: str, canonical: str | None = None, style: str = notes, target: str | None = ""
    ) -> Expected:
        return replace(ident(written, canonical, target), style=style)

    def w(written: str, target: str | None, style: str) -> Expected:
        return replace(work(written, target), style=style)

    hoare_outer = (
        "Far from restraining its men, the division's orders reveal an anxious ambiguity: "
        "commanders were told that ‘the division will not tolerate the burning of villages by its "
        "own troops without an express order from the regimental commander’, a formula that left "
        "every decision to the regiment and every excuse to the company."
    )
    pavlowitch_outer = (
        "In one district the notices read that “the civilian population is to be informed by "
        "notices in every market town that looting will be punished by death”, while in the next "
        "valley the same battalions looted with the approval of their officers."
    )
    schmider_outer = (
        "Dass die Division meldete, ‚die Bahnlinie zwischen Mostar und Sarajevo wurde in der "
        "Nacht zum fünften an drei Stellen gesprengt‘, diente vor allem als Begründung für "
        "weitere Sühnemaßnahmen im ganzen Bezirk"
    )
    delorme_outer = (
        "Le général notait que ‹ the mule trains for the mountain battalions are to be assembled "
        "at Jajce by the end of the month ›, sans jamais dire pourquoi ni pour qui ces colonnes "
        "devaient partir vers le nord."
    )
    nested: list[tuple[Part, ...]] = [
        ("Hoare reads the order as an alibi: ",
         _nested(q(hoare_outer, "hoare"),
                 q("the division will not tolerate the burning of villages by its own troops "
                   "without an express order from the regimental commander", "NOKW-1397", 1,
                   marks="‘’")),
         " The order itself survives."),
        ("Pavlowitch's verdict is blunt: ",
         _nested(q(pavlowitch_outer, "pavlowitch", marks="‘’"),
                 q("the civilian population is to be informed by notices in every market town "
                   "that looting will be punished by death", "NOKW-1397", 3)),
         " Other historians have been kinder."),
        ("An older account, never translated, put it thus: ",
         _nested(q("Nobody in the corps believed a word of it, and the battalions knew that "
                   "“officers who fail to report such incidents will be held personally "
                   "responsible and brought before a court martial” was written for the files "
                   "and for nobody else.", None, marks="‘’"),
                 q("officers who fail to report such incidents will be held personally "
                   "responsible and brought before a court martial", "NOKW-1397", 2)),
         ""),
        ("Schmider urteilt nüchtern: ",
         _nested(q(schmider_outer, "schmider", marks="„“"),
                 q("die Bahnlinie zwischen Mostar und Sarajevo wurde in der Nacht zum fünften an "
                   "drei Stellen gesprengt", "NOKW-1398", marks="‚‘")),
         ". Eine ältere Darstellung meint dagegen: ",
         _nested(q("Der Befehl, ‚die Truppe hat sich jeder eigenmächtigen Vergeltungsmaßnahme "
                   "gegen die Zivilbevölkerung zu enthalten‘, blieb ohne jede Folge für die "
                   "Praxis der Bataillone im Frühjahr.", None, marks="„“"),
                 q("die Truppe hat sich jeder eigenmächtigen Vergeltungsmaßnahme gegen die "
                   "Zivilbevölkerung zu enthalten", "NOKW-1398", 2, marks="‚‘")),
         ""),
        ("A French historian wrote that ",
         _nested(q("Comme le montre l’enquête, la division savait fort bien que “looting will be "
                   "punished by death” et elle n’en fit jamais rien dans les villages du sud.",
                   None, marks="«»"),
                 q("looting will be punished by death", "NOKW-1397", 3)),
         "; another that ",
         _nested(q(delorme_outer, "delorme", marks="«»"),
                 q("the mule trains for the mountain battalions are to be assembled at Jajce by "
                   "the end of the month", "NOKW-1397", 4, marks="‹›")),
         ""),
    ]  # fmt: skip

    paragraphs: list[tuple[Part, ...]] = [
        ("The division's winter report says it plainly: ",
         q("Owing to the snow, the supply of the garrisons at Foca and Kalinovik is possible "
           "only by pack animals.\n\nEach column needs two days for the journey and must be "
           "escorted by at least one company, since the bands hold the heights on both sides of "
           "the road.", "NOKW-1620", 2, para),
         " Nothing changed until April."),
        ("A British historian sets the losses down thus: ",
         q("Losses of the second battalion: four dead, eleven wounded.\n\nThe railway bridge at "
           "Mostar was repaired by the engineers and opened to traffic on the morning of the "
           "tenth.", "NOKW-1088", 3, para, marks="‘’"),
         " The figures are those of the division."),
        ("Eine deutsche Darstellung zitiert die Meldung: ",
         q("Die Bahnlinie zwischen Mostar und Sarajevo wurde in der Nacht zum fünften an drei "
           "Stellen gesprengt.\n\nDer Verkehr ruht bis auf weiteres; die Pioniere sind "
           "verständigt.", "NOKW-1398", 1, para, marks="„“"),
         " Mehr erfährt man nicht."),
        ("The militia's report reads:",),
        (q("The Ustasha militia at Doboj took over the prisoners from Tuzla on the authority of "
           "the local commander, against the standing order of the division.", "NOKW-1461", 2,
           para, marks=""),),
        ("The order on reporting was longer:",),
        (q("Officers who fail to report such incidents will be held personally responsible and "
           "brought before a court martial.\n\nThe regimental commanders will confirm in writing "
           "that this order has been read to every company.", "NOKW-1397", 2, para, marks=""),),
        ("And the signals log, with its note:",),
        (q("The wireless station at Trebinje will transmit the daily report at six in the evening "
           "and again at midnight, in the code of the previous month.", "NOKW-1243", 3, para,
           marks=""), Note((i("NOKW-1243", style=para), ", p. 3."))),
    ]  # fmt: skip

    footnotes: list[tuple[Part, ...]] = [
        ("The losses were never counted. One report speaks of civilian dead ",
         q("in the area of the operation", "NOKW-1933", 1, notes),
         Note((i("NOKW 1933", "NOKW-1933"), ".")),
         " and another of enemy dead ", q("in the area of the operation", "NOKW-1934", 1, notes),
         Note((i("NOKW-1934"), ", p. 1.")), " with the same words."),
        ("In Serbia, the reports began alike: ", q("In the Kraljevo sector the bands", "NOKW-2151",
                                                    1, notes),
         Note((i("NOKW-2151"), ", p. 1.")), " and then parted ways."),
        ("The division wrote that ", q("The bands withdrew from the villages near Nevesinje",
                                       "NOKW-1088", 2, notes),
         Note((i("NOKW 1088", "NOKW-1088"), ", p. 2.")),
         " and that the corps should know it. At the conference the plenipotentiary ",
         q("asked that the reports be forwarded to Zagreb at once.", "conference-minutes", 2,
           notes),
         Note((i("Doc. NO-3012", "NO-3012", target="conference-minutes"),
               ", p. 2, minutes of the conference.")),
         " The men on the mountain, the division complained, ",
         q("are standing guard in summer coats", "NOKW-1243", 1, notes),
         Note(("See ", i("NOKW-1243"), ".")),
         ". Hoare calls the orders ",
         q("a formula that left every decision to the regiment", "hoare", 1, notes),
         Note((w("Hoare, Genocide and Resistance in Hitler's Bosnia, 143", "hoare", notes), ".")),
         "."),
    ]  # fmt: skip

    chains: list[tuple[Part, ...]] = [
        ("Every day the division wrote that ",
         q("The situation in the sector of the division is unchanged", "NOKW-1390", 1, ibid),
         Note((i("NOKW-1390", style=ibid), ", p. 1.")),
         " and on the third day again ",
         q("The situation in the sector of the division is unchanged", "NOKW-1390", 3, ibid),
         Note(("Ibid., p. 3.",)),
         " as if nothing had happened; the same day it added ",
         q("the situation in the sector of the division is unchanged", "NOKW-1390", 3, ibid),
         Note(("Ibid.",)), "."),
        ("Roberts thought that ", q(_roberts_words(20, 12), "roberts", 1, ibid),
         Note((w("Walter R. Roberts, Tito, Mihailović and the Allies, 1941–1945 (New Brunswick, "
                 "1973), 106", "roberts", ibid), ".")),
         " and the division, again, that ",
         q("the situation in the sector of the division is unchanged", "NOKW-1390", 2, ibid),
         Note((i("NOKW-1390", style=ibid), ", p. 2.")),
         "; later Roberts added that ", q(_roberts_words(60, 12), "roberts", 1, ibid),
         Note(("Roberts, op. cit., 110.",)), "."),
        ("Die Division meldete, ", q("The situation in the sector of the division is unchanged",
                                     "NOKW-1390", 1, ibid, marks="„“"),
         Note((i("NOKW-1390", style=ibid), ", S. 1.")), ", und zwei Tage später ",
         q("The situation in the sector of the division is unchanged", "NOKW-1390", 2, ibid,
           marks="„“"),
         Note(("Ebd., S. 2.",)), "."),
    ]  # fmt: skip

    works: list[tuple[Part, ...]] = [
        ("The standard account (", w("Roberts 1973, 106", "roberts", author_date), ") and "
         "Pavlowitch's survey (", w("Pavlowitch 2008, 87", "pavlowitch", author_date),
         ") agree; Djilas's memoir (", w("Djilas 1977, 229", None, author_date), ") does not, and ",
         w("Tomasevich (1975: 256)", "tomasevich", author_date), " explains why.",
         Note((w("Walter R. Roberts, Tito, Mihailović and the Allies, 1941–1945 (New Brunswick, "
                 "1973), 106", "roberts", chicago), ".")),
         " The German side is well studied (", w("Shepherd 2012", "shepherd", author_date),
         "; ", w("Schmider 2002, 245", "schmider", author_date), ").",
         Note((w("Stevan K. Pavlowitch, Hitler's New Disorder (London, 2008), 87", "pavlowitch",
                 chicago), "; ",
               w("Milovan Djilas, Wartime (New York, 1977), 229", None, chicago), ".")),
         " Roberts's later book (", w("Roberts 1980, 12", None, author_date), ") is another "
         "matter.",
         Note((w("Jozo Tomasevich, War and Revolution in Yugoslavia, 1941–1945: The Chetniks "
                 "(Stanford, 1975), 256–59", "tomasevich", chicago), ".")),
         Note((w("Ben Shepherd, Terror in the Balkans: German Armies and Partisan Warfare "
                 "(Cambridge, 2012), 143", "shepherd", chicago), "; ",
               w("Klaus Schmider, Partisanenkrieg in Jugoslawien 1941–1944 (Hamburg, 2002), 245",
                 "schmider", chicago), ".")),
         Note((w("Walter R. Roberts, The Balkan Front (Princeton, 1980), 12", None, chicago),
               ".")),
         ""),
        ("The short forms follow.",
         Note((w("Roberts, Tito, 110", "roberts", short), ".")),
         Note((w("Pavlowitch, Hitler's New Disorder, 90", "pavlowitch", short), "; ",
               w("Djilas, Wartime, 231", None, short), ".")),
         Note((w("Tomasevich, The Chetniks, 260", "tomasevich", short), ".")),
         Note((w("Schmider, Partisanenkrieg, S. 250", "schmider", short), ".")),
         Note((w("Shepherd, Terror in the Balkans, p. 150", "shepherd", short), ".")),
         ""),
    ]  # fmt: skip

    split_pages: list[tuple[Part, ...]] = [
        ("The battalion commander reported ",
         replace(q("the commander of the second battalion reported that the village of Borac had "
                   "been evacuated by its inhabitants before the column arrived", "NOKW-1396", 1,
                   split), targets=(("NOKW-1396", 1), ("NOKW-1396", 2))),
         ", and the engineers were told to ",
         replace(q("destroy the mill at Kifino Selo and the footbridge below it before "
                   "withdrawing to Gacko", "NOKW-1396", 3, split), targets=(("NOKW-1396", 3),)),
         ". The whole order: ",
         replace(q("The engineers of the division were ordered to destroy the mill at Kifino "
                   "Selo and the footbridge below it", "NOKW-1396", 2, split),
                 targets=(("NOKW-1396", 2), ("NOKW-1396", 3))),
         Note((i("NOKW-1396", style=split), ", pp. 2–3.")), "."),
    ]  # fmt: skip

    return {
        "nested": nested,
        "paragraphs": paragraphs,
        "footnotes": footnotes,
        "ibid": chains,
        "works": works,
        "split": split_pages,
    }


def _render_quote(item: Expected) -> str:
    """A quotation as printed: its marks; over several paragraphs, the opening mark at the head
    of each and the closing one after the last."""
    text = html.escape(item.written, quote=False)
    if not item.marks:
        return text.replace("\n\n", "</p>\n<p>")
    return (
        f"{item.marks[0]}{text.replace(chr(10) * 2, f'</p>{chr(10)}<p>{item.marks[0]}')}"
        + (item.marks[-1])
    )


def historians_article_html(
    title: str, paragraphs: list[tuple[Part, ...]]
) -> tuple[str, list[Expected]]:
    """An HTML article with superscript note markers and its notes as an ordered list at the
    end; its citations in the order they stand (the body's, then the notes')."""
    body: list[str] = []
    expected: list[Expected] = []
    notes: list[str] = []
    in_notes: list[Expected] = []
    for paragraph in paragraphs:
        parts: list[str] = []
        for part in paragraph:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, Expected):
                expected.append(part)
                parts.append(_render_quote(part) if part.kind == "quote" else
                             html.escape(part.written, quote=False))  # fmt: skip
            elif isinstance(part, Nested):
                expected += [part.outer, *part.inner]
                parts.append(_render_quote(part.outer))
            else:
                parts.append(f"<sup>{len(notes) + 1}</sup>")
                note = []
                for piece in part.parts:
                    if isinstance(piece, Expected):
                        in_notes.append(piece)
                        note.append(html.escape(piece.written, quote=False))
                    else:
                        assert isinstance(piece, str)
                        note.append(piece)
                notes.append("".join(note))
        first = paragraph[0]
        inner = "".join(parts)
        block = isinstance(first, Expected) and not first.marks
        body.append(f"<blockquote><p>{inner}</p></blockquote>" if block else f"<p>{inner}</p>")
        if not inner.endswith(":"):
            body.append(f"<p>{filler_text(len(body) + 8_500_000, 60)}</p>")
    if notes:
        body.append("<h2>Notes</h2>\n<ol>" + "".join(f"<li>{n}</li>" for n in notes) + "</ol>")
    markup = (
        f'<html><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="author" content="Jane Roe"><meta name="date" content="2003-05"></head>'
        f"<body>\n{chr(10).join(body)}\n</body></html>"
    )
    return markup, expected + in_notes


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
    # A note after every sentence, naming a document and page; drawn apart, so that the body
    # is the one measured before notes were added.
    notes_rng = random.Random(seed + 1)
    notes = [_speed_note(notes_rng, files, c) for c in cited]
    citation_words = sum(len(c.written.split()) + 10 for c in cited)  # with the lead-in
    citation_words += 5 * len(notes)  # "12. Doc. NOKW-1234, p. 5."
    filler_words = max(10, (words - citation_words) // citations)
    paragraphs: list[tuple[Part, ...]] = [
        (*_speed_sentence(rng, c), note) for c, note in zip(cited, notes, strict=True)
    ]
    markup, expected = article_html("A long article", paragraphs, 9_000_000, filler_words)
    return markup, expected


def _speed_note(rng: random.Random, files: list[Path], cited: Expected) -> Note:
    """ "NOKW-1234, p. 5.": a quote's own document and page; for an identifier, its document
    (absent ones too) at some page; for an invented quote, a document it is not in."""
    if cited.kind == "quote" and cited.target is not None:
        stem, page = cited.target, cited.page
    elif cited.kind == "identifier":
        stem, page = cited.key, 1 + rng.randrange(200)
    else:
        stem, page = rng.choice(files).stem, 1 + rng.randrange(200)
    number = stem.split("-")[1]
    written = rng.choice(("NOKW {}", "NOKW-{}", "Doc. NOKW-{}")).format(number)
    target = stem if cited.kind != "identifier" else cited.target
    return Note((ident(written, f"NOKW-{number}", target), f", p. {page}."))


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
    styles: dict[str, StyleScore] = field(default_factory=dict)  # the Expected with a style


@dataclass
class StyleScore:
    """One style of the historians' articles: found is detected with the right kind and span
    (its quoted words, or the reference's words, exactly); linked is the right document (and
    page for quotes, and every page where the truth lists them)."""

    expected: int = 0
    found: int = 0
    links_due: int = 0
    linked: int = 0
    gaps: int = 0
    gaps_kept: int = 0
    false_links: int = 0
    quotes_due: int = 0
    quotes_linked: int = 0
    works_due: int = 0
    works_linked: int = 0

    def add(self, other: StyleScore) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)


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
        if item.style:
            label = f"[{item.style}] {label}"
        style = result.styles.setdefault(item.style, StyleScore()) if item.style else StyleScore()
        style.expected += 1
        if hit is not None and item.style:
            if _same_span(item, hit):
                style.found += 1
            else:
                result.missed.append(f"{label}: span differs, detected {_short(hit.text)!r}")
        if item.target is None:
            result.gaps += 1
            style.gaps += 1
            if hit is None or hit.target is None:
                result.gaps_kept += 1
                style.gaps_kept += 1
            else:
                result.false_links.append(f"{label} -> {_describe(hit, titles)}")
                style.false_links += 1
            continue
        result.links_due += 1
        result.quotes_due += item.kind == "quote"
        result.works_due += item.kind == "work"
        style.links_due += 1
        style.quotes_due += item.kind == "quote"
        style.works_due += item.kind == "work"
        if hit is None:
            result.missed.append(f"{label}: not detected")
            continue
        if hit.target is None:
            result.missed.append(f"{label}: detected, no link")
            continue
        right = hit.target.doc == stems.get(item.target) and (
            item.kind != "quote" or hit.target.page == item.page
        )
        if right and item.targets:
            pages = [(titles.get(t.doc, str(t.doc)), t.page) for t in hit.targets]
            if pages != list(item.targets):
                result.missed.append(f"{label}: targets {pages}, truth {list(item.targets)}")
                continue
        if right:
            result.links_correct += 1
            result.quotes_correct += item.kind == "quote"
            result.works_correct += item.kind == "work"
            style.linked += 1
            style.quotes_linked += item.kind == "quote"
            style.works_linked += item.kind == "work"
        else:
            result.false_links.append(f"{label} -> {_describe(hit, titles)}")
            style.false_links += 1
    return result


def _same_span(item: Expected, hit: CitationInfo) -> bool:
    """Whether a detection covers what the truth says: the identifier, or the same words."""
    if item.kind == "identifier":
        return hit.identifier == item.key
    return _words(hit.text) == _words(item.written)
