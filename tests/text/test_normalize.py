import unicodedata

from diemtin.text.normalize import normalize_text, syllables


def test_nfd_and_invisible_characters_become_plain_nfc():
    decomposed = unicodedata.normalize("NFD", "Thủ tướng Hà Lan")
    assert normalize_text(decomposed.replace(" ", "\u200b ")) == "Thủ tướng Hà Lan"


def test_crlf_control_characters_and_spaces():
    assert normalize_text("Dòng một\r\n\x07Dòng   hai\u00a0 \r\n") == "Dòng một\nDòng hai"


def test_normalising_twice_changes_nothing():
    text = "  Tổng thống\u200d Zelensky\r\n\r\nphát biểu  "
    once = normalize_text(text)
    assert normalize_text(once) == once


def test_syllables_keep_vietnamese_letters_and_split_numbers():
    assert syllables("Đà Nẵng: 5.000 người, ngày 3/10") == ["đà", "nẵng", "5", "000", "người", "ngày", "3", "10"]
    assert syllables("") == []
