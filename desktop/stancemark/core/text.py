"""Canonical article text and offset conversion.

The store, the exports and every API use Unicode code points, end-exclusive.
Qt counts UTF-16 code units. This module is the one place that converts
between the two; the UI never takes span text from the widget.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata

import regex

# Characters trimmed from both ends of a selection before tagging, besides every
# Unicode punctuation, separator and format character (see _trimmable).
_TRIM = set(" \t\n\r\u00a0\u2029\u2028\u200b\ufeff") | set(
    ".,;:!?\"'()[]{}<>«»“”‘’„‚…—–-/\\|*_~`"
)
POSSESSIVES = ("’s", "'s", "’S", "'S")


# Punctuation that starts or ends a name: handles and hashtags (@SecPompeo, #MeToo),
# AT&T, 50%.
_KEEP = set("@#&%")


def _trimmable(ch: str) -> bool:
    """Space and punctuation of any script: the full-width ，。、「」《》 of CJK text,
    Arabic ، ؛ ؟, and direction marks (U+200E/200F, category Cf) at a selection's edge."""
    if ch in _TRIM:
        return True
    cat = unicodedata.category(ch)
    return (cat[0] in "PZ" or cat == "Cf") and ch not in _KEEP


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")  # outside the BMP: two UTF-16 units


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; nothing else changes."""
    if "\r" not in text:  # the usual case: one scan instead of two replace passes
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def file_name_text(name: str) -> str:
    """A file name as text that can be stored, hashed and printed.

    Python keeps the bytes of a name that are not valid UTF-8 (b"bad-\\xff.txt") as lone
    surrogates, which no UTF-8 text (SQLite, JSON, the terminal) can hold: each such
    byte becomes U+FFFD. The file itself is still opened by its real name."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = name.encode("utf-8", "surrogateescape")  # the name's own bytes
        except UnicodeEncodeError:  # a lone surrogate from elsewhere (Windows names)
            raw = name.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "replace")
    return name


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class OffsetMap:
    """Converts between code-point offsets and UTF-16 positions for one text.

    Only astral characters (outside the BMP) differ: each takes two UTF-16 units.
    We keep the sorted code-point indices of those characters, so each
    conversion is one binary search, and a text with none costs nothing.
    """

    __slots__ = ("_astral", "_astral_u16", "length")

    def __init__(self, text: str):
        self.length = len(text)
        # Scanned in C: a Python loop over a 1 MB article took half a second of opening
        # it in the window, max(text) (a str object per character) 15-35 ms; encoding to
        # UTF-16 takes 2 ms and is longer than two bytes a character exactly when an
        # astral character is there. Only then does the regex look for them.
        astral = (text and not text.isascii()
                  and len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text))
        self._astral = [m.start() for m in _ASTRAL.finditer(text)] if astral else []
        # UTF-16 position of each astral character.
        self._astral_u16 = [cp + k for k, cp in enumerate(self._astral)]

    def to_utf16(self, cp: int) -> int:
        """Code-point offset -> UTF-16 position."""
        return cp + bisect.bisect_left(self._astral, cp)

    def to_utf16_many(self, cps: list[int]) -> list[int]:
        """to_utf16 of each offset (the thousands of a long article's suggestions): a
        text without astral characters gives them back as they are, with no call each."""
        if not self._astral:
            return list(cps)
        return [self.to_utf16(cp) for cp in cps]

    def to_codepoint(self, u16: int) -> int:
        """UTF-16 position -> code-point offset. A position inside a surrogate pair
        snaps to the start of that character."""
        # k astral characters start strictly before u16, each one unit longer in UTF-16.
        # At the low surrogate of the k-th, u16 - k is already that character's start
        # (its position u16 - 1 minus the k - 1 extra units before it): no special case.
        return u16 - bisect.bisect_left(self._astral_u16, u16)


def _is_word_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "LNM" or ch in "'’-_"


# Scripts written without spaces between words (by Unicode script extensions, so the
# kana prolonged sound mark and the ideographic iteration mark count too).
_UNSPACED = regex.compile(r"[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Thai}"
                          r"\p{scx=Lao}\p{scx=Myanmar}\p{scx=Khmer}]")


def _is_unspaced(ch: str) -> bool:
    """Han, kana and other scripts written without spaces between words: a run of them
    is a sentence, not a word, so a selection there is never grown."""
    return _UNSPACED.match(ch) is not None


