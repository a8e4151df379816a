"""Transcriptions of the real scan linn.png (2550 × 3300 pixels, 300 dpi: a 612 × 792 pt page)
as the tools researchers use write them: Tesseract 5's `alto` output (ALTO v3, its layout as
its altorenderer writes it), Transkribus's exports (ALTO v2, PAGE XML 2013), eScriptorium's
(ALTO v4 with line-level strings, PAGE XML 2019), and ALTO in the physical units library
digitisation uses (mm10, inch1200). The words are the brochure's own (linn.txt). And the
catalog's state, to show that a refused file changed nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from reader.library import Library
from reader.models import Document, Page

# 612 pt / 2550 px: every pixel coordinate below is this many points on the catalog page.
LINN_POINTS_PER_PIXEL = 612 / 2550

TESSERACT_ALTO_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:schemaLocation="http://www.loc.gov/standards/alto/ns-v3# \
http://www.loc.gov/alto/v3/alto-3-0.xsd">
\t<Description>
\t\t<MeasurementUnit>pixel</MeasurementUnit>
\t\t<sourceImageInformation>
\t\t\t<fileName>/home/researcher/scans/linn.png</fileName>
\t\t</sourceImageInformation>
\t\t<OCRProcessing ID="OCR_0">
\t\t\t<ocrProcessingStep>
\t\t\t\t<processingSoftware>
\t\t\t\t\t<softwareName>Tesseract</softwareName>
\t\t\t\t\t<softwareVersion>5.3.4</softwareVersion>
\t\t\t\t</processingSoftware>
\t\t\t</ocrProcessingStep>
\t\t</OCRProcessing>
\t</Description>
\t<Layout>
\t\t<Page WIDTH="2550" HEIGHT="3300" PHYSICAL_IMG_NR="0" ID="page_0">
\t\t\t<PrintSpace HPOS="0" VPOS="0" WIDTH="2550" HEIGHT="3300">
\t\t\t\t<ComposedBlock ID="cblock_0" HPOS="300" VPOS="250" WIDTH="1500" HEIGHT="250">
\t\t\t\t\t<TextBlock ID="block_0" HPOS="300" VPOS="250" WIDTH="1500" HEIGHT="250">
\t\t\t\t\t\t<TextLine ID="line_0" HPOS="300" VPOS="250" WIDTH="1500" HEIGHT="110">
\t\t\t\t\t\t\t<String ID="string_0" HPOS="300" VPOS="250" WIDTH="250" HEIGHT="110" \
WC="0.96" CONTENT="The"/><SP WIDTH="50" VPOS="250" HPOS="550"/>
\t\t\t\t\t\t\t<String ID="string_1" HPOS="600" VPOS="250" WIDTH="1200" HEIGHT="110" \
WC="0.91" CONTENT="LinnSequencer"/>
\t\t\t\t\t\t</TextLine>
\t\t\t\t\t\t<TextLine ID="line_1" HPOS="300" VPOS="400" WIDTH="1400" HEIGHT="100">
\t\t\t\t\t\t\t<String ID="string_2" HPOS="300" VPOS="400" WIDTH="100" HEIGHT="100" \
WC="0.93" CONTENT="32"/><SP WIDTH="30" VPOS="400" HPOS="400"/>
\t\t\t\t\t\t\t<String ID="string_3" HPOS="430" VPOS="400" WIDTH="300" HEIGHT="100" \
WC="0.95" CONTENT="Track"/><SP WIDTH="30" VPOS="400" HPOS="730"/>
\t\t\t\t\t\t\t<String ID="string_4" HPOS="760" VPOS="400" WIDTH="250" HEIGHT="100" \
WC="0.9" CONTENT="MIDI"/><SP WIDTH="30" VPOS="400" HPOS="1010"/>
\t\t\t\t\t\t\t<String ID="string_5" HPOS="1040" VPOS="400" WIDTH="660" HEIGHT="100" \
WC="0.88" CONTENT="Sequence"/>
\t\t\t\t\t\t</TextLine>
\t\t\t\t\t</TextBlock>
\t\t\t\t</ComposedBlock>
\t\t\t</PrintSpace>
\t\t</Page>
\t</Layout>
</alto>
"""

