"""Reading and writing whole numbers in the reader's language (no database)."""

import pytest
from django.utils import formats, translation

from reports.numbers import FILES, Entry, NumberError, grouped, parse_entry, thousands_mark

BOTH = ["vi", "en"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234", Entry.of(1234)),
        ("1 234", Entry.of(1234)),
        ("1\u00a0234", Entry.of(1234)),
        ("24.500", Entry.of(24500)),
        ("1.234.567", Entry.of(1234567)),
        ("2.600", Entry.of(2600)),
        ("0", Entry.of(0)),
        (" 17 ", Entry.of(17)),
        ("", Entry.blank()),
        (None, Entry.blank()),
        ("NA", Entry.na()),
        ("không áp dụng", Entry.na()),
        (12.0, Entry.of(12)),
        (7, Entry.of(7)),
    ],
)
def test_vietnamese_input_is_read(text, expected):
    assert parse_entry(text, "vi") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2,600", Entry.of(2600)),
        ("2 600", Entry.of(2600)),
        ("2\u202f600", Entry.of(2600)),
        ("2600", Entry.of(2600)),
        ("1,234,567", Entry.of(1234567)),
        ("24,500", Entry.of(24500)),
        ("0", Entry.of(0)),
        (" 17 ", Entry.of(17)),
        ("", Entry.blank()),
        (None, Entry.blank()),
        ("NA", Entry.na()),
        ("n/a", Entry.na()),
        ("-", Entry.na()),
        (12.0, Entry.of(12)),
        (7, Entry.of(7)),
    ],
)
def test_english_input_is_read(text, expected):
    assert parse_entry(text, "en") == expected


@pytest.mark.parametrize(
    ("language", "text", "reason"),
    [
        # A comma is the Vietnamese decimal mark; a dot the English one.
        ("vi", "12,5", "not a whole number"),
        ("vi", "2,600", "not a whole number"),
        ("en", "1.234", "not a whole number"),
        ("en", "1.5", "not a whole number"),
        ("en", "1,234.0", "not a whole number"),
        ("vi", "1.234,0", "not a whole number"),
        # Groups of three after the first one to three digits, and nothing else.
        ("en", "12,5", "not a whole number"),
        ("en", "2,60", "not a whole number"),
        ("en", "26,00", "not a whole number"),
        ("en", "1,2345", "not a whole number"),
        ("en", "1234,567", "not a whole number"),
        ("en", ",600", "not a whole number"),
        ("en", "2600,", "not a whole number"),
        ("en", "2,,600", "not a whole number"),
        ("en", "1,234.567", "not a whole number"),
        ("vi", "2.60", "not a whole number"),
        ("vi", "26.00", "not a whole number"),
        ("vi", "1.2345", "not a whole number"),
        # Negatives, as each language writes them.
        ("vi", "-3", "negative"),
        ("vi", "-1.234", "negative"),
        ("en", "-3", "negative"),
        ("en", "-1,234", "negative"),
        ("en", "-1.5", "not a whole number"),
        # Too large, in words or in digits.
        ("vi", "1.000.000.000.001", "too large"),
        ("en", "1,000,000,000,001", "too large"),
        ("en", "9" * 5000, "too large"),
        # Digits that are not ASCII, words, exponents.
        ("en", "²", "not a whole number"),
        ("en", "١,٢٣٤", "not a whole number"),
        ("vi", "١.٢٣٤", "not a whole number"),
        ("en", "１,２３４", "not a whole number"),
        ("en", "abc", "not a whole number"),
        ("en", "1e5", "not a whole number"),
        ("vi", "1e5", "not a whole number"),
        ("en", 2.5, "not a whole number"),
        ("en", True, "not a number"),
        ("en", -4, "negative"),
    ],
)
def test_fractions_wrong_groupings_negatives_and_words_are_refused(language, text, reason):
    with pytest.raises(NumberError, match=f"^{reason}$"):
        parse_entry(text, language)


@pytest.mark.parametrize("language", [*BOTH, "en-us", "EN", None, "fr"])
def test_a_language_groups_by_its_own_mark_and_others_read_the_vietnamese_way(language):
    english = str(language).lower().startswith("en")
    assert thousands_mark(language) == ("," if english else ".")
    assert grouped(1133, language) == ("1,133" if english else "1.133")


def test_files_are_read_the_vietnamese_way():
    assert parse_entry("1.850", FILES) == Entry.of(1850)
    with pytest.raises(NumberError):
        parse_entry("12,5", FILES)


@pytest.mark.parametrize("language", BOTH)
@pytest.mark.parametrize("number", [0, 7, 999, 1000, 1133, 24500, 1234567, 10**12])
def test_what_an_input_shows_reads_back_and_matches_the_rest_of_the_page(language, number):
    shown = grouped(number, language)
    assert parse_entry(shown, language) == Entry.of(number)
    with translation.override(language):  # the "previous quarter" column beside the input
        assert shown == formats.number_format(number, force_grouping=True)


@pytest.mark.parametrize("language", BOTH)
def test_blank_na_and_zero_stay_distinct(language):
    read = {parse_entry("", language), parse_entry("NA", language), parse_entry("0", language)}
    assert len(read) == 3
