"""THE registry: every diagnostic code `octavo build` or `octavo check` can report, with its
severity, the one-line summary printed with every finding, and the explanation that
`octavo check --explain CODE` prints. One table, so a code means one thing wherever it appears.

Families, by first letter:
  T typography of the manuscript (check)      S structure: footnotes, headings, images, links
  M metadata in book.toml (check)             F fonts: characters the theme cannot draw
  H hostile or unsafe input cleaned (build)   E the EPUB (build)
  P the print PDF (build and check)           A accessibility, as DAISY Ace finds it (check)
  L the check itself could not run
EPUBCheck's own message IDs (RSC-005, OPF-014…) pass through unchanged: they are EPUBCheck's
stable names, documented by it, and what an author will search for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from octavo.core.diagnostics import Diagnostic, Severity
from octavo.core.errors import OctavoError


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    summary: str  # printed with every finding: one line, fixed, so authors can search for it
    explanation: str  # what --explain prints

    def at(
        self,
        path: Path | None,
        line: int | None = None,
        col: int | None = None,
        detail: str = "",
    ) -> Diagnostic:
        """A finding of this code at a place; `detail` says what exactly was found."""
        message = f"{self.summary}: {detail}" if detail else self.summary
        return Diagnostic(path, line, col, self.severity, self.code, message)


def _table(*codes: tuple[str, Severity, str, str]) -> dict[str, Code]:
    table: dict[str, Code] = {}
    for code, severity, summary, explanation in codes:
        if code in table:
            raise ValueError(f"diagnostic code {code} is declared twice")
        table[code] = Code(code, severity, summary, " ".join(explanation.split()))
    return table


CODES: dict[str, Code] = _table(
    # --- T: typography of the manuscript -----------------------------------------------------
    (
        "T001",
        "warning",
        "unbalanced quotation marks",
        """A quotation mark opens and never closes, closes what never opened, or a quotation opens
        inside one of its own kind (“ inside “: a closing mark is missing before it, for a
        quotation inside a quotation takes ‘) — except a few words quoted as words, which some
        printers mark like the speech around them (“It was the words “descended into Hades”
        that…”: in lower case, after a word that is not a verb of speech, closed on its line
        with no sentence's end inside). The marks are the book's language's (“…” and ‘…’;
        German „…“ and ‚…‘; French «…» with “…” inside; Swedish ”…”). Apostrophes are not
        quotes: ’ inside a word, before a known elision (’tis, ’em, ’90s) or before any other
        word (dialect ’spose, ’top) is an apostrophe, unless a ’ after punctuation (.’ ,’ !’)
        closes it as a quotation. A quotation may run on: through the paragraphs or stanzas of
        one block quotation (a quoted letter closes at its signature); into a letter, address or
        poem set as a block quotation within a speech (unless a speech tag stands inside the
        open quotation), and on into the paragraph after it; and from one paragraph (or stanza
        of verse) into the next when that one opens with the same mark (“, or “‘ when a
        quotation inside is open too) and continues the same speech: the open quotation holds no
        speech tag (“Come here, he said.), it is a long speech (60 words or more) or ends
        leading on (with a dash or a colon; in verse only a long one does, for a short speech
        broken off with a dash is a speaker interrupted by the next), and the next paragraph is not another speaker's (a
        tag such as said Jane; he continued is the same speaker) nor a reply of one sentence (in
        verse, where each speaker mostly takes a stanza, nor a speech of two sentences closed
        there). In
        French an exchange runs on into paragraphs that open with a dialogue dash or », and tags
        stand inside (« Oui, dit-il, je viens. »).""",
    ),
    (
        "T002",
        "warning",
        "closing quotation mark where an opening one belongs",
        """A closing quotation mark stands before a word, where a quotation opens: word processors
        turn a quote typed after a dash or a bracket the wrong way (son—”I don’t…). Fixable
        (octavo check --fix) after a dash or at the start of a paragraph, where only the opening
        mark can stand.""",
    ),
    (
        "T003",
        "warning",
        "opening quotation mark where a closing one belongs",
        """An opening quotation mark stands after a word, where a quotation closes (Hello“ he
        said).""",
    ),
    (
        "T004",
        "warning",
        "straight quotation mark left in the text",
        """A typewriter quote (" or ') will be printed as it is: typography is off for this file,
        or the mark stands where it can neither open nor close (between two spaces). Type the
        curly mark of the book's language. In a file typed with curly quotes, a straight one is
        a leftover even where the build would curl it: the manuscript should say what the book
        prints. Fixable (octavo check --fix) where the build's typography reads it one way.""",
    ),
    (
        "T005",
        "warning",
        "spaced hyphen used as a dash",
        """A hyphen joins words; between spaces it stands for a dash. Write an em dash (—), or a
        spaced en dash ( – ) if that is the book's style. Fixable (octavo check --fix): the fix
        writes the dash the file already uses between words (a closed em dash or a spaced en
        dash; in a file with neither, an em dash in English and a spaced en dash in other
        languages), and an em dash for a hyphen that opens a line of dialogue.""",
    ),
    (
        "T006",
        "warning",
        "double space",
        """Two or more spaces between words: a leftover of typewriter habits or of an edit. The
        book shows one space, but the source often hides a missing or deleted word here. Fixable
        (octavo check --fix: one space; look at the diff first with --diff).""",
    ),
    (
        "T007",
        "warning",
        "three dots instead of an ellipsis",
        """Three full stops print as three full stops when typography is off for the file: write
        the ellipsis character (…), or turn typography on and let the build set it. In a file
        typed with curly quotes, dashes and ellipses, three dots are a leftover even where the
        build would set them. Fixable (octavo check --fix).""",
    ),
    (
        "T008",
        "warning",
        "hyphens instead of a dash",
        """Two or three hyphens print as hyphens when typography is off for the file: write an en
        dash (–) or an em dash (—), or turn typography on and let the build set them. In a file
        typed with curly quotes, dashes and ellipses, they are a leftover even where the build
        would set them. Fixable (octavo check --fix).""",
    ),
    (
        "T009",
        "warning",
        "apostrophe turned the wrong way",
        """An apostrophe is always ’. Word processors type ‘ before elisions (‘tis, the ‘90s), and
        some keyboards give an accent (´) or a backtick inside words (don´t). Fixable (octavo
        check --fix).""",
    ),
    (
        "T010",
        "warning",
        "paragraph ends with a comma",
        """A paragraph that ends with a comma is a sentence broken in two, usually by a stray line
        break (in plain text, every line is a paragraph): join the line to the next one.
        Dialogue introduced by 'he said,' belongs in the same paragraph as the words said.
        Letters quoted in block quotations ('Dear Sir,', 'Yours ever,') are left alone.""",
    ),
    # --- S: structure --------------------------------------------------------------------------
    (
        "S001",
        "error",
        "footnote reference without a definition",
        """A footnote is cited ([^label]) but no line defines it ([^label]: text), so the book
        prints the brackets as they are.""",
    ),
    (
        "S002",
        "warning",
        "footnote defined but never referenced",
        """A footnote is defined ([^label]: text) but nothing in the chapter cites it, so it
        never reaches the book.""",
    ),
    (
        "S003",
        "warning",
        "heading level skips",
        """Headings go down one level at a time: the chapter title is level 1 (#), its sections
        level 2 (##), their subsections level 3 (###). A skipped level breaks the table of
        contents and the outline that screen readers announce.""",
    ),
    (
        "S004",
        "warning",
        "image without alt text",
        """An image needs a text alternative (![what it shows](file.png)) for readers who cannot
        see it; EPUB accessibility asks for one. An image that carries no meaning (a rule, an
        ornament) is marked ![](file.png){.decorative}. The build reports it too, and the EPUB
        then claims no conformance to EPUB Accessibility.""",
    ),
    (
        "S005",
        "warning",
        "broken link",
        """A link points to a file that is not a chapter of the book, to an anchor (#name) that
        no heading or element of its chapter has, or to a page outside the book (an mdBook's
        ../std/… links): the build sets its text as plain text, so neither edition holds a link
        that leads nowhere. Link to a chapter by its file name (02-the-road.md, or 02-the-road.html
        as mdBook writes it) and to a heading by its slug (#a-section) or its {#id}.""",
    ),
    (
        "S006",
        "error",
        "missing image",
        """An image's file does not exist, or lies outside the book folder, where the build
        cannot take it from. Paths are relative to the manuscript file.""",
    ),
    (
        "S007",
        "warning",
        "include left out",
        """An mdBook {{#include file}} or {{#rustdoc_include file}} names a file that does not
        exist or cannot be read, or an anchor (file:name) that the file does not mark with
        ANCHOR: name and ANCHOR_END: name. The directive is left in the text as written, as mdBook
        leaves it, so the gap shows on the page. Paths are relative to the chapter file.""",
    ),
    (
        "S008",
        "info",
        "draft chapter left out",
        """SUMMARY.md lists a draft chapter, [Title]() with no file: mdBook shows it greyed out
        in its sidebar; a book has no page for it, so it is left out of both editions. Give
        it a file when it is written.""",
    ),
    (
        "S009",
        "warning",
        "word-processor file in the manuscript",
        """A Word (.docx, .doc) or OpenDocument (.odt) file, or a Rich Text file, lies in
        manuscript/, where octavo reads only Markdown (.md) and plain text (.txt): it is left out
        of the book. `octavo import draft.docx --into BOOK` turns a .docx into Markdown
        chapters (a chapter at each Heading 1, italics, footnotes, images and the document's
        title and author kept); save any other format as .docx first. Then move the original
        out of manuscript/.""",
    ),
    (
        "S010",
        "warning",
        "formula that does not parse",
        """A formula between `$…$` or `$$…$$` (or an mdBook's `\\\\(…\\\\)` and `\\\\[…\\\\]`) is
        not TeX that octavo can set: a brace left open or closed twice, a subscript or
        superscript with nothing after it, a `\\left` without its `\\right`, an environment or a
        command it does not know (a macro of your own, say). The book is still built: the
        formula is set as code, as written, in both editions. Mend the TeX, or escape a dollar
        that is not mathematics as `\\$`.""",
    ),
    # --- M: metadata ---------------------------------------------------------------------------
    (
        "M001",
        "error",
        "the book has no title",
        """book.toml needs a title (title = "My Book"): it goes on the cover page, in the EPUB's
        metadata and in every reading system's library. The check goes on with the folder's
        name.""",
    ),
    (
        "M002",
        "warning",
        "the book's language is not set",
        """Without language = "…" (a BCP 47 tag such as en-GB, fr, de) the book is declared
        English: quotes, hyphenation, the EPUB's metadata and screen readers' voices all follow
        it.""",
    ),
    (
        "M003",
        "error",
        "invalid ISBN",
        """An ISBN has 10 or 13 digits and its last digit is a check digit computed from the
        others; when it does not match, the number was mistyped. The check goes on without the
        ISBN.""",
    ),
    # --- F: fonts --------------------------------------------------------------------------------
    (
        "F001",
        "warning",
        "character the theme's font lacks",
        """The theme's font has no glyph for this character, so the PDF borrows it from another
        font of the machine (and EPUB readers from theirs): it will not match the text around
        it. Choose a theme whose font covers the book's script, or replace the character.""",
    ),
    # --- H: hostile or unsafe input, cleaned by the build -----------------------------------------
    (
        "H001",
        "warning",
        "control characters removed",
        """The file holds control characters that XML forbids (NUL, form feed, …): an EPUB
        holding one would not open. The build removes them; the warning names how many, which,
        and where the first one was. They usually come from a copy and paste out of another
        program.""",
    ),
    (
        "H002",
        "warning",
        "raw HTML removed",
        """Raw HTML in Markdown is kept when it is book markup (<span class>, <sup>, <br>,
        <div>, tables, a style attribute with typographic properties). Scripts, event handlers
        (on…=), embedded documents and media (<iframe>, <object>, <svg>, <video>…) and
        javascript: links are removed, because a reading system might run them.""",
    ),
    (
        "H003",
        "warning",
        "image left out",
        """An image that is remote (http:), a file: URL, outside the book folder (../, a
        symbolic link) or an SVG with XML entities, scripts or outside references is left out;
        its alt text takes its place. octavo never fetches from the network and reads only the
        book folder.""",
    ),
    (
        "H004",
        "warning",
        "outside reference refused",
        """A style sheet's @import or url(), a style sheet, theme file or cover that is remote or
        lies outside the book folder is removed: the EPUB must not make a reading system fetch
        from the network, nor ship a file from elsewhere on the disk. The rest of the style
        sheet is kept. An mdBook {{#include ../../elsewhere}} that leaves the book folder is not
        read either: the directive stays in the text as written.""",
    ),
    # --- L: the check itself ----------------------------------------------------------------
    (
        "L001",
        "error",
        "the check could not run",
        """The book could not be loaded or checked, so nothing else was checked: book.toml cannot
        be read or has a wrong value, a manuscript file cannot be found or is not UTF-8 text, its
        Markdown nests too deeply, or a tool the check needs (Java for EPUBCheck) is missing. The
        message names the file and place when it is known. The exit code is 2. An unexpected
        failure of octavo itself is reported the same way, with the error's type; run octavo
        again with OCTAVO_DEBUG=1 and without --format json to see where it happened.""",
    ),
    # --- E: the EPUB -----------------------------------------------------------------------------
    (
        "E001",
        "warning",
        "cover image too small",
        """Stores (Amazon, Apple, Kobo) ask for a cover of at least 1600 × 2560 pixels; a
        smaller one is shown blurred or refused. The book is built with it all the same.""",
    ),
    (
        "E002",
        "warning",
        "cover image not in the ratio 1 : 1.6",
        """Stores expect a cover 1.6 times as tall as it is wide (1600 × 2560 pixels); another
        ratio is cropped or shown with bars.""",
    ),
    (
        "E003",
        "warning",
        "typographic cover cannot show some characters",
        """Without a cover image the EPUB's cover is set in type from the title, subtitle and
        author in the theme's font. No installed font has some of their characters, so they
        would show as empty boxes: give the book a cover image ('cover' in book.toml).""",
    ),
    (
        "E004",
        "warning",
        "print pages not placed in the EPUB",
        """The EPUB carries the print edition's page numbers (page-break markers and a
        page-list). A page whose first word cannot be found in the EPUB's text is left out of
        the page-list; please report it, since the two editions are made from the same text.""",
    ),
    (
        "E005",
        "warning",
        "link leads nowhere",
        """A link in the EPUB names an anchor (#name) that no document of it has (links of the
        manuscript are settled when it is read, S005: this one came another way). The link is
        removed and its text kept, so the EPUB stays valid.""",
    ),
    (
        "E006",
        "warning",
        "text coloured with too little contrast",
        """Raw HTML in the manuscript gives some text a colour (style="color: …") that contrasts
        less than 4.5 : 1 with its background, the least WCAG 2.2 AA allows for body text. Readers
        with low vision cannot read it, and the EPUB claims no conformance to EPUB Accessibility.
        Choose a darker colour, or leave the colour to the reading system.""",
    ),
    # --- A: accessibility, as DAISY Ace finds it (check, when Ace is installed) --------------
    (
        "A000",
        "warning",
        "accessibility check failed (DAISY Ace)",
        """DAISY Ace, the EPUB accessibility checker, reports a failed check that octavo has no
        code of its own for; the message names Ace's rule. Ace's rules are listed at
        https://daisy.github.io/ace/rules/ and in the axe-core documentation.""",
    ),
    (
        "A001",
        "warning",
        "the package declares no language (DAISY Ace: epub-lang)",
        """The package document's <package> element has no xml:lang, so reading systems cannot
        tell the language of the metadata. octavo writes it from book.toml's language; this
        appears only for an EPUB octavo did not finish.""",
    ),
    (
        "A002",
        "warning",
        "page numbers without a source (DAISY Ace: epub-pagesource)",
        """The EPUB marks the pages of a print edition but does not say which one
        (pageBreakSource). octavo names the print ISBN (print_isbn, else isbn) or its own print
        edition.""",
    ),
    (
        "A003",
        "warning",
        "link told apart by colour alone (DAISY Ace: link-in-text-block)",
        """A link inside running text differs from the text around it only by its colour:
        readers who do not see colour cannot find it. Underline it (text-decoration) in the
        book's own style sheet, as the built-in themes do.""",
    ),
    (
        "A004",
        "warning",
        "table header cell without text (DAISY Ace: empty-table-header)",
        """A header cell names the cells under it for screen readers; an empty one names
        nothing. octavo sets an empty header cell of a Markdown table as an ordinary cell; raw
        HTML tables need a text in each <th>.""",
    ),
    (
        "A005",
        "warning",
        "heading levels skip (DAISY Ace: heading-order)",
        """Headings must go down one level at a time for the outline screen readers announce.
        octavo renumbers Markdown headings that skip (and check reports them as S003); raw HTML
        headings are left as written.""",
    ),
    (
        "A006",
        "warning",
        "text with too little colour contrast (DAISY Ace: color-contrast)",
        """Text and its background contrast less than WCAG 2.2 AA allows (4.5 : 1 for body
        text). It usually comes from a colour in raw HTML or the book's own style sheet.""",
    ),
    (
        "A007",
        "warning",
        "image without a text alternative (DAISY Ace: image-alt)",
        """An image has no alt text and is not marked decorative. Describe it (![what it
        shows](file.png)) or mark it {.decorative} if it carries no meaning (see S004).""",
    ),
    (
        "A008",
        "warning",
        "link without a name (DAISY Ace: link-name)",
        """A link has no text a screen reader can say: give it words, or an aria-label in raw
        HTML.""",
    ),
    # --- P: the print PDF --------------------------------------------------------------------------
    (
        "P001",
        "error",
        "font not embedded in the print PDF",
        """Printers and print-on-demand services (KDP, IngramSpark) reject a PDF whose fonts are
        not embedded: the page would be set in whatever font their machine has.""",
    ),
    (
        "P002",
        "warning",
        "font outside the theme in the print PDF",
        """Text was set in a font that is not the theme's, because the theme's font lacks some
        characters (see F001) or a style asks for a generic font such as monospace. The page
        then depends on the fonts of the machine that built it. When the theme's fonts have
        every character that font set, the text is a picture's: an SVG whose <text> names a
        font the theme does not use (or the machine lacks) prints its words in another.""",
    ),
    (
        "P003",
        "warning",
        "overfull line in the print PDF",
        """A line runs past the right edge of the text block because nothing in it can break: a
        long URL, a word the hyphenation patterns do not know, a long code span. Rephrase, add a
        soft hyphen (U+00AD) or a zero-width space (U+200B) where it may break.""",
    ),
    # P020–P031: the page-quality report (print/quality.py, check/pagequality.py). Each names
    # the printed folio and the PDF page, and the manuscript line of the paragraph concerned.
    (
        "P020",
        "warning",
        "widow: a paragraph's last line alone at the top of a page",
        """The last line of a paragraph was carried over to the top of the next page on its own.
        The themes ask for two lines at least (CSS `widows: 2`), so this comes from a rule of
        the book's own: a style sheet that sets `widows: 1`, or a line kept with a picture.
        Rewording the paragraph by a few words moves the break.""",
    ),
    (
        "P021",
        "warning",
        "orphan: a paragraph's first line alone at the foot of a page",
        """The first line of a paragraph stands alone at the foot of a page, the rest on the
        next. The themes ask for two lines at least (CSS `orphans: 2`), so this comes from a
        rule of the book's own; rewording the paragraph before it moves the break.""",
    ),
    (
        "P022",
        "warning",
        "hyphen ladder: more than two lines in a row end in a hyphen",
        """Three or more consecutive lines end in a hyphen: the right edge of the text block
        shows a ladder of hyphens that draws the eye. The layout's second pass (theme option
        `repair`) sets such a paragraph again with one hyphenation point forbidden or a
        tracking nudge of at most 0.5 %; what it cannot mend is listed here. A soft hyphen
        (U+00AD) elsewhere in the paragraph, or a word changed, breaks the ladder.""",
    ),
    (
        "P023",
        "warning",
        "hyphen at the foot of a recto: a word broken across a page turn",
        """The last line of a right-hand page ends in a hyphen, so the reader turns the leaf in
        the middle of a word. The second pass of the layout (theme option `repair`) sets the
        paragraph again or makes the spread one line longer or shorter; what it cannot mend is
        listed here. Rewording the paragraph moves the break.""",
    ),
    (
        "P024",
        "info",
        "hyphen at the foot of a verso: a word broken across the spread",
        """The last line of a left-hand page ends in a hyphen: the word goes on at the top of
        the facing page, without turning a leaf. Milder than at the foot of a recto (P023); the
        second pass mends it when it can without moving any page.""",
    ),
    (
        "P025",
        "warning",
        "short page: the text ends more than two lines above the foot",
        """A page in the middle of a chapter ends more than two lines above the foot of the text
        block, counted in whole lines of the book's body text, and the page after it does not
        begin where the book asks for a break. Usually a heading kept with the two lines after
        it, a picture or a table that did not fit, or a footnote pushed the text on. The last
        page of a chapter may be short; the others should be full.""",
    ),
    (
        "P026",
        "warning",
        "heading or scene break stranded at the foot of a page",
        """A heading or a scene break is the last thing on a page; what it introduces starts on
        the next. The themes keep headings with what follows (`break-after: avoid`), so this
        comes from a rule of the book's own or from a block too tall to move.""",
    ),
    (
        "P027",
        "info",
        "loose line: word spaces more than 2.5 × the normal space",
        """A justified line whose word spaces were stretched to more than two and a half times
        the font's own space: the line looks gappy, and lines like it make rivers of white.
        WeasyPrint justifies by widening spaces only, never by tracking or shrinking them. A
        soft hyphen (U+00AD) in a long word at the start of the next line, or a word changed,
        tightens the line. (bench/quality.py also counts lines over 2 ×.)""",
    ),
    (
        "P028",
        "warning",
        "short table split across pages",
        """A table of five rows or fewer was split across a page turn. The themes keep short
        tables whole (`break-inside: avoid`); this one was too tall for a page, or a style of
        the book's own lets it break.""",
    ),
    (
        "P029",
        "warning",
        "picture hole: a picture moved on and left the page before it short",
        """More than four lines were left empty at the foot of a page because the picture that
        comes next did not fit there and moved to the next page. A smaller picture, or the
        picture placed a paragraph later in the manuscript, fills the page.""",
    ),
    (
        "P030",
        "warning",
        "running head or folio set on more than one line",
        """A running head is too long for the width of the page and wraps onto a second line,
        into the text block. Set a shorter one in book.toml: `running_head = { verso = "…",
        recto = "…" }` (the verso carries the author, the recto the title or the chapter).""",
    ),
    (
        "P031",
        "warning",
        "a line holding only part of a broken word",
        """A line of running text holds nothing but the first part of a hyphenated word ("mit‐"),
        the rest of the word opening the next line: the line stands nearly empty in a justified
        paragraph. octavo's layout keeps WeasyPrint 70 from setting such lines where it used to
        (before an inline element such as code that did not fit); one left is a word too long
        for a narrow measure, or a soft hyphen (U+00AD) before a part that cannot break.
        Rewording, or a soft hyphen elsewhere in the word, mends it.""",
    ),
    (
        "P004",
        "warning",
        "characters no font has print as empty boxes",
        """Neither the theme's fonts nor any font of the machine that built the book has these
        characters, so the print PDF shows an empty box (tofu) for each. Install a font that
        has them: a fontpkg-* package of that script (pip install fontpkg-amiri for Arabic,
        fontpkg-frank-ruhl-libre for Hebrew; `octavo fonts` lists those installed), named as
        font in book.toml's [design] table; for Chinese, Japanese or Korean, the system's Noto
        CJK fonts (Debian: fonts-noto-cjk), which the build borrows where the theme's font
        lacks a character. Or replace the characters.""",
    ),
    (
        "P010",
        "warning",
        "page count the printer cannot bind",
        """Every printer binds books between a least and a most number of pages (KDP paperback:
        24 to 828). A thinner book cannot take a spine; a thicker one needs a larger trim or two
        volumes.""",
    ),
    (
        "P011",
        "warning",
        "trim size the printer does not offer",
        """The printer named with --for prints only some trim sizes (KDP: 4–8.5 in wide,
        6–11.69 in tall; IngramSpark: a list of sizes). Choose one of its sizes in book.toml
        ('trim').""",
    ),
    (
        "P012",
        "warning",
        "option the printer forbids was dropped",
        """The printer named with --for refuses PDFs with this option (KDP and IngramSpark want
        no crop marks, for example), so the build leaves it out.""",
    ),
    (
        "P014",
        "warning",
        "RGB image in a PDF/X",
        """PDF/X is for printing presses, which print in CMYK inks: an RGB image is embedded as
        it is, and the press either rejects the file or converts the colours its own way.
        Convert the image to CMYK (or greyscale) with the printer's profile.""",
    ),
    (
        "P015",
        "warning",
        "no hyphenation patterns for the book's language",
        """The print edition is justified and hyphenated by the book's language; for a language
        without patterns (pyphen's list) nothing is hyphenated, so some lines will be loose.""",
    ),
    (
        "P016",
        "warning",
        "damaged layout cache entry",
        """A build keeps each chapter's laid-out pages in the output folder
        (build/.octavo-cache/), so that a rebuild lays out only what changed. An entry there
        could not be read, or its PDF no longer matches the record written with it (a file
        cut short by a full disk or a crash, or changed by hand). It is never used as it is:
        the chapter was laid out again and the entry written anew, so the book is right. If
        this recurs, delete the folder; check the disk.""",
    ),
)

