"""The words around a message's topic: the cue features of the suggestion detector.

A suggestion or a request shows in how it is said more than in what it is about: "it would
be nice if …", "please add …", "could someone …", "pourriez-vous …", "deberíamos …". Three
kinds of features capture that, in English, French and Spanish, without any topic words:

* phrase patterns of proposals, advice, asks, hindsight and narration (one feature each);
* marker words (one feature each) and a few shape features (a question mark, an imperative
  at the start of the message or of a clause, length);
* the message's *skeleton*: function words, modals and markers stay as they are, a verb in
  its base form becomes ``_v``, a past form ``_ed``, an ``-ing`` form ``_ing``, any other
  word ``_`` ("it would be nice if the app had a dark mode" → "it would be nice if the _ had
  a _"); its word 1- to 3-grams are hashed into :data:`BUCKETS` columns, so "would be nice
  if" and "should have _ed" look the same whatever the topic.

The word lists are in :mod:`bot.services.suggest_words`.
"""

from __future__ import annotations

import re
import zlib

import numpy as np
import numpy.typing as npt

from bot.services.suggest_words import FUNCTION, IMPERATIVES, MARKERS, PAST, VERBS

_F = re.IGNORECASE
_PATTERNS = (
    # proposals and wishes
    r"\bwhat if (?:we|you|they|i)\b",
    r"\bhow about\b|\bwhat about\b",
    r"\bwhy (?:don'?t|not|can'?t) (?:we|you|they)\b|\bwhy not\b",
    r"\b(?:we|you|they|he|she|someone|everyone|management|staff) (?:should|ought to)\b(?! have)",
    r"\b(?:we|you|they|it|one) (?:could|might|can) (?:also |maybe |perhaps |just )?(?:try|use|add|"
    r"ask|get|consider|make|set up|do|have|start|create|organi[sz]e|invite|move)\b",
    r"\b(?:i|we) (?:propose|suggest|recommend|advise|urge)\b|\bmy (?:suggestion|idea|advice)\b",
    r"\b(?:it|that|this) (?:would|'d|will|might|could) (?:be|make) (?:\w+ )?(?:great|nice|good|"
    r"useful|helpful|better|cool|worth|awesome|handy|sense|ideal|easier|fantastic|wonderful)\b",
    r"\bwould (?:love|like) (?:to see|it if|to have|to be able|an? |the )|\bwouldn'?t it be\b",
    r"\b(?:i|we) (?:wish|hope) (?:there|they|you|it|we|the|for)\b|\bif only\b",
    r"\b(?:i|we)'?(?:d| would) (?:like|love|appreciate|prefer)\b",
    r"\b(?:should|must|could|needs? to) (?:be able|be possible|be added|allow|support|include|"
    r"have|offer|provide|let|give|add|show|be made)\b",
    r"\bthere (?:should|needs to|has to|must) be\b|\bwe (?:really )?need (?:a|an|to|more|some|"
    r"the)\b",
    r"\b(?:feature request|suggestion|idea|proposal|tip|request|advice)\s*:",
    r"\b(?:please|pls|plz|kindly)\b",
    r"\blet'?s\b",
    # advice to a reader
    r"\b(?:make sure|be sure|remember to|don'?t forget|do not forget|don'?t miss)\b",
    r"\b(?:avoid|beware|watch out|stay away|steer clear)\b",
    r"\b(?:worth (?:a|the|it|every|visiting|trying|paying|the)|a must|must[- ]see|must[- ]try)\b",
    r"\b(?:go for|opt for|your best bet|best to|better to|best bet)\b",
    r"\b(?:ask|request) (?:for|a|an|the|at)\b",
    r"\byou (?:can|could|might|may|should|will|'ll)(?: also| definitely| really)? (?:want|try|"
    r"consider|ask|get|use|need|find|book|take|bring|go)\b",
    r"\bif you (?:want|are|plan|like|have|need|can|get|'re|go|stay|prefer|travel)\b",
    r"\b(?:i'?d|i would|would) (?:definitely |highly |strongly )?(?:recommend|suggest|advise)\b",
    r"\b(?:highly|strongly|definitely|totally) recommend|\brecommended\b",
    # asks
    r"\b(?:does|do|did|has|have) (?:anyone|anybody|someone|somebody|any of you)\b",
    r"\b(?:can|could|would|will) (?:anyone|anybody|someone|somebody)\b",
    r"\b(?:can|could|would|will) you\b|\bwould you mind\b",
    r"\b(?:anyone|anybody) (?:know|knows|have|has|used|tried|done|familiar|able|willing)\b",
    r"\bhow (?:do|can|should|would|did) (?:i|we|you|one)\b",
    r"\b(?:is|are) there (?:a|an|any)\b",
    r"\bwhere (?:can|do|should|would) (?:i|we)\b",
    r"\bwho (?:knows|has|can|could|would|is the)\b",
    r"\bany (?:tips|advice|pointers|recommendations|suggestions|experience|ideas?|help)\b",
    r"\b(?:i|we) (?:need|could use|would appreciate|am looking for|are looking for|'m looking)\b",
    r"\blooking for (?:help|advice|input|guidance|someone|an expert|feedback|volunteers)\b",
    r"\b(?:let me know|get back to me|send me|give me|please (?:send|confirm|call|forward|"
    r"review|advise|let))",
    # hindsight, narration, description: no proposal
    r"\b(?:should|could|would|might|must)(?:n'?t)? have\b|\b(?:should|could|would)'ve\b",
    r"\b(?:we|i|they|he|she) (?:was|were|had|did|got|went|stayed|arrived|booked|tried|found|"
    r"loved|enjoyed|used|asked)\b",
    r"\b(?:the|our|my|their) \w+ (?:was|were|is|are|has|had)\b",
    r"\bthere (?:is|was|are|were) (?:no|a|an|some|many|plenty)\b",
    # French
    r"\bet si\b|\bnous pourrions\b|\bon pourrait\b|\bpourquoi (?:ne pas|pas|on ne)\b",
    r"\bil faudrait\b|\bil faut\b|\bce serait\b|\bça serait\b|\bil serait\b|\bdevrai(?:t|ent)\b",
    r"\bje (?:propose|suggère|recommande|conseille|vous conseille)\b|\bma suggestion\b",
    r"\bn'oubliez pas\b|\bpensez à\b|\bveuillez\b|\bmerci de\b|\bn'hésitez pas\b",
    r"\bquelqu'un\b|\bpouvez-vous\b|\bpourriez-vous\b|\bpeux-tu\b|\bpourrais-tu\b",
    r"\bj'ai besoin\b|\bdes conseils\b|\bcomment (?:faire|est-ce)\b",
    r"\baurai(?:t|s|ent)? (?:dû|pu)\b|\bnous avons\b|\bon a\b",
    # Spanish
    r"\bpodr[ií]amos\b|\bdeber[ií]amos\b|\bhabr[ií]a que\b|\bse podr[ií]a\b|\bconvendr[ií]a\b",
    r"\bser[ií]a (?:bueno|genial|útil|mejor|ideal|bueno)\b|\bestar[ií]a (?:bien|bueno|genial)\b",
    r"\b(?:propongo|sugiero|recomiendo|les recomiendo)\b|\bmi (?:sugerencia|consejo)\b",
    r"\bpor favor\b|\bno olviden\b|\bno se pierdan\b|\bqu[eé] tal si\b|\b¿?y si\b",
    r"\balguien\b|\bme pueden\b|\bpodr[ií]an\b|\bpodr[ií]as\b|\bnecesito\b|\balg[uú]n consejo\b",
    r"\bdeber[ií]a(?:n|mos)? haber\b|\bpodr[ií]a(?:n|mos)? haber\b|\bfuimos\b|\btuvimos\b",
)
PATTERNS = tuple(re.compile(p, _F) for p in _PATTERNS)
WORD = re.compile(r"[\w'’-]+|[?!:]", re.UNICODE)
_CLAUSE = re.compile(r"(?:^|[,;:.!?—–(]|\band\b|\bbut\b|\bso\b|\bthen\b|\balso\b)\s*", _F)
_MARKER_INDEX = {m: i for i, m in enumerate(MARKERS)}
_OPENERS = frozenset({"just", "also", "then", "so", "and", "but", "definitely", "really", "do"})
BUCKETS = 2048
SHAPES = 7  # the shape features after the patterns


