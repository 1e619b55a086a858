"""lodash's ``snakeCase``, as the official Xano CLI names its files with it.

The official CLI depends on the npm package ``lodash.snakecase`` 4.1.1 (the last release of the
standalone module). That release differs from ``lodash`` 4.17 on two points, and this module
follows 4.1.1: ordinals are split (``2nd`` -> ``2_nd``, 4.17 keeps ``2nd``) and fewer combining
marks are dropped (U+FE20-FE23 and U+20D0-20F0 only).

The algorithm, step by step:

1. *deburr*: each Latin-1 Supplement and Latin Extended-A letter becomes its basic Latin form
   (``é`` -> ``e``, ``Æ`` -> ``Ae``, ``ß`` -> ``ss``); combining marks are removed.
2. apostrophes (``'`` and U+2019) are removed: ``don't`` -> ``dont``.
3. *words*: a string of only ASCII letters, digits and spaces with no case change and no
   letter-digit boundary is split at every other character; anything else is split by the
   Unicode word pattern: an optional capital then lower-case letters (``Hub`` ``Spot``), a run
   of capitals not followed by a lower-case letter (``XML`` in ``XMLHttp``), digits, emoji
   sequences. Letters of other scripts (Greek, Cyrillic, CJK...) have no case for the pattern:
   ``ПриветМир`` is one word. Separators are ASCII punctuation and controls, U+0080-00BF,
   ``¬ ± × ÷``, U+2000-206F and Unicode spaces.
4. the words, lower-cased, are joined with ``_``.

JavaScript matches these patterns on UTF-16 code units (the regular expressions have no ``u``
flag), so this module does too: a character outside the Basic Multilingual Plane is a
surrogate pair, which only the emoji part of the pattern accepts.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LATIN = re.compile("[\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u017f]")
# The letters of the two blocks whose basic form is not the first character of their
# canonical decomposition (every other one of the range has such a decomposition).
_BASIC = {
    "Æ": "Ae", "æ": "ae", "Ð": "D", "ð": "d", "Ø": "O", "ø": "o", "Þ": "Th", "þ": "th", "ß": "ss",
    "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "Ĳ": "IJ", "ĳ": "ij", "ĸ": "k", "Ŀ": "L",
    "ŀ": "l", "Ł": "L", "ł": "l", "ŉ": "'n", "Ŋ": "N", "ŋ": "n", "Œ": "Oe", "œ": "oe", "Ŧ": "T",
    "ŧ": "t", "ſ": "ss",
}
_COMBO = "\u0300-\u036f\ufe20-\ufe23\u20d0-\u20f0"
_APOSTROPHE = "'\u2019"

# Character classes, as ranges of UTF-16 code units.
_SURROGATES = "\ud800-\udfff"
_DINGBATS = "\u2700-\u27bf"
_LOWER = "a-z\xdf-\xf6\xf8-\xff"
_UPPER = "A-Z\xc0-\xd6\xd8-\xde"
_BREAKS = ("\xac\xb1\xd7\xf7"  # math operators
           "\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\xbf"  # ASCII punctuation and controls, U+0080-00BF
           "\u2000-\u206f"  # general punctuation
           " \t\x0b\x0c\xa0\ufeff\n\r\u2028\u2029\u1680\u180e\u2000-\u200a\u202f\u205f\u3000")


def _pattern() -> re.Pattern[str]:
    brk = f"[{_BREAKS}]"
    lower, upper = f"[{_LOWER}]", f"[{_UPPER}]"
    misc = f"[^{_SURROGATES}{_BREAKS}0-9+{_DINGBATS}{_LOWER}{_UPPER}]"
    lower_misc, upper_misc = f"(?:{lower}|{misc})", f"(?:{upper}|{misc})"
    contraction_lower = f"(?:[{_APOSTROPHE}](?:d|ll|m|re|s|t|ve))?"
    contraction_upper = f"(?:[{_APOSTROPHE}](?:D|LL|M|RE|S|T|VE))?"
    modifier = f"(?:[{_COMBO}]|\ud83c[\udffb-\udfff])?"
    variation = "[\ufe0e\ufe0f]?"
    regional = "(?:\ud83c[\udde6-\uddff]){2}"
    pair = "[\ud800-\udbff][\udc00-\udfff]"
    join = f"(?:\u200d(?:[^{_SURROGATES}]|{regional}|{pair}){variation}{modifier})*"
    emoji = f"(?:[{_DINGBATS}]|{regional}|{pair}){variation}{modifier}{join}"
    return re.compile("|".join([
        f"{upper}?{lower}+{contraction_lower}(?={brk}|{upper}|\\Z)",
        f"{upper_misc}+{contraction_upper}(?={brk}|{upper}{lower_misc}|\\Z)",
        f"{upper}?{lower_misc}+{contraction_lower}",
        f"{upper}+{contraction_upper}",
        "[0-9]+",
        emoji,
    ]))


_WORD = _pattern()
_ASCII_WORD = re.compile("[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")
_NEEDS_WORD_PATTERN = re.compile("[a-z][A-Z]|[A-Z]{2,}[a-z]|[0-9][a-zA-Z]|[a-zA-Z][0-9]|[^a-zA-Z0-9 ]")
_COMBO_MARK = re.compile(f"[{_COMBO}]")
_APOSTROPHES = re.compile(f"[{_APOSTROPHE}]")
_OUTSIDE_BMP = re.compile("[\ud800-\udfff\U00010000-\U0010ffff]")  # astral characters, or surrogates already


def _basic_letter(match: re.Match[str]) -> str:
    letter = match.group()
    return _BASIC.get(letter) or unicodedata.normalize("NFD", letter)[0]


def deburr(text: str) -> str:
    """Latin-1 Supplement and Latin Extended-A letters as basic Latin; combining marks gone."""
    return _COMBO_MARK.sub("", _LATIN.sub(_basic_letter, text))


def _utf16_units(text: str) -> str:
    """``text`` with every astral character as its two surrogate code units."""
    return "".join(_units(ch) for ch in text)


def _units(ch: str) -> str:
    code = ord(ch)
    if code < 0x10000:
        return ch
    code -= 0x10000
    return chr(0xD800 + (code >> 10)) + chr(0xDC00 + (code & 0x3FF))


def _from_units(units: str) -> str:
    """Surrogate pairs back into characters (a lone surrogate stays as it is)."""
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def words(text: str) -> list[str]:
    """The words lodash finds in ``text`` (before deburring)."""
    if not _NEEDS_WORD_PATTERN.search(text):
        return _ASCII_WORD.findall(text)
    if not _OUTSIDE_BMP.search(text):
        return _WORD.findall(text)
    return [_from_units(word) for word in _WORD.findall(_utf16_units(text))]


@lru_cache(maxsize=8192)
def snake_case(text: str) -> str:
    """``reZEN - Onboarding Start Job`` -> ``re_zen_onboarding_start_job``, ``v1`` -> ``v_1``,
    ``HubSpot`` -> ``hub_spot``, ``{id}`` -> ``id``, ``déjà vu`` -> ``deja_vu``."""
    return "_".join(word.lower() for word in words(_APOSTROPHES.sub("", deburr(text))))
