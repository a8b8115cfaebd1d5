from diemtin.text.segment import segment_words, split_sentences


def test_split_keeps_quotes_and_abbreviations_together():
    paragraph = 'Tân Tổng thư ký NATO nói: "Chúng tôi tập trung vào việc mời Ukraine tham gia liên minh". TP.HCM có 5.000 người.'
    assert split_sentences(paragraph) == [
        'Tân Tổng thư ký NATO nói: "Chúng tôi tập trung vào việc mời Ukraine tham gia liên minh".',
        "TP.HCM có 5.000 người.",
    ]


def test_split_of_punctuation_only_gives_nothing():
    assert split_sentences(" ... | ") == []


def test_segmentation_joins_compound_words():
    words = segment_words("Bác sĩ bây giờ có thể thản nhiên báo tin bệnh nhân bị ung thư")
    assert {"bác_sĩ", "bây_giờ", "có_thể", "bệnh_nhân", "ung_thư"} <= set(words)
    assert "".join(words).replace("_", "") == "bácsĩbâygiờcóthểthảnnhiênbáotinbệnhnhânbịungthư"


def test_a_quotation_of_several_sentences_stays_one_sentence():
    paragraph = ('Tân Tổng thư ký NATO nói: "Chúng tôi tập trung vào việc mời Ukraine tham gia liên minh. '
                 'Đây là một bước rất quan trọng và khó. Chúng tôi sẽ làm mọi thứ để đạt được nó". Ông rời Kiev sau đó.')
    sentences = split_sentences(paragraph)
    assert sentences == [paragraph[: paragraph.index("nó\".") + 4], "Ông rời Kiev sau đó."]
    assert all(s.count('"') % 2 == 0 for s in sentences)


def test_an_unclosed_quote_joins_a_bounded_stretch_not_the_rest_of_the_text():
    # A quote mark never closed used to join every later sentence of the paragraph into one
    # (with a copy of the growing text per sentence: quadratic in a long text).
    from diemtin.text.segment import MAX_JOINED_CHARS

    paragraph = 'Ông nói: "Chúng tôi sẽ cố gắng hết sức. ' + "Hà Nội mưa lớn kéo dài nhiều giờ liền. " * 2000
    sentences = split_sentences(paragraph)
    assert len(sentences) > 100
    assert max(len(s) for s in sentences) <= MAX_JOINED_CHARS + 100
    assert sentences[0].startswith('Ông nói: "Chúng tôi sẽ cố gắng hết sức. Hà Nội mưa lớn')
