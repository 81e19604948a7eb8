import pytest

from reports.numbers import Entry, NumberError, parse_entry


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234", Entry.of(1234)),
        ("1 234", Entry.of(1234)),
        ("24.500", Entry.of(24500)),
        ("1.234.567", Entry.of(1234567)),
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
    assert parse_entry(text) == expected


@pytest.mark.parametrize("text", ["-3", "12,5", "1.23", "abc", "1.2345", 2.5, True, "1e5"])
def test_fractions_negatives_and_words_are_refused(text):
    with pytest.raises(NumberError):
        parse_entry(text)


def test_blank_na_and_zero_stay_distinct():
    assert len({parse_entry(""), parse_entry("NA"), parse_entry("0")}) == 3
