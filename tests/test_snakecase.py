"""lodash ``snakeCase`` (the ``lodash.snakecase`` 4.1.1 module the official Xano CLI names its
files with): one line per case. Expected values follow lodash's algorithm (deburr, apostrophes
removed, its word pattern, lower case, ``_``); they were also checked once against the real
module under node (see the pull request)."""

from __future__ import annotations

import pytest

from xanoctl.sync.snakecase import deburr, snake_case

CASES = [
    # the official CLI's own examples and the issue's
    ("Tasks", "tasks"),
    ("reZEN - Onboarding Start Job", "re_zen_onboarding_start_job"),
    ("Task 0 - Stage Listings", "task_0_stage_listings"),
    ("Foo Bar", "foo_bar"),
    ("fooBar", "foo_bar"),
    ("--FOO-BAR--", "foo_bar"),
    # case boundaries and acronyms
    ("HubSpot", "hub_spot"),
    ("XMLHttpRequest", "xml_http_request"),
    ("fooBAR", "foo_bar"),
    ("FOO_bar", "foo_bar"),
    ("getURLs", "get_ur_ls"),
    ("ABC", "abc"),
    ("aB", "a_b"),
    ("already_snake_case", "already_snake_case"),
    ("FUB - Sync People", "fub_sync_people"),
    # letters and digits
    ("v1", "v_1"),
    ("v1.2", "v_1_2"),
    ("12abc", "12_abc"),
    ("abc12def", "abc_12_def"),
    ("2nd place", "2_nd_place"),
    ("1st", "1_st"),
    ("Area51", "area_51"),
    ("0", "0"),
    ("007 Agent", "007_agent"),
    # path parameters, punctuation, spaces
    ("{id}", "id"),
    ("{user_id}", "user_id"),
    ("users/{id}", "users_id"),
    ("a.b:c|d*e?f", "a_b_c_d_e_f"),
    ("  leading and trailing  ", "leading_and_trailing"),
    ("tab\there\nnewline", "tab_here_newline"),
    ("!!!", ""),
    ("", ""),
    ("a\u2014b", "a_b"),  # em dash: general punctuation
    ("a\u00a0b", "a_b"),  # no-break space
    ("\u00bfQu\u00e9?", "que"),  # inverted question mark: a separator
    # apostrophes are removed, not separators
    ("don't stop", "dont_stop"),
    ("Don\u2019t", "dont"),
    ("O'Brien", "o_brien"),  # OBrien: a capital before a capitalised word
    ("rock 'n' roll", "rock_n_roll"),
    # Latin-1 and Latin Extended-A letters are deburred; combining marks removed
    ("d\u00e9j\u00e0 vu", "deja_vu"),
    ("Cr\u00e8me Br\u00fbl\u00e9e", "creme_brulee"),
    ("\u00c6sir", "aesir"),
    ("Stra\u00dfe", "strasse"),
    ("\u0141\u00f3d\u017a", "lodz"),
    ("\u0130stanbul", "istanbul"),
    ("\u0132ssel", "i_jssel"),
    ("\u0149", "n"),
    ("\u00de\u00f3rr", "thorr"),
    ("Cafe\u0301", "cafe"),
    ("a\u00d7b", "a_b"),  # multiplication sign: a separator
    # only U+FE20-FE23 and U+20D0-20F0 of the later combining ranges are removed (4.1.1)
    ("a\ufe23b", "ab"),
    ("a\ufe24b", "a\ufe24b"),
    ("x\u20f1y", "x\u20f1y"),
    # other scripts: letters without case for the pattern, lower-cased at the end
    ("\u041f\u0440\u0438\u0432\u0435\u0442 \u041c\u0438\u0440", "\u043f\u0440\u0438\u0432\u0435\u0442_\u043c\u0438\u0440"),
    ("\u041f\u0440\u0438\u0432\u0435\u0442\u041c\u0438\u0440", "\u043f\u0440\u0438\u0432\u0435\u0442\u043c\u0438\u0440"),
    ("\u0391\u03a3 \u03a3", "\u03b1\u03c2_\u03c3"),  # final sigma inside a word
    ("\u65e5\u672c\u8a9e API", "\u65e5\u672c\u8a9e_api"),
    ("Caf\u00e9\u4e2d\u6587", "cafe\u4e2d\u6587"),
    # emoji are words of their own
    ("a\U0001f600b", "a_\U0001f600_b"),
    ("\U0001f680 Launch", "\U0001f680_launch"),
    ("thumbs\U0001f44d\U0001f3fd", "thumbs_\U0001f44d\U0001f3fd"),
    ("\U0001f468\u200d\U0001f469\u200d\U0001f467 family", "\U0001f468\u200d\U0001f469\u200d\U0001f467_family"),
    ("flag\U0001f1eb\U0001f1f7", "flag_\U0001f1eb\U0001f1f7"),
    ("\u2764 love", "\u2764_love"),
]


@pytest.mark.parametrize("name,expected", CASES, ids=[ascii(name) for name, _ in CASES])
def test_snake_case(name, expected):
    assert snake_case(name) == expected


def test_deburr_maps_every_letter_of_the_two_latin_blocks_to_basic_latin():
    letters = [chr(code) for code in range(0xC0, 0x180) if code not in (0xD7, 0xF7)]
    for letter in letters:
        assert deburr(letter).isascii() and deburr(letter).replace("'", "").isalpha(), ascii(letter)
    assert deburr("\u00d7\u00f7") == "\u00d7\u00f7"
