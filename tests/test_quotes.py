"""The quote rules of `octavo check`, case by case and language by language: each elision and
each way a quotation runs on, flagged when wrong and quiet when right (T001 unbalanced, T002 and
T003 turned, T009 wrong apostrophe), at the exact line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from octavo.check import check
from support import make_book

QUOTE_CODES = {"T001", "T002", "T003", "T009"}
Found = list[tuple[str, int, int]]  # code, line, column

# A speaker's words over several paragraphs: the first is long, each opens with the opening mark
# and only the last one closes.
EN_SPEECH = (
    "“When I was a boy we lived by the river, and every spring the water came up to the door "
    "of the kitchen. My father would carry the chairs upstairs, one by one, and my mother would "
    "stand at the window and count the boats going by. We children thought it was a holiday, and "
    "nobody ever told us that it was not."
)
DE_SPEECH = (
    "„Als ich ein Junge war, wohnten wir am Fluss, und jedes Frühjahr kam das Wasser bis an die "
    "Küchentür. Mein Vater trug die Stühle nach oben, einen nach dem anderen, und meine Mutter "
    "stand am Fenster und zählte die Boote, die vorbeifuhren. Wir Kinder hielten es für einen "
    "Feiertag, und niemand hat uns je gesagt, dass es keiner war, kein einziges Mal."
)
FR_SPEECH = (
    "« Quand j’étais enfant, nous habitions au bord du fleuve, et chaque printemps l’eau montait "
    "jusqu’à la porte de la cuisine. Mon père montait les chaises à l’étage, une à une, et ma mère "
    "restait à la fenêtre à compter les bateaux qui passaient. Nous autres enfants pensions que "
    "c’était un jour de fête, et personne ne nous a jamais dit le contraire."
)

EN_VERSE = "\\\n".join(  # a stanza of a speech in verse, hard-broken lines, 60 words
    [
        "“The night is dark, the wind is cold,",
        "And all the lamps along the road",
        "Have long gone out; the gate is old",
        "And will not hold against the load",
        "Of snow that settles on its bars.",
        "We walked together, you and I,",
        "Beneath the wide and silent stars,",
        "And never thought to wonder why",
        "The river ran so fast and black",
        "Or why the birds had all gone south.",
        "We only knew we must go back.",
        "And so we went, and shut our mouth.",
    ]
)

# (language, file name, text, expected findings)
CASES: list[tuple[str, str, str, Found]] = [
    # -- English elisions -------------------------------------------------------------------
    ("en", "a.txt", "’Tis the ’90s; rock ’n’ roll, ’em and the boys’ goin’ out.\n", []),
    ("en", "a.txt", "“I ’spose they ’balmed ’em,” he said. “’Top dat, ’deed!”\n", []),
    ("en", "a.txt", "“Oh, de po’ little thing! ’Long come de wind,” said Jim.\n", []),
    ("en", "a.txt", "“I know what ‘it’ means,” said the Duck.\n", []),
    (
        "en",
        "a.txt",
        "‘Tis the ‘90s, don‘t you know.\n",
        [("T009", 1, 1), ("T009", 1, 10), ("T009", 1, 19)],
    ),
    ("en", "a.txt", "don‘t and can´t\n", [("T009", 1, 4), ("T009", 1, 14)]),
    # ’ before a word that a ’ after punctuation closes: a single quote turned the wrong way
    ("en", "a.txt", "He said ’Hello,’ and left.\n", [("T002", 1, 9)]),
    ("en", "a.txt", "She said, “Come in.”\n", []),
    ("en", "a.txt", "My son—”I don’t,” he said.\n", [("T002", 1, 8)]),
    ("en", "a.txt", "“Hello“ he said.\n", [("T003", 1, 7)]),
    # -- English nesting --------------------------------------------------------------------
    ("en", "a.txt", "“He said ‘go,’ and went,” she said.\n", []),
    ("en", "a.txt", "“Hello, she said, “come in.”\n", [("T001", 1, 1)]),
    ("en", "a.txt", "“He said ‘go and went,” she said.\n", [("T001", 1, 10)]),
    ("en", "a.txt", "‘It is ‘late’ now,’ he said.\n", [("T001", 1, 1)]),
    # words quoted as words inside a speech, marked like the speech (as North of Boston does)
    ("en", "a.txt", "“It was the words “descended into Hades” that did it.”\n", []),
    ("en", "a.txt", "“It was the words “descended into Hades” that did it.\n", [("T001", 1, 1)]),
    ("en", "a.txt", "“He said “go home” and left.”\n", [("T001", 1, 1), ("T001", 1, 29)]),
    (
        "en",
        "a.txt",
        "“It was the words “Go home. Now.” that did it.”\n",
        [("T001", 1, 1), ("T001", 1, 47)],
    ),
    # -- English continuation ---------------------------------------------------------------
    ("en", "a.txt", f"{EN_SPEECH}\n“Then the water came in. It filled the house.”\n", []),
    ("en", "a.txt", "“Yes, ma’am.\n“Then go and tell him so at once.”\n", [("T001", 1, 1)]),
    (
        "en",
        "a.txt",
        "“You’ll fall, said her brother.\n“And then what? I ask you.”\n",
        [("T001", 1, 1)],
    ),
    (
        "en",
        "a.txt",
        f"{EN_SPEECH}\n“No,” said Jane. “Go home. Now.”\n",
        [("T001", 1, 1)],
    ),
    ("en", "a.txt", f"{EN_SPEECH}\n“And so,” he continued, “we left. That was all.”\n", []),
    ("en", "a.txt", f"{EN_SPEECH}\n“Then we left.”\n", [("T001", 1, 1)]),
    ("en", "a.txt", f"{EN_SPEECH}\nShe said nothing.\n", [("T001", 1, 1)]),
    ("en", "a.txt", "“I will read it to you—\n“Dear Sir, I write in haste. Yours.”\n", []),
    # nested quotations run on together: “‘ opens both again
    (
        "en",
        "a.txt",
        f"“‘{EN_SPEECH[1:]}\n“‘Then we left. That was all.’”\n",
        [],
    ),
    (
        "en",
        "a.txt",
        f"“‘{EN_SPEECH[1:]}\n“Then we left. That was all.”\n",
        [("T001", 1, 2)],
    ),
    # a letter in a block quotation: opened in its first paragraph, closed at its signature
    ("en", "a.md", "> “Dear Sir,\n>\n> I am well.\n>\n> Yours, etc.”\n", []),
    ("en", "a.md", "> “Dear Sir,\n>\n> “I am well.\n>\n> “Yours, etc.”\n", []),
    ("en", "a.md", "> “Dear Sir,\n>\n> I am well.\n\nShe put it down.\n", [("T001", 1, 3)]),
    # a quotation running through an address quoted in it, and on into the next paragraph
    (
        "en",
        "a.md",
        "She thought, “how odd it will look!\n\n> Alice’s Right Foot, Esq.\\\n> Hearthrug.\n\n"
        "Oh dear, what nonsense I’m talking!”\n",
        [],
    ),
    # verse: a speech runs over stanzas as over paragraphs, each stanza opening it again with “
    ("en", "a.md", f"{EN_VERSE}\n\n“And yet we go,\\\nWe two. We two.\\\nWe go alone.”\n", []),
    # ... but a short speech closed in the next stanza answers it: verse dialogue gives each
    # speaker a stanza
    (
        "en",
        "a.md",
        f"{EN_VERSE}\n\n“Go where? And why?”\\\nI never asked.\n",
        [("T001", 1, 1)],
    ),
    (
        "en",
        "a.md",
        f"{EN_VERSE}\n\nAnd yet we go,\\\nWe two. We two.”\n",
        [("T001", 1, 1), ("T001", 15, 16)],
    ),
    # ... or unopened, when a line of verse is broken over the stanza break and closes the
    # speech (a dropped line, as in North of Boston)
    ("en", "a.md", "“I didn’t see it.\\\nNot I.\n\nAre you sure—”\\\n“Yes!”\n", []),
    (
        "en",
        "a.md",
        "“I didn’t see it.\\\nNot I.\n\nAre you sure?\\\nI am—”\n",
        [("T001", 1, 1), ("T001", 5, 6)],
    ),
    # a long speech broken off with a dash goes on in the next stanza; a short one was
    # interrupted by another speaker and still owes its closing mark
    (
        "en",
        "a.md",
        f"{EN_VERSE[:-1]}—\n\n“There are bees in this wall.” He rose.\\\nWe went.\n",
        [],
    ),
    (
        "en",
        "a.md",
        "“I think the wall is old,\\\nAnd cracked—\n\n“There are bees in this wall.” He rose.\\\nWe went.\n",
        [("T001", 1, 1)],
    ),
    # prose keeps the stricter rule: a short speech does not run on unopened
    ("en", "a.md", "“I didn’t see it.\n\nAre you sure—”\n", [("T001", 1, 1), ("T001", 3, 14)]),
    # ... but freely through the stanzas of a poem set as a block quotation
    (
        "en",
        "a.md",
        "They sang:\n\n> “‘Will you walk a little faster?’ said a whiting.\\\n"
        "> ‘There’s a porpoise close behind us.\n>\n> See how eagerly the lobsters advance!\\\n"
        "> Will you come and join the dance?’”\n",
        [],
    ),
    # a heading ends every quotation
    ("en", "a.md", f"{EN_SPEECH}\n\n# Two\n\n“Then we left. That was all.”\n", [("T001", 1, 1)]),
    # -- German ----------------------------------------------------------------------------
    ("de", "a.txt", "„Wie geht’s?“, fragte er. „Gibt’s ’nen Grund, ’rein zu gehen?“\n", []),
    ("de", "a.txt", "„Wie geht‘s?“, fragte er.\n", [("T009", 1, 10)]),
    ("de", "a.txt", "Er sagte: ‘s ist gut.\n", [("T009", 1, 11)]),
    ("de", "a.txt", "„Er rief ‚Halt!‘ und lief.“\n", []),
    # „ inside „ (it takes ‚): the first is taken as unclosed, and the last closes nothing
    ("de", "a.txt", "„Er rief „Halt!“ und lief.“\n", [("T001", 1, 1), ("T001", 1, 27)]),
    ("de", "a.txt", "“Hallo“, sagte er.\n", [("T002", 1, 1)]),
    ("de", "a.txt", f"{DE_SPEECH}\n„Dann kam das Wasser. Es füllte das Haus.“\n", []),
    ("de", "a.txt", "„Ja, gewiss.\n„Dann geh und sag es ihm sofort.“\n", [("T001", 1, 1)]),
    ("de", "a.txt", "„Komm her, sagte er.\n„Und dann? Was dann?“\n", [("T001", 1, 1)]),
    (
        "de",
        "a.txt",
        f"{DE_SPEECH}\n„Nein“, sagte Jana. „Geh nach Hause. Sofort.“\n",
        [("T001", 1, 1)],
    ),
    ("de", "a.txt", f"{DE_SPEECH}\nSie schwieg.\n", [("T001", 1, 1)]),
    # -- French ----------------------------------------------------------------------------
    ("fr", "a.txt", "« Aujourd’hui, l’homme est là », dit-elle.\n", []),
    ("fr", "a.txt", "« Aujourd‘hui », dit-elle.\n", [("T009", 1, 10)]),
    ("fr", "a.txt", "« Il a dit “non” hier », dit-elle.\n", []),
    ("fr", "a.txt", "« Il a dit « non » hier », dit-elle.\n", [("T001", 1, 1), ("T001", 1, 25)]),
    # tags stand inside the guillemets, and an exchange runs on into paragraphs of dialogue
    ("fr", "a.txt", "« Bonjour, dit-il.\n— Bonjour, répondit-elle. »\n", []),
    ("fr", "a.txt", f"{FR_SPEECH}\n« Puis l’eau est entrée. Elle a rempli la maison. »\n", []),
    ("fr", "a.txt", f"{FR_SPEECH}\n» Puis l’eau est entrée. Elle a rempli la maison. »\n", []),
    ("fr", "a.txt", "« Bonjour, dit-il.\nIl partit sans attendre.\n", [("T001", 1, 1)]),
]


def found(tmp_path: Path, language: str, name: str, text: str) -> Found:
    toml = f'title = "T"\nlanguage = "{language}"\n'
    book = make_book(tmp_path / "book", {name: text}, toml)
    report = check(book, build=False)
    return [(d.code, d.line or 0, d.col or 0) for d in report.diagnostics if d.code in QUOTE_CODES]


@pytest.mark.parametrize(("language", "name", "text", "expected"), CASES)
def test_quote_rules(tmp_path: Path, language: str, name: str, text: str, expected: Found) -> None:
    assert found(tmp_path, language, name, text) == expected


def test_every_language_has_cases_both_ways() -> None:
    for language in ("en", "de", "fr"):
        cases = [expected for lang, _, _, expected in CASES if lang == language]
        assert any(cases) and not all(cases), language


def test_explanations_state_the_rules() -> None:
    from octavo.check import explain

    text = explain("T001")
    for words in ("’spose", "block quotation", "60 words", "said Jane", "dialogue dash"):
        assert words in text
