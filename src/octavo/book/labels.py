"""The words octavo itself prints, in the book's language: one table for the print edition and
the EPUB, for every language of the typography table (source/typography.py), and the labels of
numbered chapters ("Chapter One", "Kapitel eins") built on it.

A word is looked up by the book's language tag (`en-US` before `en`), then in English; its
`{placeholders}` are filled by `wording()`. book.toml may override any label (`[labels]`), which
is how a German book says "Über die Autorin": about_author is gendered in several languages
and the table gives the form the language uses when it does not know.

Text is final typography (’ « » and no-break spaces): labels skip the typography pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

# key → what it is, in English (the first table is the reference every language follows)
KEYS = {
    "contents": "the heading of the table of contents",
    "chapter": "a chapter's number as a label: {n}",
    "part": "a part's number as a label: {n}",
    "dedication": "the dedication's name in the navigation",
    "epigraph": "the epigraph's name in the navigation",
    "acknowledgements": "the heading of the acknowledgements",
    "about_author": "the heading of the note about the author",
    "copyright": "the copyright line: {year}, {holder}",
    "isbn_paperback": "the paperback's ISBN: {isbn}",
    "isbn_ebook": "the e-book's ISBN: {isbn}",
    "published_by": "the publisher's line: {publisher}",
    "colophon": "the colophon of the copyright page: {font}",
    "and": "between the last two names of a list of authors: {a}, {b}",
    "cover": "the cover's name in the navigation",
    "title_page": "the title page's name in the navigation",
    "start": "where the text begins, in the navigation",
    "landmarks": "the heading of the EPUB's landmarks",
    "pages": "the heading of the EPUB's list of print pages",
    "note": "the label of a `> [!NOTE]` admonition (source/admonitions.py)",
    "tip": "the label of a `> [!TIP]` admonition",
    "important": "the label of a `> [!IMPORTANT]` admonition",
    "warning": "the label of a `> [!WARNING]` admonition",
    "caution": "the label of a `> [!CAUTION]` admonition",
}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "contents": "Contents",
        "chapter": "Chapter {n}",
        "part": "Part {n}",
        "dedication": "Dedication",
        "epigraph": "Epigraph",
        "acknowledgements": "Acknowledgements",
        "about_author": "About the Author",
        "copyright": "Copyright © {year} {holder}",
        "isbn_paperback": "ISBN {isbn} (paperback)",
        "isbn_ebook": "ISBN {isbn} (e-book)",
        "published_by": "Published by {publisher}",
        "colophon": "Set in {font}. Made with octavo.",
        "and": "{a} and {b}",
        "cover": "Cover",
        "title_page": "Title Page",
        "start": "Start of Content",
        "landmarks": "Landmarks",
        "pages": "Pages",
        "note": "Note",
        "tip": "Tip",
        "important": "Important",
        "warning": "Warning",
        "caution": "Caution",
    },
    "de": {
        "contents": "Inhalt",
        "chapter": "Kapitel {n}",
        "part": "Teil {n}",
        "dedication": "Widmung",
        "epigraph": "Motto",
        "acknowledgements": "Danksagung",
        "about_author": "Über den Autor",
        "copyright": "© {year} {holder}",
        "isbn_paperback": "ISBN {isbn} (Taschenbuch)",
        "isbn_ebook": "ISBN {isbn} (E-Book)",
        "published_by": "Erschienen bei {publisher}",
        "colophon": "Gesetzt aus der {font}. Hergestellt mit octavo.",
        "and": "{a} und {b}",
        "cover": "Umschlag",
        "title_page": "Titelseite",
        "start": "Beginn des Textes",
        "landmarks": "Orientierungspunkte",
        "pages": "Seiten",
        "note": "Hinweis",
        "tip": "Tipp",
        "important": "Wichtig",
        "warning": "Warnung",
        "caution": "Vorsicht",
    },
    "fr": {
        "contents": "Table des matières",
        "chapter": "Chapitre {n}",
        "part": "Partie {n}",
        "dedication": "Dédicace",
        "epigraph": "Épigraphe",
        "acknowledgements": "Remerciements",
        "about_author": "À propos de l’auteur",
        "copyright": "© {year} {holder}",
        "isbn_paperback": "ISBN {isbn} (broché)",
        "isbn_ebook": "ISBN {isbn} (livre numérique)",
        "published_by": "Publié par {publisher}",
        "colophon": "Composé en {font}. Réalisé avec octavo.",
        "and": "{a} et {b}",
        "cover": "Couverture",
        "title_page": "Page de titre",
        "start": "Début du texte",
        "landmarks": "Repères",
        "pages": "Pages",
        "note": "Remarque",
        "tip": "Astuce",
        "important": "Important",
        "warning": "Avertissement",
        "caution": "Attention",
    },
    "es": {
        "contents": "Índice",
        "chapter": "Capítulo {n}",
        "part": "Parte {n}",
        "dedication": "Dedicatoria",
        "epigraph": "Epígrafe",
        "acknowledgements": "Agradecimientos",
        "about_author": "Sobre el autor",
        "copyright": "© {year} {holder}",
        "isbn_paperback": "ISBN {isbn} (tapa blanda)",
        "isbn_ebook": "ISBN {isbn} (libro electrónico)",
        "published_by": "Publicado por {publisher}",
        "colophon": "Compuesto en {font}. Hecho con octavo.",
        "and": "{a} y {b}",
        "cover": "Cubierta",
        "title_page": "Portada",
        "start": "Inicio del texto",
        "landmarks": "Puntos de referencia",
        "pages": "Páginas",
        "note": "Nota",
        "tip": "Consejo",
        "important": "Importante",
        "warning": "Advertencia",
        "caution": "Precaución",
    },
    "it": {
        "contents": "Indice",
        "chapter": "Capitolo {n}",
        "part": "Parte {n}",
        "dedication": "Dedica",
        "epigraph": "Epigrafe",
        "acknowledgements": "Ringraziamenti",
        "about_author": "Nota sull’autore",
        "copyright": "© {year} {holder}",
        "isbn_paperback": "ISBN {isbn} (brossura)",
        "isbn_ebook": "ISBN {isbn} (e-book)",
        "published_by": "Pubblicato da {publisher}",
        "colophon": "Composto in {font}. Realizzato con octavo.",
        "and": "{a} e {b}",
        "cover": "Copertina",
        "title_page": "Frontespizio",
        "start": "Inizio del testo",
        "landmarks": "Punti di riferimento",
        "pages": "Pagine",
        "note": "Nota",
        "tip": "Suggerimento",
        "important": "Importante",
        "warning": "Avvertenza",
        "caution": "Attenzione",
    },
    "pt": {
        "contents": "Sumário",
        "chapter": "Capítulo {n}",
        "part": "Parte {n}",
        "dedication": "Dedicatória",
        "epigraph": "Epígrafe",
        "acknowledgements": "Agradecimentos",
        "about_author": "Sobre o autor",
        "copyright": "© {year} {holder}",
        "isbn_paperback": "ISBN {isbn} (brochura)",
        "isbn_ebook": "ISBN {isbn} (e-book)",
        "published_by": "Publicado por {publisher}",
        "colophon": "Composto em {font}. Feito com octavo.",
        "and": "{a} e {b}",
        "cover": "Capa",
        "title_page": "Folha de rosto",
        "start": "Início do texto",
        "landmarks": "Pontos de referência",
        "pages": "Páginas",
        "note": "Nota",
        "tip": "Dica",
        "important": "Importante",
        "warning": "Aviso",
        "caution": "Cuidado",
    },
    "nl": {
        "contents": "Inhoud",
        "chapter": "Hoofdstuk {n}",
        "part": "Deel {n}",
        "dedication": "Opdracht",
        "epigraph": "Motto",
        "acknowledgements": "Dankwoord",
        "about_author": "Over de auteur",
        "copyright": "© {year} {holder}",
        "isbn_paperback": "ISBN {isbn} (paperback)",
        "isbn_ebook": "ISBN {isbn} (e-book)",
        "published_by": "Uitgegeven door {publisher}",
        "colophon": "Gezet in de {font}. Gemaakt met octavo.",
        "and": "{a} en {b}",
        "cover": "Omslag",
        "title_page": "Titelpagina",
        "start": "Begin van de tekst",
        "landmarks": "Oriëntatiepunten",
        "pages": "Pagina’s",
        "note": "Opmerking",
        "tip": "Tip",
        "important": "Belangrijk",
        "warning": "Waarschuwing",
        "caution": "Let op",
    },
    "sv": {
        "contents": "Innehåll",
        "chapter": "Kapitel {n}",
        "part": "Del {n}",
        "dedication": "Dedikation",
        "epigraph": "Motto",
        "acknowledgements": "Tack",
        "about_author": "Om författaren",
        "copyright": "© {year} {holder}",
        "isbn_paperback": "ISBN {isbn} (häftad)",
        "isbn_ebook": "ISBN {isbn} (e-bok)",
        "published_by": "Utgiven av {publisher}",
        "colophon": "Satt med {font}. Gjord med octavo.",
        "and": "{a} och {b}",
        "cover": "Omslag",
        "title_page": "Titelsida",
        "start": "Textens början",
        "landmarks": "Landmärken",
        "pages": "Sidor",
        "note": "Anmärkning",
        "tip": "Tips",
        "important": "Viktigt",
        "warning": "Varning",
        "caution": "Försiktighet",
    },
    "fi": {
        "contents": "Sisällys",
        "chapter": "Luku {n}",
        "part": "Osa {n}",
        "dedication": "Omistus",
        "epigraph": "Motto",
        "acknowledgements": "Kiitokset",
        "about_author": "Kirjoittajasta",
        "copyright": "© {year} {holder}",
        "isbn_paperback": "ISBN {isbn} (nidottu)",
        "isbn_ebook": "ISBN {isbn} (e-kirja)",
        "published_by": "Julkaisija: {publisher}",
        "colophon": "Kirjasin: {font}. Tehty octavo-ohjelmalla.",
        "and": "{a} ja {b}",
        "cover": "Kansi",
        "title_page": "Nimiösivu",
        "start": "Tekstin alku",
        "landmarks": "Maamerkit",
        "pages": "Sivut",
        "note": "Huomautus",
        "tip": "Vinkki",
        "important": "Tärkeää",
        "warning": "Varoitus",
        "caution": "Huomio",
    },
    "da": {
        "contents": "Indhold",
        "chapter": "Kapitel {n}",
        "part": "Del {n}",
        "dedication": "Dedikation",
        "epigraph": "Motto",
        "acknowledgements": "Tak",
        "about_author": "Om forfatteren",
        "copyright": "© {year} {holder}",
        "isbn_paperback": "ISBN {isbn} (hæftet)",
        "isbn_ebook": "ISBN {isbn} (e-bog)",
        "published_by": "Udgivet af {publisher}",
        "colophon": "Sat med {font}. Lavet med octavo.",
        "and": "{a} og {b}",
        "cover": "Omslag",
        "title_page": "Titelblad",
        "start": "Tekstens begyndelse",
        "landmarks": "Orienteringspunkter",
        "pages": "Sider",
        "note": "Bemærk",
        "tip": "Tip",
        "important": "Vigtigt",
        "warning": "Advarsel",
        "caution": "Forsigtig",
    },
    "nb": {
        "contents": "Innhold",
        "chapter": "Kapittel {n}",
        "part": "Del {n}",
        "dedication": "Dedikasjon",
        "epigraph": "Motto",
        "acknowledgements": "Takk",
        "about_author": "Om forfatteren",
        "copyright": "© {year} {holder}",
        "isbn_paperback": "ISBN {isbn} (heftet)",
        "isbn_ebook": "ISBN {isbn} (e-bok)",
        "published_by": "Utgitt av {publisher}",
        "colophon": "Satt med {font}. Laget med octavo.",
        "and": "{a} og {b}",
        "cover": "Omslag",
        "title_page": "Tittelside",
        "start": "Tekstens begynnelse",
        "landmarks": "Landemerker",
        "pages": "Sider",
        "note": "Merk",
        "tip": "Tips",
        "important": "Viktig",
        "warning": "Advarsel",
        "caution": "Forsiktig",
    },
    "pl": {
        "contents": "Spis treści",
        "chapter": "Rozdział {n}",
        "part": "Część {n}",
        "dedication": "Dedykacja",
        "epigraph": "Motto",
        "acknowledgements": "Podziękowania",
        "about_author": "O autorze",
        "copyright": "© {year} {holder}",
        "isbn_paperback": "ISBN {isbn} (oprawa miękka)",
        "isbn_ebook": "ISBN {isbn} (e-book)",
        "published_by": "Wydawca: {publisher}",
        "colophon": "Złożono krojem {font}. Wykonano w programie octavo.",
        "and": "{a} i {b}",
        "cover": "Okładka",
        "title_page": "Strona tytułowa",
        "start": "Początek tekstu",
        "landmarks": "Punkty orientacyjne",
        "pages": "Strony",
        "note": "Uwaga",
        "tip": "Wskazówka",
        "important": "Ważne",
        "warning": "Ostrzeżenie",
        "caution": "Przestroga",
    },
    "cs": {
        "contents": "Obsah",
        "chapter": "Kapitola {n}",
        "part": "Část {n}",
        "dedication": "Věnování",
        "epigraph": "Motto",
        "acknowledgements": "Poděkování",
        "about_author": "O autorovi",
        "copyright": "© {year} {holder}",
        "isbn_paperback": "ISBN {isbn} (brožované vydání)",
        "isbn_ebook": "ISBN {isbn} (e-kniha)",
        "published_by": "Vydal {publisher}",
        "colophon": "Vysázeno písmem {font}. Vytvořeno programem octavo.",
        "and": "{a} a {b}",
        "cover": "Obálka",
        "title_page": "Titulní strana",
        "start": "Začátek textu",
        "landmarks": "Orientační body",
        "pages": "Strany",
        "note": "Poznámka",
        "tip": "Tip",
        "important": "Důležité",
        "warning": "Varování",
        "caution": "Upozornění",
    },
    "sk": {
        "contents": "Obsah",
        "chapter": "Kapitola {n}",
        "part": "Časť {n}",
        "dedication": "Venovanie",
        "epigraph": "Motto",
        "acknowledgements": "Poďakovanie",
        "about_author": "O autorovi",
        "copyright": "© {year} {holder}",
        "isbn_paperback": "ISBN {isbn} (brožované vydanie)",
        "isbn_ebook": "ISBN {isbn} (e-kniha)",
        "published_by": "Vydal {publisher}",
        "colophon": "Vysádzané písmom {font}. Vytvorené programom octavo.",
        "and": "{a} a {b}",
        "cover": "Obálka",
        "title_page": "Titulná strana",
        "start": "Začiatok textu",
        "landmarks": "Orientačné body",
        "pages": "Strany",
        "note": "Poznámka",
        "tip": "Tip",
        "important": "Dôležité",
        "warning": "Varovanie",
        "caution": "Upozornenie",
    },
    "ru": {
        "contents": "Содержание",
        "chapter": "Глава {n}",
        "part": "Часть {n}",
        "dedication": "Посвящение",
        "epigraph": "Эпиграф",
        "acknowledgements": "Благодарности",
        "about_author": "Об авторе",
        "copyright": "© {holder}, {year}",
        "isbn_paperback": "ISBN {isbn} (мягкая обложка)",
        "isbn_ebook": "ISBN {isbn} (электронная книга)",
        "published_by": "Издатель: {publisher}",
        "colophon": "Набрано шрифтом {font}. Сделано в octavo.",
        "and": "{a} и {b}",
        "cover": "Обложка",
        "title_page": "Титульный лист",
        "start": "Начало текста",
        "landmarks": "Ориентиры",
        "pages": "Страницы",
        "note": "Примечание",
        "tip": "Совет",
        "important": "Важно",
        "warning": "Предупреждение",
        "caution": "Осторожно",
    },
    "uk": {
        "contents": "Зміст",
        "chapter": "Розділ {n}",
        "part": "Частина {n}",
        "dedication": "Присвята",
        "epigraph": "Епіграф",
        "acknowledgements": "Подяки",
        "about_author": "Про автора",
        "copyright": "© {holder}, {year}",
        "isbn_paperback": "ISBN {isbn} (м’яка обкладинка)",
        "isbn_ebook": "ISBN {isbn} (електронна книга)",
        "published_by": "Видавець: {publisher}",
        "colophon": "Набрано шрифтом {font}. Зроблено в octavo.",
        "and": "{a} і {b}",
        "cover": "Обкладинка",
        "title_page": "Титульна сторінка",
        "start": "Початок тексту",
        "landmarks": "Орієнтири",
        "pages": "Сторінки",
        "note": "Примітка",
        "tip": "Порада",
        "important": "Важливо",
        "warning": "Попередження",
        "caution": "Обережно",
    },
    "ja": {
        "contents": "目次",
        "chapter": "第{n}章",
        "part": "第{n}部",
        "dedication": "献辞",
        "epigraph": "エピグラフ",
        "acknowledgements": "謝辞",
        "about_author": "著者について",
        "copyright": "© {year} {holder}",
        "isbn_paperback": "ISBN {isbn}（ペーパーバック）",
        "isbn_ebook": "ISBN {isbn}（電子書籍）",
        "published_by": "発行：{publisher}",
        "colophon": "本文書体：{font}。octavoで制作。",
        "and": "{a}、{b}",
        "cover": "表紙",
        "title_page": "扉",
        "start": "本文",
        "landmarks": "ランドマーク",
        "pages": "ページ",
        "note": "注記",
        "tip": "ヒント",
        "important": "重要",
        "warning": "警告",
        "caution": "注意",
    },
    "zh": {
        "contents": "目录",
        "chapter": "第{n}章",
        "part": "第{n}部分",
        "dedication": "献词",
        "epigraph": "题词",
        "acknowledgements": "致谢",
        "about_author": "关于作者",
        "copyright": "© {year} {holder}",
        "isbn_paperback": "ISBN {isbn}（平装本）",
        "isbn_ebook": "ISBN {isbn}（电子书）",
        "published_by": "出版者：{publisher}",
        "colophon": "正文字体：{font}。由 octavo 制作。",
        "and": "{a}和{b}",
        "cover": "封面",
        "title_page": "书名页",
        "start": "正文",
        "landmarks": "导航",
        "pages": "页码",
        "note": "备注",
        "tip": "提示",
        "important": "重要",
        "warning": "警告",
        "caution": "注意",
    },
    # Right to left, each with a face of its script (themes/design.py SCRIPT_FONTS): an English
    # line there would be set right to left, its full stop before its first word.
    "ar": {
        "contents": "المحتويات",
        "chapter": "الفصل {n}",
        "part": "الجزء {n}",
        "dedication": "الإهداء",
        "epigraph": "التصدير",
        "acknowledgements": "شكر وتقدير",
        "about_author": "عن المؤلف",
        "copyright": "حقوق النشر © {year} {holder}",
        "isbn_paperback": "ردمك {isbn} (طبعة ورقية)",
        "isbn_ebook": "ردمك {isbn} (كتاب إلكتروني)",
        "published_by": "الناشر: {publisher}",
        "colophon": "صُفّ بخط {font}. صُنع ببرنامج octavo.",
        "and": "{a} و{b}",
        "cover": "الغلاف",
        "title_page": "صفحة العنوان",
        "start": "بداية النص",
        "landmarks": "معالم الكتاب",
        "pages": "الصفحات",
        "note": "ملاحظة",
        "tip": "تلميح",
        "important": "مهم",
        "warning": "تحذير",
        "caution": "تنبيه",
    },
    "he": {
        "contents": "תוכן העניינים",
        "chapter": "פרק {n}",
        "part": "חלק {n}",
        "dedication": "הקדשה",
        "epigraph": "מוטו",
        "acknowledgements": "תודות",
        "about_author": "על המחבר",
        "copyright": "זכויות יוצרים © {year} {holder}",
        "isbn_paperback": "מסת״ב {isbn} (כריכה רכה)",
        "isbn_ebook": "מסת״ב {isbn} (ספר אלקטרוני)",
        "published_by": "הוצאת {publisher}",
        "colophon": "סודר באות {font}. נוצר בעזרת octavo.",
        "and": "{a} ו{b}",
        "cover": "כריכה",
        "title_page": "עמוד השער",
        "start": "תחילת הטקסט",
        "landmarks": "ציוני דרך",
        "pages": "עמודים",
        "note": "הערה",
        "tip": "עצה",
        "important": "חשוב",
        "warning": "אזהרה",
        "caution": "זהירות",
    },
    "ko": {
        "contents": "목차",
        "chapter": "제{n}장",
        "part": "제{n}부",
        "dedication": "헌사",
        "epigraph": "제사",
        "acknowledgements": "감사의 말",
        "about_author": "지은이 소개",
        "copyright": "© {year} {holder}",
        "isbn_paperback": "ISBN {isbn} (종이책)",
        "isbn_ebook": "ISBN {isbn} (전자책)",
        "published_by": "펴낸곳: {publisher}",
        "colophon": "본문 글꼴: {font}. octavo로 만들었습니다.",
        "and": "{a}·{b}",  # 와/과 would depend on the last syllable of {a}; the middle dot does not
        "cover": "표지",
        "title_page": "표제지",
        "start": "본문 시작",
        "landmarks": "주요 위치",
        "pages": "쪽",
        "note": "참고",
        "tip": "팁",
        "important": "중요",
        "warning": "경고",
        "caution": "주의",
    },
}
LABELS["no"] = LABELS["nb"]  # Norwegian without a written standard named: Bokmål
# Regional spellings, looked up before the language itself.
LABELS["en-US"] = {**LABELS["en"], "acknowledgements": "Acknowledgments"}


def table(language: str) -> Mapping[str, str]:
    """The labels of a language tag: its region's (`en-US`), else its language's (`de` for
    `de-AT`), each missing label in English."""
    tag = language.replace("_", "-").lower()
    regional = {k.lower(): v for k, v in LABELS.items()}.get(tag, {})
    own = LABELS.get(tag.split("-")[0], {})
    return {**LABELS["en"], **own, **regional}


def wording(
    language: str, key: str, overrides: Mapping[str, str] | None = None, **values: object
) -> str:
    """The label `key` in the book's language, or book.toml's own wording (`overrides`), its
    placeholders filled from `values` ({n}, {year}, {holder}, {isbn}, {publisher}, {font},
    {a}, {b})."""
    text = (overrides or {}).get(key) or table(language)[key]
    # only the known placeholders: braces an author typed in an override stay as typed
    return _PLACEHOLDER.sub(lambda m: str(values.get(m[1], m[0])), text)


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


# --- chapter labels ("Chapter One") -------------------------------------------------------
# `[design] chapter_label` chooses: `words` ("Chapter One", "Kapitel eins", "Chapitre un"),
# `number` ("1") or `none`. Only chapters are numbered (not a prologue, an epilogue, a part or
# the front and back matter), from 1 in reading order. A language without a table here gets
# the number alone, and a number past ninety-nine is written in figures.


_EN = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_DE = [
    "null",
    "eins",
    "zwei",
    "drei",
    "vier",
    "fünf",
    "sechs",
    "sieben",
    "acht",
    "neun",
    "zehn",
    "elf",
    "zwölf",
    "dreizehn",
    "vierzehn",
    "fünfzehn",
    "sechzehn",
    "siebzehn",
    "achtzehn",
    "neunzehn",
]
_DE_TENS = [
    "_",
    "_",
    "zwanzig",
    "dreißig",
    "vierzig",
    "fünfzig",
    "sechzig",
    "siebzig",
    "achtzig",
    "neunzig",
]
_FR = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]
_FR_TENS = ["_", "_", "vingt", "trente", "quarante", "cinquante", "soixante"]
_ES = [
    "cero",
    "uno",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciséis",
    "diecisiete",
    "dieciocho",
    "diecinueve",
    "veinte",
    "veintiuno",
    "veintidós",
    "veintitrés",
    "veinticuatro",
    "veinticinco",
    "veintiséis",
    "veintisiete",
    "veintiocho",
    "veintinueve",
]
_ES_TENS = [
    "_",
    "_",
    "veinte",
    "treinta",
    "cuarenta",
    "cincuenta",
    "sesenta",
    "setenta",
    "ochenta",
    "noventa",
]
_IT = [
    "zero",
    "uno",
    "due",
    "tre",
    "quattro",
    "cinque",
    "sei",
    "sette",
    "otto",
    "nove",
    "dieci",
    "undici",
    "dodici",
    "tredici",
    "quattordici",
    "quindici",
    "sedici",
    "diciassette",
    "diciotto",
    "diciannove",
]
_IT_TENS = [
    "_",
    "_",
    "venti",
    "trenta",
    "quaranta",
    "cinquanta",
    "sessanta",
    "settanta",
    "ottanta",
    "novanta",
]
_NL = [
    "nul",
    "een",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
    "dertien",
    "veertien",
    "vijftien",
    "zestien",
    "zeventien",
    "achttien",
    "negentien",
]
_NL_TENS = [
    "_",
    "_",
    "twintig",
    "dertig",
    "veertig",
    "vijftig",
    "zestig",
    "zeventig",
    "tachtig",
    "negentig",
]


def _en(n: int) -> str:
    tens, unit = divmod(n, 10)
    if n < 20:
        return _EN[n]
    return _EN_TENS[tens] + (f"-{_EN[unit]}" if unit else "")


def _de(n: int) -> str:
    tens, unit = divmod(n, 10)
    if n < 20:
        return _DE[n]
    if not unit:
        return _DE_TENS[tens]
    return ("ein" if unit == 1 else _DE[unit]) + "und" + _DE_TENS[tens]


def _fr(n: int) -> str:
    tens, unit = divmod(n, 10)
    if n < 20:
        return _FR[n]
    if n < 70:
        joint = " et " if unit == 1 else "-"
        return _FR_TENS[tens] + (joint + _FR[unit] if unit else "")
    if n < 80:  # soixante-dix, soixante et onze, soixante-douze…
        return "soixante" + (" et " if n == 71 else "-") + _FR[n - 60]
    rest = n - 80
    return "quatre-vingts" if rest == 0 else "quatre-vingt-" + _FR[rest]


def _es(n: int) -> str:
    tens, unit = divmod(n, 10)
    if n < 30:
        return _ES[n]
    return _ES_TENS[tens] + (f" y {_ES[unit]}" if unit else "")


def _it(n: int) -> str:
    tens, unit = divmod(n, 10)
    if n < 20:
        return _IT[n]
    word = _IT_TENS[tens]
    if unit in (1, 8):  # ventuno, ventotto: the tens lose their last vowel
        word = word[:-1]
    return word + ("tré" if unit == 3 else _IT[unit] if unit else "")


def _nl(n: int) -> str:
    tens, unit = divmod(n, 10)
    if n < 20:
        return _NL[n]
    if not unit:
        return _NL_TENS[tens]
    joint = "ën" if _NL[unit].endswith("e") else "en"  # tweeëntwintig, drieëntwintig
    return _NL[unit] + joint + _NL_TENS[tens]


SPELLERS = {"en": _en, "de": _de, "fr": _fr, "es": _es, "it": _it, "nl": _nl}
# "Chapter" in each language a number can be spelled in: the table's "Chapter {n}" (above)
CHAPTER = {lang: LABELS[lang]["chapter"].removesuffix(" {n}") for lang in SPELLERS}


def spelled(number: int, language: str) -> str | None:
    """The number in words in the language (1-99), or None when it has no table here."""
    speller = SPELLERS.get(language.split("-")[0].lower())
    if speller is None or not 0 < number < 100:
        return None
    return speller(number)


def label(number: int, style: str, language: str) -> str:
    """The label of chapter `number`: "Chapter One" (style `words`), "1" (`number`), or ""."""
    if style == "number":
        return str(number)
    if style != "words":
        return ""
    base = language.split("-")[0].lower()
    word = spelled(number, language)
    if word is None or base not in CHAPTER:
        return str(number)
    if base == "en":  # English capitalises a heading's words: Chapter Twenty-One
        word = "-".join(part.capitalize() for part in word.split("-"))
    return f"{CHAPTER[base]} {word}"


def _said(title: str, text: str, number: int) -> bool:
    """Whether the title already says the label ("Chapter One", "1", "I."), so it is not
    set twice."""
    plain = re.sub(r"[\W_]+", " ", title).strip().lower()
    return plain in {text.lower(), str(number)} or plain.startswith(text.lower() + " ")


class Chaptered(Protocol):
    """What chapter_labels reads of a Book, typed by shape: the model imports the config, and
    the config reads this table."""

    @property
    def chapters(self) -> Sequence[Any]: ...

    @property
    def config(self) -> Any: ...


def chapter_labels(book: Chaptered, style: str) -> dict[str, str]:
    """Chapter id → its label, for the chapters that get one, and for the parts (part_labels)."""
    found = part_labels(book, style)
    if style not in {"words", "number"}:
        return found
    numbered = [c for c in book.chapters if c.matter == "body" and c.division == "chapter"]
    for number, chapter in enumerate(numbered, start=1):
        text = label(number, style, book.config.language)
        if text and not _said(chapter.title, text, number):
            found[chapter.id] = text
    return found


# --- part labels ("Part One", "Teil I") ------------------------------------------------------
# A part's title page carries its label above the title whatever the chapters do: a part
# titled "The Country" is "Part One" to its reader. Parts are numbered from 1 in reading order.
# English spells the number when the chapters' labels are words ("Part One", as "Chapter
# One"); every other label, and every other language, takes a roman numeral ("Part I", "Teil
# I", "Partie I": "Partie un" is no French), except the scripts that do not write roman
# numerals, which take figures (第1部, الجزء 1). A title that already names its part ("Part
# Two", "Part the First", "Teil II: Sommer") gets no label.

FIGURES = frozenset({"ja", "zh", "ar", "he", "ko"})  # numbered in figures, not roman numerals


def roman(number: int) -> str:
    """The number in roman capitals (1-3999)."""
    found = ""
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, number = divmod(number, value)
        found += letters * count
    return found


def part_label(number: int, style: str, language: str) -> str:
    """The label of part `number`: "Part One" (English, `words`), "Part I", "第1部"."""
    base = language.split("-")[0].lower()
    if base == "en" and style == "words" and 0 < number < 100:
        n = "-".join(w.capitalize() for w in _en(number).split("-"))
    elif base in FIGURES or not 0 < number < 4000:
        n = str(number)
    else:
        n = roman(number)
    return wording(language, "part", n=n)


def _names_part(title: str, language: str) -> bool:
    """Whether a part's title already names it: it begins as the label does ("Part Two",
    "Part the First", "第2部"), has the language's word for a part in it ("Première partie"),
    or is only a number."""
    template = table(language)["part"]
    start = re.escape(template).replace(re.escape("{n}"), r"\S+")
    if re.match(start, title.strip(), re.IGNORECASE):
        return True
    word = template.replace("{n}", "").strip()
    if word.isalpha() and re.search(rf"\b{re.escape(word)}\b", title, re.IGNORECASE):
        return True
    plain = re.sub(r"[\W_]+", " ", title).strip().lower()
    return not plain or plain.isdigit() or re.fullmatch(r"[ivxlcdm]+", plain) is not None


def part_labels(book: Chaptered, style: str) -> dict[str, str]:
    """Part id → its label, for the parts whose titles do not already say it."""
    language = book.config.language
    parts = [c for c in book.chapters if c.division == "part"]
    return {
        part.id: part_label(number, style, language)
        for number, part in enumerate(parts, start=1)
        if not _names_part(part.title, language)
    }