# Transkribus's ALTO v2 export: margins before the print space, a word hyphenated at the end
# of a line (SUBS_TYPE/SUBS_CONTENT and a HYP, Transkribus's "¬").
TRANSKRIBUS_ALTO_V2 = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v2#" \
xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:schemaLocation="http://www.loc.gov/standards/alto/ns-v2# \
http://www.loc.gov/standards/alto/alto-v2.0.xsd">
    <Description>
        <MeasurementUnit>pixel</MeasurementUnit>
        <sourceImageInformation>
            <fileName>linn.png</fileName>
        </sourceImageInformation>
        <OCRProcessing ID="IdOcr">
            <ocrProcessingStep>
                <processingDateTime>2024-03-12T10:04:55.283+01:00</processingDateTime>
                <processingSoftware>
                    <softwareCreator>READ COOP</softwareCreator>
                    <softwareName>Transkribus</softwareName>
                </processingSoftware>
            </ocrProcessingStep>
        </OCRProcessing>
    </Description>
    <Styles>
        <ParagraphStyle ID="ParagraphStyle0" ALIGN="Left" LEFT="0.0" RIGHT="0.0" \
FIRSTLINE="0.0"/>
    </Styles>
    <Layout>
        <Page ID="page_1" PHYSICAL_IMG_NR="1" HEIGHT="3300" WIDTH="2550">
            <TopMargin ID="tm" HEIGHT="200" WIDTH="2550" VPOS="0" HPOS="0"/>
            <LeftMargin ID="lm" HEIGHT="0" WIDTH="0" VPOS="0" HPOS="0"/>
            <RightMargin ID="rm" HEIGHT="0" WIDTH="0" VPOS="0" HPOS="2550"/>
            <BottomMargin ID="bm" HEIGHT="0" WIDTH="2550" VPOS="3300" HPOS="0"/>
            <PrintSpace HEIGHT="2900" WIDTH="2250" VPOS="200" HPOS="150">
                <TextBlock ID="r1" HEIGHT="230" WIDTH="2100" VPOS="700" HPOS="150" \
STYLEREFS="ParagraphStyle0">
                    <TextLine ID="r1l1" BASELINE="790" HEIGHT="100" WIDTH="2100" VPOS="700" \
HPOS="150">
                        <String ID="r1l1w1" CONTENT="The" HEIGHT="100" WIDTH="200" \
VPOS="700" HPOS="150"/>
                        <SP WIDTH="30" VPOS="700" HPOS="350"/>
                        <String ID="r1l1w2" CONTENT="performance" HEIGHT="100" WIDTH="700" \
VPOS="700" HPOS="380"/>
                        <SP WIDTH="30" VPOS="700" HPOS="1080"/>
                        <String ID="r1l1w3" CONTENT="compo" HEIGHT="100" WIDTH="400" \
VPOS="700" HPOS="1110" SUBS_TYPE="HypPart1" SUBS_CONTENT="composition"/>
                        <HYP CONTENT="¬" WIDTH="40" VPOS="700" HPOS="1510"/>
                    </TextLine>
                    <TextLine ID="r1l2" BASELINE="920" HEIGHT="100" WIDTH="2100" VPOS="830" \
HPOS="150">
                        <String ID="r1l2w1" CONTENT="sition" HEIGHT="100" WIDTH="380" \
VPOS="830" HPOS="150" SUBS_TYPE="HypPart2" SUBS_CONTENT="composition"/>
                        <SP WIDTH="30" VPOS="830" HPOS="530"/>
                        <String ID="r1l2w2" CONTENT="tool" HEIGHT="100" WIDTH="250" \
VPOS="830" HPOS="560"/>
                    </TextLine>
                </TextBlock>
            </PrintSpace>
        </Page>
    </Layout>