def tokens(text: str) -> list[str]:
    flat = " ".join(text.split()).lower().replace("’", "'")
    return [w.strip("-") for w in WORD.findall(flat) if w.strip("-")]


def word_class(word: str) -> str:
    """The word as the skeleton keeps it."""
    if word in FUNCTION:
        return word
    if word in VERBS:
        return "_v"
    if word in PAST or (len(word) > 4 and word.endswith("ed")):
        return "_ed"
    if len(word) > 5 and word.endswith("ing"):
        return "_ing"
    if len(word) > 4 and word.endswith("ez"):
        return "_ez"  # French imperative or second person plural
    return "_"


def skeleton(words: list[str]) -> list[str]:
    """Every word's class, runs of other words as one ``_``."""
    out: list[str] = []
    for word in words:
        kept = word_class(word)
        if kept != "_" or not out or out[-1] != "_":
            out.append(kept)
    return out


def _bucket(gram: str) -> int:
    return zlib.crc32(gram.encode("utf-8")) % BUCKETS


def grams(words: list[str]) -> list[str]:
    """The skeleton's 1- to 3-grams, the first ones marked as the start of the message."""
    marked = ["^", *skeleton(words)]
    found = [w for w in marked[1:] if w != "_"]
    for n in (2, 3):
        found += [" ".join(marked[i : i + n]) for i in range(len(marked) - n + 1)]
    return found


def imperative_clause(flat: str) -> bool:
    """A clause after the first that starts with a verb ("If you go, ask for …")."""
    for clause in _CLAUSE.split(flat)[1:]:
        words = tokens(clause)
        while words and words[0] in _OPENERS:
            words = words[1:]
        if words and words[0] in IMPERATIVES and (len(words) == 1 or words[1] != "you"):
            return True
    return False


def width() -> int:
    return len(PATTERNS) + SHAPES + len(MARKERS) + BUCKETS


def cues(text: str) -> npt.NDArray[np.float32]:
    """The cue features of one message, :func:`width` columns."""
    flat = " ".join(text.split())
    words = tokens(flat)
    opening = [w for w in words[:3] if w not in _OPENERS][:1]
    markers = np.zeros(len(MARKERS), dtype=np.float32)
    for word in words:
        if (i := _MARKER_INDEX.get(word)) is not None:
            markers[i] = 1.0
    shape = np.array(
        [
            1.0 if "?" in flat else 0.0,
            1.0 if flat.rstrip().endswith("?") else 0.0,
            1.0 if opening and opening[0] in IMPERATIVES else 0.0,
            1.0 if imperative_clause(flat) else 0.0,
            1.0 if "!" in flat else 0.0,
            min(len(words), 60) / 60.0,
            1.0 if len(words) <= 6 else 0.0,
        ],
        dtype=np.float32,
    )
    skeleton_grams = np.zeros(BUCKETS, dtype=np.float32)
    for gram in grams(words):
        skeleton_grams[_bucket(gram)] = 1.0
    found = np.array([1.0 if p.search(flat) else 0.0 for p in PATTERNS], dtype=np.float32)
    return np.concatenate([found, shape, markers, skeleton_grams])
