"""Writes the bundled sample collection into resources/sample/ (deterministic).

Every text here is invented for the demo: the documents are modelled on the register of
wartime German army files in English translation, but no sentence is taken from a real one.
Run: python resources/make_sample.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import (
    born_digital_pdf,
    save_png,
    save_tiff,
    scanned_pdf,
    typewritten_image,
)

SAMPLE = Path(__file__).resolve().parent / "sample"

NOKW_1088 = [
    """HEADQUARTERS 118th JAEGER DIVISION              NOKW-1088
Ia No. 612/43 secret                        12 March 1943

To the Commanding General in Croatia,
General Glaise von Horstenau, Agram.

Subject: Situation in the Nevesinje sector, 8 to 11 March.

1. The battalions of the 738th regiment reached Gacko on the
evening of the ninth. The roads were open again after the thaw.

2. The bands withdrew from the villages near Nevesinje during the
night of the tenth and left their wounded behind in two farms.""",
    """3. The order stood: no village that sheltered the bands was to
be spared, and the supply columns were to move only by day and
under escort of two companies.

4. The railway bridge at Mostar was repaired by the engineers and
opened to traffic on the morning of the eleventh.

5. Losses: four dead, eleven wounded, two missing.

For the Division Commander
the First General Staff Officer""",
]

NOKW_1080 = """HEADQUARTERS 118th JAEGER DIVISION              NOKW-1080
Ia No. 598/43 secret                         9 March 1943

To the 738th Jaeger Regiment.

The bands were reported in the villages south of Nevesinje.
The supply columns moved by night and without escort, against
standing instructions. Until further orders no column is to
leave Mostar without the consent of the regiment. The bridge at
Mostar remains closed to heavy vehicles."""

NO_3012 = [
    """OFFICE OF THE PLENIPOTENTIARY GENERAL IN CROATIA    NO-3012
Telegram                                   Agram, 14 March 1943

To the Armed Forces Commander Southeast, Salonika.

Reports from the Nevesinje sector reached me only today. I must
state that I cannot answer for measures taken without my
knowledge, and I ask that the reports of the divisions be
forwarded to Agram at once.""",
    """Telegram, second part.

The population of the valley fled to the mountains. Whoever
burns the villages drives the men to the bands. I ask for a
conference before further operations are ordered.

Glaise""",
]

PS_1014 = """MEMORANDUM                                          PS-1014
Berlin, 2 April 1943

Concerning: reports from the Southeast.

The Fuehrer's headquarters has received the reports of the
Plenipotentiary General in Croatia. The Armed Forces Commander
Southeast is to report by the tenth on the conduct of the
operations in the Nevesinje and Gacko sectors."""

MEMOIR = [
    "Years in the Mountains\n\nMarko Petrović\n\nChapter Seven: The Thaw\n\n"
    "We came down from the Zelengora when the snow began to melt. In Nevesinje the houses "
    "stood empty, and the old men who had stayed behind told us that the soldiers had "
    "come in the night and gone again before morning.",
    "Dragiša Šimić, who carried our messages to Gacko, said that the bridge at Mostar was "
    "open again and that the columns moved only by day. We did not believe him until we saw "
    "the lorries ourselves, creeping along the valley road under their escort.",
    "In the spring of that year Horstenau's name was spoken in every village, though none of "
    "us had seen him. People said he had written to Belgrade against the burnings. Whether "
    "that was true I learned only after the war, from the papers at Nuremberg.",
]

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Orders and Their Echoes: The Nevesinje Operation of March 1943</title>
<meta name="author" content="Jane Roe">
<meta name="date" content="1998-05">
</head><body>
<h1>Orders and Their Echoes: The Nevesinje Operation of March 1943</h1>
<p>The files of the 118th Jaeger Division, filmed for the Nuremberg trials and kept in
Record Group 238, allow the operation around Nevesinje to be followed almost day by day. The
division's report of 12 March (NOKW 1088) is the central document. Its third paragraph
records that "the order stood: no village that sheltered the bands was to be spared . . . and
the supply columns were to move only by day."<sup>1</sup></p>
<p>An earlier report, NOKW-1080, shows that the columns had moved by night until then. The
change is easy to date: by the eleventh, the report says, "the railway bridge at Mostar was
repaired by the engineers and opened to traffic."<sup>2</sup></p>
<p>The Plenipotentiary General in Croatia protested within two days. In a telegram preserved as
Doc. NO-3012 he wrote that he could not “answer for measures taken without [his]
knowledge,” and asked for the reports to be forwarded at once.<sup>3</sup> His second
telegram put the matter more bluntly:</p>
<blockquote><p>Whoever burns the villages drives the men to the bands.</p></blockquote>
<p>Berlin took note; the memorandum PS-1014 asked the Armed Forces Commander Southeast for a
report by the tenth of April. Whether that report was written is unknown: a later file,
cited in the literature as NOKW-2215, has not been found. The captured German records filmed
at Alexandria (T-501, roll 255) may hold it.</p>
<p>Memoirs confirm the picture from the other side. Petrović remembers that the columns
“moved only by day” and that Horstenau's name “was spoken in every village, though none of
us had seen him.”<sup>4</sup></p>
<h2>Notes</h2>
<ol>
<li>NOKW 1088, p. 2.</li>
<li>Ibid.</li>
<li>NO-3012; see also Roberts, Tito, Mihailovic and the Allies, 1973.</li>
<li>Petrović, Years in the Mountains (1961), ch. 7.</li>
</ol>
</body></html>
"""