# EPUBCheck's message IDs: three capitals, a dash, three digits (RSC-005, OPF-014a).
EPUBCHECK_ID = re.compile(r"^[A-Z]{3}-\d{3}[a-z]?$")
EPUBCHECK_MESSAGES = (
    "https://github.com/w3c/epubcheck/blob/main/src/main/resources/com/adobe/epubcheck/"
    "messages/MessageBundle.properties"
)


def get(code: str) -> Code:
    """The code's entry; a KeyError names a code missing from the table (a bug of octavo)."""
    return CODES[code]


def explain(code: str) -> str:
    """The text `octavo check --explain CODE` prints."""
    entry = CODES.get(code.upper())
    if entry is not None:
        return f"{entry.code} ({entry.severity}): {entry.summary}\n\n{entry.explanation}"
    if EPUBCHECK_ID.match(code.upper()):
        return (
            f"{code.upper()}: a message of EPUBCheck, the reference validator of EPUB files, run "
            "on the EPUB this book builds. Its meaning is listed in EPUBCheck's message table: "
            + EPUBCHECK_MESSAGES
        )
    known = ", ".join(sorted(CODES))
    raise OctavoError(f"unknown diagnostic code '{code}' (octavo's codes: {known})")


def table_markdown() -> str:
    """The table of codes as Markdown, for the README (tests/test_codes.py keeps them equal)."""
    rows = ["| code | severity | what it means |", "|---|---|---|"]
    rows += [f"| `{c.code}` | {c.severity} | {c.summary} |" for c in CODES.values()]
    return "\n".join(rows)