def _joins(a: str, b: str) -> bool:
    return _is_word_char(a) and _is_word_char(b) and not (_is_unspaced(a) or _is_unspaced(b))


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop white space and punctuation from both ends of [start, end)."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    while start < end and _trimmable(text[start]):
        start += 1
    while end > start and _trimmable(text[end - 1]):
        end -= 1
    return start, end


def snap_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Snap a selection to whole words and trim surrounding space and punctuation.

    A selection that starts or ends inside a word grows to cover the word. An
    empty or all-punctuation selection comes back empty (start == end).
    """
    if start > end:
        start, end = end, start
    start, end = trim_span(text, start, end)
    if start == end:
        return start, start
    while start > 0 and _joins(text[start - 1], text[start]):
        start -= 1
    while end < len(text) and _joins(text[end - 1], text[end]):
        end += 1
    start, end = trim_span(text, start, end)
    return start, drop_possessive(text, start, end)


def drop_possessive(text: str, start: int, end: int) -> int:
    """The end of [start, end) without a trailing possessive: "Taipei’s" is the name
    Taipei, whether the selection grew into the ’s or was dragged over it. (A register
    entry that ends in ’s, "McDonald's", is matched by the caller with the ’s put back.)"""
    if end - 2 > start and text[end - 2:end] in POSSESSIVES and _is_word_char(text[end - 3]):
        return trim_span(text, start, end - 2)[1]
    return end


_SENTENCE_END = ".!?\n"


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The [start, end) of the sentence holding code point `pos` (a simple rule:
    sentences end at . ! ? followed by space, or at a newline). The marks are looked
    for with str.find rather than stepped over one character at a time: a long
    article's date suggestions ask this of every weekday."""
    return sentence_start(text, pos), sentence_end(text, pos)


def sentence_start(text: str, pos: int) -> int:
    """sentence_bounds' start alone (a date's tense needs the end rarely: its search
    runs to the end of the line, which is often the paragraph's)."""
    n = len(text)
    pos = max(0, min(pos, n))
    lo = text.rfind("\n", 0, pos) + 1  # the line's start
    k = pos
    while k > lo:  # the last . ! ? in the line before pos followed by a space (or the end)
        # "!" and "?" looked for only after the last "." (a line has few of them: each
        # search of the whole line's head was most of this)
        below, k = k, text.rfind(".", lo, k)
        for mark in "!?":
            k = max(k, text.rfind(mark, max(lo, k + 1), below))
        if k < lo:
            break
        if k + 1 >= n or text[k + 1].isspace():
            return k + 1
    return lo


def sentence_end(text: str, pos: int) -> int:
    """sentence_bounds' end alone."""
    n = len(text)
    pos = max(0, min(pos, n))
    hi = text.find("\n", pos)
    hi = n if hi < 0 else hi
    k = pos
    while k < hi:  # the first . ! ? from pos on in the line followed by a space or a quote
        found = [i for i in (text.find(".", k, hi), text.find("!", k, hi),
                             text.find("?", k, hi)) if i >= 0]
        if not found:
            break
        k = min(found)
        if k + 1 >= n or text[k + 1].isspace() or text[k + 1] in "”\"’'":
            return k + 1
        k += 1
    return hi


def check_span(text: str, start: object, end: object, quote: str | None = None) -> str | None:
    """Return why [start, end) with this quote is not valid for `text`, or None.
    The offsets may come straight from a file, hence `object`: anything but an int
    is refused here."""
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        return "offsets must be integers"
    if start < 0:
        return f"start {start} is negative"
    if end <= start:
        return f"end {end} is not after start {start}"
    if end > len(text):
        return f"end {end} is past the end of the text ({len(text)} characters)"
    if quote is not None and text[start:end] != quote:
        return f"quote {quote!r} does not match the text {text[start:end]!r} at {start}-{end}"
    return None


def is_right_to_left(text: str) -> bool:
    """The paragraph direction Unicode's bidi rule (P2) gives: that of the first strong
    character, Hebrew and Arabic right-to-left, any letter of another script left-to-right."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


# Scripts whose fonts carry an italic; asking any other (Arabic, Hebrew, CJK, ...) for one
# makes the font match pick an oblique face that may lack the glyphs.
_ITALIC_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")


def italic_suits(text: str) -> bool:
    """True when every letter of `text` is Latin, Greek or Cyrillic."""
    return all(unicodedata.name(ch, "").startswith(_ITALIC_SCRIPTS)
               for ch in text if ch.isalpha())