</alto>
"""

# eScriptorium's ALTO v4: each line one String (its whole text), line polygons in Shape.
ESCRIPTORIUM_ALTO_V4 = """<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#" \
xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:schemaLocation="http://www.loc.gov/standards/alto/ns-v4# \
http://www.loc.gov/standards/alto/v4/alto-4-2.xsd">
  <Description>
    <MeasurementUnit>pixel</MeasurementUnit>
    <sourceImageInformation>
      <fileName>linn.png</fileName>
    </sourceImageInformation>
  </Description>
  <Tags>
    <OtherTag ID="BT1" LABEL="Main" DESCRIPTION="block type Main"/>
    <OtherTag ID="LT1" LABEL="Default" DESCRIPTION="line type Default"/>
  </Tags>
  <Layout>
    <Page WIDTH="2550" HEIGHT="3300" PHYSICAL_IMG_NR="1" ID="eSc_dummypage_">
      <PrintSpace HPOS="0" VPOS="0" WIDTH="2550" HEIGHT="3300">
        <TextBlock ID="eSc_textblock_9f3b1c2a" TAGREFS="BT1" HPOS="200" VPOS="1000" \
WIDTH="2100" HEIGHT="260">
          <Shape><Polygon POINTS="200 1000 2300 1000 2300 1260 200 1260"/></Shape>
          <TextLine ID="eSc_line_6a1f0d3e" TAGREFS="LT1" BASELINE="210 1090 2280 1090" \
HPOS="210" VPOS="1000" WIDTH="2070" HEIGHT="110">
            <Shape><Polygon POINTS="210 1000 2280 1000 2280 1110 210 1110"/></Shape>
            <String CONTENT="Operation is similar to multi-track tape recorder" \
HPOS="210" VPOS="1000" WIDTH="2070" HEIGHT="110" WC="0.9731"/>
          </TextLine>
          <TextLine ID="eSc_line_0c2e7b91" TAGREFS="LT1" BASELINE="210 1240 1500 1240" \
HPOS="210" VPOS="1150" WIDTH="1290" HEIGHT="110">
            <Shape><Polygon POINTS="210 1150 1500 1150 1500 1260 210 1260"/></Shape>
            <String CONTENT="with PLAY, STOP, RECORD controls." \
HPOS="210" VPOS="1150" WIDTH="1290" HEIGHT="110"/>
          </TextLine>
        </TextBlock>
      </PrintSpace>
    </Page>
  </Layout>
</alto>
"""


def physical_alto(unit: str, per_inch: float) -> str:
    """ALTO v2 in a physical unit (mm10: tenths of a millimetre; inch1200), as library
    digitisation writes it: the brochure page of 8.5 × 11 inches, one word one inch from the
    left and two inches from the top, one inch wide and a sixth of an inch high."""
    inch = per_inch
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v2#">
  <Description>
    <MeasurementUnit>{unit}</MeasurementUnit>
    <sourceImageInformation><fileName>linn.png</fileName></sourceImageInformation>
  </Description>
  <Layout>
    <Page ID="P1" PHYSICAL_IMG_NR="1" WIDTH="{8.5 * inch:g}" HEIGHT="{11 * inch:g}">
      <PrintSpace HPOS="0" VPOS="0" WIDTH="{8.5 * inch:g}" HEIGHT="{11 * inch:g}">
        <TextBlock ID="TB1" HPOS="{inch:g}" VPOS="{2 * inch:g}" WIDTH="{inch:g}" \
HEIGHT="{inch / 6:g}">
          <TextLine ID="TL1" HPOS="{inch:g}" VPOS="{2 * inch:g}" WIDTH="{inch:g}" \
HEIGHT="{inch / 6:g}">
            <String ID="S1" CONTENT="polyphonic" WC="0.87" HPOS="{inch:g}" \
VPOS="{2 * inch:g}" WIDTH="{inch:g}" HEIGHT="{inch / 6:g}"/>
          </TextLine>
        </TextBlock>
      </PrintSpace>
    </Page>
  </Layout>
</alto>
"""


