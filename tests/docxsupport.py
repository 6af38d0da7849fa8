"""A Word manuscript written by the test itself with python-docx: headings, italics and bold,
curly quotes, a block quotation, a centred line of asterisks, an image with a description, and
a footnote. python-docx has no footnote API: the footnotes part (word/footnotes.xml) is written
here by hand, related to the document, and called from a run with <w:footnoteReference>."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches
from PIL import Image, ImageDraw

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
NOTE_TEXT = "The ferry stopped running in 1931."
IMAGE_DESCRIPTION = "A ferry crossing a grey harbour at dawn"


def _footnotes_part(document: object, text: str) -> None:
    xml = (
        f'<w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote>"
        '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    main = document.part  # type: ignore[attr-defined]
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, xml.encode(), main.package)
    main.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)


def _call_footnote(paragraph: object, number: int) -> None:
    run = paragraph.add_run()  # type: ignore[attr-defined]
    style = OxmlElement("w:rPr")
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    style.append(align)
    run._r.append(style)
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), str(number))
    run._r.append(reference)


def _picture(path: Path) -> Path:
    image = Image.new("RGB", (480, 300), (200, 210, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 180, 420, 230), fill=(60, 60, 70))
    image.save(path)
    return path


def write_manuscript(path: Path) -> Path:
    """A two-chapter manuscript, as an author would send it."""
    doc = Document()
    props = doc.core_properties
    props.title = "The Ferry"
    props.author = "Ann Lee"
    props.language = "en-GB"
    props.created = dt.datetime(2025, 3, 14, 9, 30)

    doc.add_heading("The Crossing", level=1)
    p = doc.add_paragraph("The boat left at six. ")
    p.add_run("Nobody").italic = True
    p.add_run(" spoke, and the ")
    p.add_run("engine").bold = True
    p.add_run(" ran rough all the way")
    _call_footnote(p, 1)
    p.add_run(".")
    doc.add_paragraph("“We’ll be late,” she said — and they were.")
    doc.add_paragraph("A quiet sea is a lie the sea tells.", style="Quote")
    star = doc.add_paragraph("* * *")
    star.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("On the far side the gulls were waiting.")
    doc.add_picture(str(_picture(path.with_suffix(".png"))), width=Inches(3))
    doc.inline_shapes[0]._inline.docPr.set("descr", IMAGE_DESCRIPTION)
    doc.add_heading("The Harbour", level=1)
    doc.add_heading("Morning", level=2)
    doc.add_paragraph("The harbour master counted the passengers twice.")
    _footnotes_part(doc, NOTE_TEXT)
    doc.save(str(path))
    return path