NOTES = """# Research notes: Nevesinje, March 1943

- NOKW-1080 (9 March): columns still moving by night. Compare with NOKW 1088.
- Look in RG 242 for the division's war diary; the Nuremberg copies in Record Group 238
  lack the annexes.
- Ask the archive about the film of T-501, roll 255.
"""

README = """# Sample collection

A small invented archive for trying Archive Reader: `./dev app` imports it on first start.

- `primary/NOKW-1088.pdf`: a two-page typewritten divisional report (scanned, no text layer).
- `primary/NOKW-1080.png`: an earlier report that shares many words with NOKW-1088.
- `primary/NO-3012.tif`: a two-page telegram (multi-page TIFF).
- `primary/PS-1014.png`: a memorandum.
- `primary/memoir-excerpt.pdf`: a born-digital memoir excerpt by an invented author.
- `secondary/article.html`: an article that cites the above by identifier and quotation,
  cites a work, and cites NOKW-2215, which the collection lacks (a gap).
- `secondary/notes.md`: research notes.

Every text was written for this demo; names of places and offices are historical, the
documents are not. Regenerate with `python resources/make_sample.py`.
"""


def main() -> None:
    primary = SAMPLE / "primary"
    secondary = SAMPLE / "secondary"
    primary.mkdir(parents=True, exist_ok=True)
    secondary.mkdir(parents=True, exist_ok=True)
    scanned_pdf(
        primary / "NOKW-1088.pdf",
        [typewritten_image(text, seed=10 + i, noise=0.6) for i, text in enumerate(NOKW_1088)],
    )
    save_png(
        typewritten_image(NOKW_1080, seed=20, noise=0.6, skew_degrees=1.2),
        primary / "NOKW-1080.png",
    )
    telegrams = [typewritten_image(t, seed=30 + i, noise=0.5) for i, t in enumerate(NO_3012)]
    save_tiff([page.convert("1") for page in telegrams], primary / "NO-3012.tif")
    save_png(typewritten_image(PS_1014, seed=40, noise=0.5), primary / "PS-1014.png")
    born_digital_pdf(
        primary / "memoir-excerpt.pdf", MEMOIR, title="Years in the Mountains",
        author="Marko Petrović",
    )  # fmt: skip
    (secondary / "article.html").write_text(ARTICLE, encoding="utf-8")
    (secondary / "notes.md").write_text(NOTES, encoding="utf-8")
    (SAMPLE / "README.md").write_text(README, encoding="utf-8")


if __name__ == "__main__":
    main()