# Transkribus's PAGE XML 2013: words with their polygons and confidences; the regions written
# in the file in another order than the ReadingOrder's (the heading region last); a line that
# the layout analysis drew past the page's left and top edges (Transkribus does).
TRANSKRIBUS_PAGE_2013 = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2013-07-15" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:schemaLocation="http://schema.primaresearch.org/PAGE/gts/pagecontent/2013-07-15 \
http://schema.primaresearch.org/PAGE/gts/pagecontent/2013-07-15/pagecontent.xsd">
    <Metadata>
        <Creator>prov=University of Rostock/Institute of Mathematics/CITlab:name=/net_tf/\
LA73_249_0mod360.pb:de.uros.citlab.segmentation.CITlab_LA_ML:v=?0.1
TRP</Creator>
        <Created>2024-03-12T10:04:55.283+01:00</Created>
        <LastChange>2024-03-14T14:21:03.960+01:00</LastChange>
        <TranskribusMetadata docId="812345" pageId="33445566" pageNr="1" status="GT"/>
    </Metadata>
    <Page imageFilename="linn.png" imageWidth="2550" imageHeight="3300">
        <ReadingOrder>
            <OrderedGroup id="ro_1710234295470" caption="Regions reading order">
                <RegionRefIndexed index="1" regionRef="r2"/>
                <RegionRefIndexed index="0" regionRef="r1"/>
            </OrderedGroup>
        </ReadingOrder>
        <TextRegion orientation="0.0" id="r2" custom="readingOrder {index:1;}">
            <Coords points="150,1400 2400,1400 2400,1700 150,1700"/>
            <TextLine id="r2l2" custom="readingOrder {index:1;}">
                <Coords points="150,1560 1200,1560 1200,1660 150,1660"/>
                <Baseline points="150,1650 1200,1650"/>
                <Word id="r2l2w1" custom="readingOrder {index:0;}">
                    <Coords points="150,1560 700,1560 700,1660 150,1660"/>
                    <TextEquiv conf="0.88">
                        <Unicode>synthesizers</Unicode>
                    </TextEquiv>
                </Word>
                <TextEquiv>
                    <Unicode>synthesizers</Unicode>
                </TextEquiv>
            </TextLine>
            <TextLine id="r2l1" custom="readingOrder {index:0;}">
                <Coords points="150,1420 2300,1420 2300,1520 150,1520"/>
                <Baseline points="150,1510 2300,1510"/>
                <Word id="r2l1w1" custom="readingOrder {index:0;}">
                    <Coords points="150,1420 450,1420 450,1520 150,1520"/>
                    <TextEquiv conf="0.95">
                        <Unicode>Each</Unicode>
                    </TextEquiv>
                </Word>
                <Word id="r2l1w2" custom="readingOrder {index:1;}">
                    <Coords points="480,1420 1000,1415 1010,1525 480,1520"/>
                    <TextEquiv conf="0.91">
                        <Unicode>polyphonic</Unicode>
                    </TextEquiv>
                </Word>
                <Word id="r2l1w3" custom="readingOrder {index:2;}">
                    <Coords points="1040,1420 1300,1420 1300,1520 1040,1520"/>
                    <TextEquiv conf="0.93">
                        <Unicode>track</Unicode>
                    </TextEquiv>
                </Word>
                <TextEquiv>
                    <Unicode>Each polyphonic track</Unicode>
                </TextEquiv>
            </TextLine>
            <TextEquiv>
                <Unicode>Each polyphonic track
