"""How each language writes dialogue, beyond its quotation marks (typography.CONVENTIONS has
those): what may open a continued paragraph, where speech tags stand, and what they look like.

The quote rules use it to tell a speech that runs on into the next paragraph from a missing
closing mark: "“Come here, he said." holds a tag that belongs outside the quotation, and a next
paragraph tagged "said Jane" is another speaker's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Speech:
    continues_with: str = ""  # marks that may open a continued paragraph besides the opener
    tags_inside: bool = False  # tags stand inside the quotation (French « Oui, dit-il. »)
    verbs: tuple[str, ...] = ()  # verbs of speech tags: said, sagte
    going_on: tuple[str, ...] = ()  # verbs that say the same speaker goes on: continued
    subjects: str = ""  # a regex for who speaks: he, she, Mr. Darcy, the Mouse
    first_person: tuple[str, ...] = ()  # "says I" inside a quotation is a story being told

    @cached_property
    def _verbs(self) -> str:
        return "|".join(sorted(self.verbs + self.going_on, key=len, reverse=True))

    @cached_property
    def _inside(self) -> re.Pattern[str]:
        # After the words said and their punctuation, before more punctuation: ", said Jane.",
        # "! he cried,"; not "and he says to her, I says:", which tells a story.
        teller = "|".join(self.first_person) or "(?!)"
        who = rf"(?!(?:{teller})\b)(?:{self.subjects})"
        tag = rf"(?:{who}\s+(?:{self._verbs})|(?:{self._verbs})\s+{who})"
        return re.compile(rf"[,;!?—–…]\s*{tag}\s*(?=[,.;!?—–…]|$)")

    @cached_property
    def _after(self) -> re.Pattern[str]:  # narration just after a closing mark: ” said Jane
        return re.compile(rf"^\s*(?:(?:{self.subjects})\s+)?(?P<verb>{self._verbs})\b")

    @cached_property
    def _before(self) -> re.Pattern[str]:  # narration before an opening mark: Jane said, “
        return re.compile(
            rf"(?:(?:{self.subjects})\s+)?(?P<verb>{self._verbs})\b[^.!?]{{0,40}}[,:]?\s*$"
        )

    def tag_inside(self, quoted: str) -> str | None:
        """A speech tag among quoted words: a closing mark is missing before it."""
        if not self.verbs or self.tags_inside:
            return None
        match = self._inside.search(quoted)
        return match.group().lstrip(",;!?—–… ") if match else None

    def tag(self, narration: str, after_quote: bool) -> tuple[str, str] | None:
        """A speech tag in narration beside a quotation: (its words, its verb)."""
        if not self.verbs:
            return None
        match = (self._after if after_quote else self._before).search(narration)
        return (match.group().strip(" ,:"), match.group("verb")) if match else None

    def names_words(self, word: str) -> bool:
        """Whether a quotation after this word quotes words as words (“the words “so be it””)
        rather than someone's speech (“he said “go””): known only where the verbs are."""
        return bool(self.verbs) and word.lower() not in self.verbs + self.going_on

    def goes_on(self, verb: str) -> bool:
        return verb in self.going_on

    def speaker(self, tag: tuple[str, str]) -> str:
        """Who a tag names, when it names someone: "Mr. Collins" in "said Mr. Collins"."""
        words, verb = tag
        rest = words.replace(verb, " ").split()
        return " ".join(w for w in rest if not w[0].islower())


_EN_SUBJECTS = (
    r"he|she|they|I|we|it|you|(?:the|my|his|her|their|our|your|a|an)\s+\w+(?:\s+\w+)?"
    r"|(?:[A-Z][\w’.]*\s+){0,2}[A-Z][\w’]*"
)
_DE_SUBJECTS = (
    r"er|sie|es|ich|wir|ihr|man|(?:der|die|das|den)\s+\w+|(?:[A-ZÄÖÜ][\w’.]*\s+){0,2}[A-ZÄÖÜ]\w*"
)

_EN_VERBS = (
    "said", "says", "say", "cried", "cries", "asked", "asks", "replied", "replies", "answered",
    "answers", "returned", "exclaimed", "observed", "rejoined", "whispered", "shouted", "called",
    "muttered", "murmured", "remarked", "began", "interrupted", "repeated", "declared",
    "demanded", "inquired", "enquired", "retorted", "sighed", "roared", "hissed", "growled",
    "protested", "urged", "thought", "sobbed",
)  # fmt: skip
_DE_VERBS = (
    "sagte", "sagt", "fragte", "fragt", "rief", "ruft", "antwortete", "antwortet", "erwiderte",
    "erwidert", "meinte", "meint", "flüsterte", "schrie", "murmelte", "entgegnete", "bemerkte",
    "sprach", "brummte", "seufzte", "dachte",
)  # fmt: skip

SPEECH: dict[str, Speech] = {
    "en": Speech(
        verbs=_EN_VERBS,
        going_on=("continued", "went on", "added", "resumed", "pursued", "proceeded"),
        subjects=_EN_SUBJECTS,
        first_person=("I", "we"),
    ),
    "de": Speech(
        verbs=_DE_VERBS,
        going_on=("fuhr", "fügte", "setzte"),  # fuhr er fort, fügte sie hinzu
        subjects=_DE_SUBJECTS,
        first_person=("ich", "wir"),
    ),
    # French sets a whole exchange in one pair of guillemets, each new speaker's paragraph
    # opening with a dash, its tags inside (« Oui, dit-il, je viens. ») ; a continued paragraph
    # opens with « or, in older books, with ».
    "fr": Speech(continues_with="»—–", tags_inside=True),
}


def speech_for(language: str) -> Speech:
    """The dialogue conventions of a BCP 47 tag; none known: only the marks themselves count."""
    return SPEECH.get(language.lower().split("-")[0], Speech())
