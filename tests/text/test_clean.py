from diemtin.text.clean import clean_text
from tests.conftest import SEEDS

# Lines of the raw seed files that are scraped boilerplate, by 1-based line number.
SEED_BOILERPLATE = {
    "000_80b37126d890dae0.txt": {
        1: "photo caption or credit",  # "... vào ngày 3/10. (Nguồn: Telegram) |"
        3: "related-articles header",  # "Tin liên quan |"
        4: "related-article link",  # "Thách thức người cầm lái NATO |"
        16: "related-article row",
        17: "related-article row",
        18: "related-article row",
        19: "related-article row",
        20: "related-article row",
    },
    "003_2e375160be14cd82.txt": {},
}


def test_seed_boilerplate_lines_are_removed_with_reasons():
    for name, expected in SEED_BOILERPLATE.items():
        cleaned = clean_text((SEEDS / name).read_text(encoding="utf-8"))
        assert {r.line: r.reason for r in cleaned.removed} == expected, name


def test_every_story_sentence_of_the_seeds_survives_intact():
    for name, expected in SEED_BOILERPLATE.items():
        raw_lines = (SEEDS / name).read_text(encoding="utf-8").split("\n")
        story = [line.strip().rstrip("|").strip() for n, line in enumerate(raw_lines, 1) if n not in expected and line.strip()]
        cleaned = clean_text("\n".join(raw_lines))
        assert cleaned.paragraphs == story, name


def test_trailing_pipe_is_dropped_but_the_sentence_kept():
    text = "Trong phát biểu sau khi nhận chức Tổng thư ký NATO hôm 1/10, ông cho biết Ukraine là ưu tiên hàng đầu. |"
    assert clean_text(text).paragraphs == [text[:-2]]


def test_photo_credits_in_several_styles():
    for caption in [
        "Lực lượng cứu hộ tìm kiếm nạn nhân tại hiện trường. - Ảnh: AFP",
        "Ông Putin tại Điện Kremlin (Ảnh: Reuters)",
        "Ảnh: Minh Anh",
    ]:
        cleaned = clean_text(f"Ông Nguyễn Văn A cho biết đội cứu hộ đã đến nơi lúc 8 giờ sáng.\n{caption}")
        assert cleaned.paragraphs == ["Ông Nguyễn Văn A cho biết đội cứu hộ đã đến nơi lúc 8 giờ sáng."]
        assert cleaned.removed[0].reason == "photo caption or credit"


def test_closing_byline_and_source_credit_go_but_a_short_last_sentence_stays():
    body = "Bộ Y tế cho biết đã có thêm 20 ca mắc mới trong ngày hôm qua."
    assert clean_text(f"{body}\nMinh Anh").paragraphs == [body]
    assert clean_text(f"{body}\nTheo TTXVN").paragraphs == [body]
    assert clean_text(f"{body}\nĐây là lần đầu tiên.").paragraphs == [body, "Đây là lần đầu tiên."]


def test_inline_editor_note_is_kept_inside_the_quote():
    line = 'Ông nói: "Việc chung tay đánh chặn tên lửa (tên lửa do Iran sản xuất - PV) là cần thiết".'
    assert clean_text(line).paragraphs == [line]