synthesizers</Unicode>
            </TextEquiv>
        </TextRegion>
        <TextRegion orientation="0.0" id="r1" custom="readingOrder {index:0;}">
            <Coords points="-20,-15 1900,-15 1900,150 -20,150"/>
            <TextLine id="r1l1" custom="readingOrder {index:0;}">
                <Coords points="-20,-15 1900,-15 1900,150 -20,150"/>
                <Baseline points="0,140 1900,140"/>
                <Word id="r1l1w1" custom="readingOrder {index:0;}">
                    <Coords points="-20,-15 900,-15 900,150 -20,150"/>
                    <TextEquiv conf="0.97">
                        <Unicode>Remarkable</Unicode>
                    </TextEquiv>
                </Word>
                <Word id="r1l1w2" custom="readingOrder {index:1;}">
                    <Coords points="950,-15 1900,-15 1900,150 950,150"/>
                    <TextEquiv conf="0.96">
                        <Unicode>features</Unicode>
                    </TextEquiv>
                </Word>
                <TextEquiv>
                    <Unicode>Remarkable features</Unicode>
                </TextEquiv>
            </TextLine>
            <TextEquiv>
                <Unicode>Remarkable features</Unicode>
            </TextEquiv>
        </TextRegion>
    </Page>
</PcGts>
"""

# eScriptorium's PAGE XML 2019: lines of no words (handwriting recognition), a region inside a
# region (a marginal note), and a region of no lines whose own TextEquiv holds its text.
ESCRIPTORIUM_PAGE_2019 = """<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:schemaLocation="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15 \
http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15/pagecontent.xsd">
  <Metadata>
    <Creator>escriptorium</Creator>
    <Created>2024-05-02T09:12:44.118263+00:00</Created>
    <LastChange>2024-05-02T09:40:03.551020+00:00</LastChange>
  </Metadata>
  <Page imageFilename="linn.png" imageWidth="2550" imageHeight="3300">
    <TextRegion id="eSc_textblock_5d0c1f7e" custom="structure {type:Main;}">
      <Coords points="200,2000 2300,2000 2300,2400 200,2400"/>
      <TextLine id="eSc_line_8e2b44a1" custom="structure {type:Default;}">
        <Coords points="210,2010 1100,2005 2290,2012 2290,2110 1100,2115 210,2108"/>
        <Baseline points="210,2100 2290,2100"/>
        <TextEquiv conf="0.94">
          <Unicode>Ultra-fast disk drive stores complex songs in seconds</Unicode>
        </TextEquiv>
      </TextLine>
      <TextLine id="eSc_line_1f7a9c03" custom="structure {type:Default;}">
        <Coords points="210,2150 1400,2150 1400,2250 210,2250"/>
        <Baseline points="210,2240 1400,2240"/>
        <TextEquiv>
          <Unicode>and holds over 110,000 notes per disk</Unicode>
        </TextEquiv>
      </TextLine>
      <TextRegion id="eSc_textblock_margin" custom="structure {type:Margin;}">
        <Coords points="2320,2000 2500,2000 2500,2100 2320,2100"/>
        <TextLine id="eSc_line_margin">
          <Coords points="2320,2000 2500,2000 2500,2100 2320,2100"/>
          <TextEquiv><Unicode>sic</Unicode></TextEquiv>
        </TextLine>
      </TextRegion>
    </TextRegion>
    <TextRegion id="eSc_textblock_caption">
      <Coords points="200,2600 1600,2600 1600,2700 200,2700"/>
      <TextEquiv><Unicode>TRANSPOSED at the touch of a key</Unicode></TextEquiv>
    </TextRegion>
  </Page>
</PcGts>
"""


def catalog_state(folder: Path) -> list[tuple[Any, ...]]:
    """Everything an attach could change, page by page."""
    with Library(folder) as library, library.session() as session:
        pages = session.scalars(select(Page).order_by(Page.document_id, Page.number)).all()
        documents = session.scalars(select(Document)).all()
        return [
            (len(documents),),
            *(
                (p.document_id, p.number, p.text, p.text_source, p.ocr_state, p.revision,
                 p.indexed, p.ocr_confidence, json.dumps(p.words))
                for p in pages
            ),
        ]  # fmt: skip
