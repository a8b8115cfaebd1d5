"""Facts on real Vietnamese news: the seed articles, and the hand-checked set in tests/data/facts."""

from __future__ import annotations

import json
import os

import pytest

from diemtin.evaluate.facts import (
    CORPORA, check_differences, check_entities, check_quotes, check_stories, check_timeline, evaluate_facts,
    measure_entity_precision, shown_facts,
)
from diemtin.facts import CONFIDENCE_BAR, extract_facts, named_entities, read_story
from diemtin.facts.measured import ENTITY_PRECISION
from diemtin.facts.compare import DIFFERENCE_COUNTS, Sourced, differing_numbers, exclusive_sentences
from diemtin.facts.timeline import find_dates
from diemtin.ingest import read_sources
from diemtin.types import Article
from tests.conftest import SEEDS, VIMS, needs_shared


@pytest.fixture(scope="module")
def seeds():
    return read_sources([SEEDS]).articles


@pytest.fixture(scope="module")
def seed_facts(seeds):
    dated = [Article(a.id, a.title, a.text, a.sapo, a.source, "2024-10-04T09:00:00", a.url) for a in seeds]
    return extract_facts(dated)


def _quote(facts, start):
    return next(q for q in facts["quotes"] if q["sentence"].startswith(start))


def test_rutte_and_zelensky_quotes_have_their_speakers(seed_facts):
    assert _quote(seed_facts, "Tân Tổng thư ký NATO nói")["speaker"] == "Mark Rutte"  # by his role
    assert _quote(seed_facts, "\"Chúng tôi sẽ tiếp tục thuyết phục")["speaker"] == "Volodymyr Zelensky"
    assert _quote(seed_facts, "\"Tất nhiên, việc bắn hạ")["speaker"] == "Mark Rutte"
    assert _quote(seed_facts, "Theo bà Singh")["speaker"] == "Sabrina Singh"
    assert _quote(seed_facts, "Ông cũng cam kết")["speaker"] == "Mark Rutte"  # "Ông" refers back
    said = _quote(seed_facts, "Tân Tổng thư ký NATO nói")["quote"]
    assert said.startswith("Chúng tôi tập trung vào việc mời Ukraine") and said.endswith("đạt được nó")


def test_entities_are_merged_across_articles_with_roles(seed_facts):
    by_name = {e["name"]: e for e in seed_facts["entities"]}
    zelensky, rutte = by_name["Volodymyr Zelensky"], by_name["Mark Rutte"]
    assert zelensky["type"] == rutte["type"] == "PER"
    assert "Zelensky" in zelensky["aliases"] and zelensky["articles"] == 2
    assert "Rutte" in rutte["aliases"] and "Tổng thư ký NATO" in rutte["roles"]
    assert by_name["NATO"]["type"] == "ORG" and by_name["Kiev"]["type"] == "LOC"
    assert "Zelensky" not in by_name and "Rutte" not in by_name  # one entry per person


def test_meeting_day_resolves_against_publication_time(seeds, seed_facts):
    meeting = [d for d in seed_facts["timeline"] if d["sentence"].startswith("Hôm 3/10")]
    assert [d["date"] for d in meeting] == ["2024-10-03"]
    dates = [d["date"] for d in seed_facts["timeline"]]
    assert dates == sorted(dates)  # the story's events in order
    assert "2024-10-12" in dates  # "phiên họp ngày 12/10": a planned meeting, same year
    undated = extract_facts(seeds)  # no publication time: the year is not guessed
    meeting = [d for d in undated["timeline"] if d["sentence"].startswith("Hôm 3/10")]
    assert meeting[0]["date"] == "--10-03" and meeting[0]["year_known"] is False
    assert undated["publication_time_known"] is False


def test_date_expressions_and_what_is_not_a_date():
    from datetime import datetime

    published = datetime(2024, 10, 4, 9)
    found = {d.text: d.date for d in find_dates(
        "Tối 1/10, Iran phóng tên lửa; tháng trước, Israel tấn công; hôm qua, ông nói; ngày 12 tháng 10 năm 2023.",
        published)}
    assert found == {"Tối 1/10": "2024-10-01", "tháng trước": "2024-09", "hôm qua": "2024-10-03",
                     "ngày 12 tháng 10 năm 2023": "2023-10-12"}
    # a score, a share, an ordinal and a span are no dates
    assert find_dates("Đội khách thắng 3/1, vùng 1/6 và năm thứ 3 của cuộc xung đột trong 3 tháng qua.", published) == []


# Sentences of the check set's dev half (tests/data/facts/check): each names a class of timeline
# error an unseen story showed, and what a reader should see instead.
NOT_EVENTS = [
    "Ngoài Myanmar, bên thứ ba khác trong trường hợp này có thể là Iran.",  # ordinals, not weekdays
    "Thứ hai, Triều Tiên đã nắm trong tay công thức chế tạo ICBM.",  # an enumeration
    "Thủ tướng Nguyễn Xuân Phúc dự phiên họp thứ 3 về chủ đề Quan hệ đối tác với châu Phi.",
    "Hà Lan là đối tác thương mại châu Âu lớn thứ hai của Việt Nam trong Chiến tranh thế giới thứ hai.",
    "Triều Tiên được cho là có được bản thiết kế của Nga từ những năm 1990.",  # a decade
    "Nên có những trường hợp dị vật bị bỏ quên từ 3 - 6 tháng.",  # a range of numbers
    "Vứt rác trên vỉa hè bị phạt từ 3-5 triệu đồng.",
    "Thời gian vận hành khai thác hoàn vốn khoảng 16 năm 6 tháng 8 ngày.",  # a duration
    "Công an đã tạm giữ Phó Văn Nguyên (sinh năm 1994, trú tại thôn Lán Dè).",  # a birth year
    "Doanh số của Lexus đạt 1.665 xe, tăng 73% so với năm 2015.",  # the base of a comparison
    "Doanh số Lexus đạt 90 xe, tăng 13% so với cùng kỳ năm ngoái.",
    "Giá cà phê robusta kỳ hạn giao tháng 9/2022 giảm 25 USD.",  # a futures contract
    "Bị cáo bị truy tố theo Điều 123 của Bộ luật hình sự năm 2015, sửa đổi, bổ sung năm 2017.",  # a document's name
    "Bộ Tư pháp triển khai Chỉ thị số 04-CT/TW ngày 2/6/2021 của Ban Bí thư.",
    "Thủ tướng yêu cầu báo cáo việc cấp biển số cho các DN, thời điểm từ ngày 1-6-2014 đến nay.",  # a span
    "Thủ tướng thăm chính thức Hà Lan từ ngày 08 đến ngày 11 tháng 7 năm 2017.",
    "Bộ Công an tổng hợp báo cáo lên Thủ tướng Chính phủ trước ngày 30-6-2017.",  # a deadline
    "Xú - Thể thao Việt Nam | 22:05 20/06/2017",  # a page's time stamp
    "Một năm sau, họ giành cúp thứ hai; nửa tháng trước, tờ El Mundo Deportivo đưa tin.",  # spans of time
]


@pytest.mark.parametrize("sentence", NOT_EVENTS)
def test_what_is_not_an_event_stays_off_the_timeline(sentence):
    from datetime import datetime

    shown = [d.text for d in find_dates(sentence, datetime(2017, 7, 12, 9))]
    assert shown == [], shown


def test_weekdays_dates_and_events_the_rules_keep():
    from datetime import datetime

    published = datetime(2017, 7, 12, 9)  # a Wednesday

    def shown(sentence):
        return {d.text: d.date for d in find_dates(sentence, published)}

    assert shown("Chiến thắng trên sân Celta Vigo trong trận đá bù đêm thứ Tư đã giúp Real.") == {"thứ Tư": "2017-07-12"}
    assert shown("Thứ Hai, ông Putin cảnh báo châu Âu.") == {"Thứ Hai": "2017-07-10"}
    assert shown("Sáng thứ 2 tuần trước, đoàn đến Hà Nội.") == {"thứ 2 tuần trước": "2017-07-03"}
    # "giờ Washington" is no unit of a range; "ngoại giao năm 2018" is no futures contract
    assert shown("Tối 31.5 giờ Washington (tức sáng nay 1.6 giờ Hà Nội), Thủ tướng hội đàm.")["Tối 31.5"] == "2017-05-31"
    assert shown("Hai nước sẽ kỷ niệm 45 năm thiết lập quan hệ ngoại giao năm 2018.") == {"năm 2018": "2018"}
    assert shown("Bà Trang bàn giao mặt bằng tháng 3/2024.") == {"tháng 3/2024": "2024-03"}
    assert shown("Con gái Hồng Quế sinh ngày 12/10/2016.") == {"ngày 12/10/2016": "2016-10-12"}  # a birth that is the news
    assert shown("Quốc hội thông qua Luật Báo chí vào năm 2016.") == {"năm 2016": "2016"}
    assert shown("Mức giá này được áp dụng kể từ ngày 6-2-2017.") == {"từ ngày 6-2-2017": "2017-02-06"}
    # "tháng 12 năm ngoái" is one expression, anchored to the year before publication
    assert shown("Lệnh ngừng bắn được thực thi từ hồi tháng 12 năm ngoái.") == {"tháng 12 năm ngoái": "2016-12"}


@needs_shared(CORPORA["baomoi-2017"])
def test_the_check_sets_dev_half_timeline_quotes_and_entities_are_above_the_bar():
    # the dev half of the stories the rules were not written on (the report half is read by
    # `python -m diemtin.evaluate.facts` for docs/BENCHMARKS.md only)
    stories = [(story, articles) for story, articles in check_stories() if story["half"] != "report"]
    facts = shown_facts(stories)
    dev = check_timeline(stories, facts)["dev"]
    assert not dev.unlabelled, dev.unlabelled[:3]  # a new item is labelled before a figure is believed
    labelled = dev.shown
    assert dev.dates / labelled >= 0.97 and dev.events / labelled >= 0.9
    assert dev.events / dev.labelled_events >= 0.95  # what happened stays on the timeline
    for sample in (1, 2):  # 2: a fresh sample of what the rules showed after they were tuned on 1
        quotes = check_quotes(stories, facts, sample=sample)["dev"]
        assert not quotes.unlabelled, quotes.unlabelled[:3]
        assert quotes.right / quotes.shown >= 0.9 and quotes.right / quotes.labelled_right >= 0.95, sample
    entities = check_entities(stories, facts)["dev"]
    assert not entities.unlabelled, entities.unlabelled[:3]
    assert entities.right / entities.shown >= 0.9 and entities.kept / entities.first_right >= 0.85
    second = check_entities(stories, facts)["dev2"]  # the second draw, labelled before its rules were written
    assert not second.unlabelled, second.unlabelled[:3]
    assert second.right / second.shown >= 0.88 and second.kept / second.first_right >= 0.95
    third = check_entities(stories, facts)["dev3"]  # the third (0.79 before its rules and measures)
    assert not third.unlabelled, third.unlabelled[:3]
    assert third.right / third.shown >= 0.85 and third.kept / third.first_right >= 0.95
    quotes = check_quotes(stories, facts, sample=3)["dev2"]  # and a sample of its quotes (0.67 before their rules)
    assert not quotes.unlabelled, quotes.unlabelled[:3]
    assert quotes.right / quotes.shown >= 0.78 and quotes.right / quotes.labelled_right >= 0.95
    quotes = check_quotes(stories, facts, sample=4)["dev3"]  # the third draw's quotes (0.73 before their rules)
    assert not quotes.unlabelled, quotes.unlabelled[:3]
    assert quotes.right / quotes.shown >= 0.85 and quotes.right / quotes.labelled_right >= 0.95
    fifth = check_quotes(stories, facts, sample=5).values()  # quotes of all three draws (0.87 before their rules)
    assert not any(q.unlabelled for q in fifth)
    right, shown, labelled_right = (sum(getattr(q, k) for q in fifth) for k in ("right", "shown", "labelled_right"))
    assert right / shown >= 0.9 and right / labelled_right >= 0.95
    fourth = check_entities(stories, facts)["dev4"]  # the fourth draw (0.92 at first sight)
    assert not fourth.unlabelled, fourth.unlabelled[:3]
    assert fourth.right / fourth.shown >= 0.92 and fourth.kept / fourth.first_right >= 0.95
    quotes = check_quotes(stories, facts, sample=6)["dev4"]  # and its quotes (0.83 at first sight)
    assert not quotes.unlabelled, quotes.unlabelled[:3]
    assert quotes.right / quotes.shown >= 0.9 and quotes.right / quotes.labelled_right >= 0.95


# Sentences of the check set's dev half where the first rules showed a wrong quote, by class, and
# what a reader should see: no quote, or (speaker, the start of what was said).
QUOTE_CASES = [
    # "đánh giá cao" is to appreciate, "nói chuyện" to talk with, "hứa hẹn" promising: no speech
    ("Thủ tướng Nguyễn Xuân Phúc đánh giá cao vai trò của EABA trong việc kết nối các doanh nghiệp hai khu vực.", None),
    ("Thủ tướng Chính phủ Nguyễn Xuân Phúc và đoàn đại biểu cấp cao Việt Nam đã tới thăm hỏi và nói chuyện với "
     "cán bộ, nhân viên Đại sứ quán.", None),
    ("Dưới sự dẫn dắt của Ten Hag, De Gea hứa hẹn sẽ còn hoàn thiện hơn nữa các kỹ năng của mình.", None),
    # an activity, a noun or an admission of a charge, not what was said
    ("Thủ tướng Nguyễn Xuân Phúc đã phát biểu và trực tiếp đối thoại với các doanh nghiệp Hà Lan.", None),
    ("Tại cơ quan điều tra, Nguyên khai nhận toàn bộ hành vi phạm tội.", None),
    ("Sáng 18.5, bà Nguyễn Thị Hạnh, Phó Chủ tịch huyện Kỳ Sơn xác nhận sự việc nghiêm trọng trên.", None),
    # negated speech and denials: nothing was said, or what was said is the opposite
    ("Tuy nhiên, Moscow không thể bác bỏ các thiết kế của Liên Xô đã trở thành khuôn mẫu cho tên lửa Triều Tiên.", None),
    ("Nhà Trắng phủ nhận rất nhiều thông tin, bao gồm họ tuyên bố Trump không sở hữu áo choàng tắm.", None),
    # a quoted term is not the quote; the claim around it is
    ("Trong thông điệp đưa ra sau vụ thử, Bình Nhưỡng khẳng định quả đạn được điều khiển để bay ở \"góc cao nhất\", "
     "nhằm tránh gây nguy hiểm cho các nước láng giềng.", ("Bình Nhưỡng", "quả đạn được điều khiển")),
    # "Theo AFP, ..." when the clause names its own speaker; the outlet's reporter is no source
    ("Theo AFP, ngày 31/5, Triều Tiên cảnh báo đã sẵn sàng phóng những tên lửa đạn đạo xuyên lục địa vào bất kỳ thời điểm nào.",
     ("Triều Tiên", "đã sẵn sàng phóng")),
    ("Theo phóng viên TTXVN tại Đức, Chính phủ liên bang Đức đã công bố gói biện pháp đảm bảo an ninh năng lượng mới.", None),
    # the speaker: not the one asked about, not the department, not a numeral, not a credit
    ("Khi được hỏi lý do chia tay có phải vì Trương Nam Thành không chăm sóc cô thì Hoàng Yến cho biết cô không cần "
     "bạn trai quan tâm quá nhiều.", ("Hoàng Yến", "cô không cần")),
    ("Bác sĩ Nguyễn Phan Nguyên, khoa Tai Mũi Họng – BV Nhi đồng 1 cho biết, khi tiếp nhận bệnh nhi thì con vật đã "
     "chui vào đường thở của bé 8 tiếng.", ("Nguyễn Phan Nguyên", "khi tiếp nhận")),
    ("Ảnh: VGP/Quang Hiếu Hai Thủ tướng tái khẳng định quyết tâm đưa quan hệ hai nước phát triển đi vào chiều sâu.", None),
    ("Hy Lạp ngày 21/7 tuyên bố sẽ tiến hành cắt điện luân phiên nếu cần thiết.", ("Hy Lạp", "sẽ tiến hành")),
    # "nói với X rằng ...": what was said starts after "rằng"
    ("Ông Eliot Cohen từng nói với New York Times rằng ông bị cuốn hút bởi hệ thống điện thoại bên trong Nhà Trắng.",
     ("Eliot Cohen", "ông bị cuốn hút")),
    # a speaker the sentence shows is a piece of a longer phrase is not shown (below the bar): a
    # name cut after an initial or before its surname, the place of a title, the end of a list
    ("Theo cựu Phó Giám đốc Cơ quan Tình báo Trung ương Mỹ (CIA) David S. Cohen, di sản khoa học của thời Xô Viết cũ "
     "lý giải vì sao công nghệ của Triều Tiên thường đi sau công nghệ của Mỹ.", None),
    ("Tim Partridge, người đứng đầu bộ phận kinh doanh năng lượng tại Công ty DB Group Europe, cho biết trong một báo "
     "cáo hôm 20-7: “Dòng khí đốt của Nga vẫn tiếp tục chảy qua châu Âu nhưng ở mức giới hạn”.", None),
    ("Đoàn đã đến Rotterdam. Tại Rotterdam, đoàn thăm cảng. Thị trưởng Rotterdam cho biết ông đã thăm Việt Nam một "
     "vài lần và rất ấn tượng về một Việt Nam năng động.", None),
    ("Mỹ, Pháp và Anh kêu gọi đưa ra một nghị quyết trừng phạt mới với Bình Nhưỡng.", None),
    # a second sample of the dev half's quotes, drawn from what the rules show now, found 27 of 100
    # wrong (the first sample's sentences had been fixed): these classes are left out now
    ("Daily Mail dẫn nguồn tin cảnh sát địa phương cho biết, có 7 người thiệt mạng trong đó có 2 trường hợp tử vong "
     "tại hiện trường.", None),  # "Mail": a name cut
    ("Beijing Youth Daily cho hay tất cả người bị thương đã được đưa đi cứu chữa.", None),
    ("Cao ủy phụ trách ngân sách EU, Johannes Hahn thậm chí còn nói rằng ông không mong đợi đường ống Nord Stream 1 "
     "sẽ vận hành trở lại.", None),  # "Johannes Hahn thậm chí"
    ("Hãng tin Yonhap dẫn lời một chuyên gia về tên lửa Mỹ cho hay động cơ dùng cho tên lửa đạn đạo tầm trung mới "
     "được phát triển của Triều Tiên có nguồn gốc từ Ukraine hay Nga.", None),  # the relaying outlet
    ("Nhận xét về khả năng áp dụng giải pháp quân sự đối với Triều Tiên, Meredith Sumpter – Giám đốc mảng châu Á thuộc "
     "Công ty Tư vấn Eurasia Group - ngày 4/7 nhấn mạnh khả năng Mỹ tấn công quân sự Triều Tiên vẫn rất thấp.", None),
    ("Thứ trưởng Thường trực Bộ Ngoại giao Bùi Thanh Sơn trả lời phỏng vấn báo chí Việt Nam về kết quả chuyến thăm "
     "và tham dự Hội nghị Thượng đỉnh G20 tại Đức.", None),  # an interview given, not what was said
    ("Hãng tin RT cho biết Bộ Ngoại giao Nga gọi quyết định của Estonia là “hành động vô lý và không thân thiện”, "
     "đồng thời dọa sẽ đáp trả.", None),  # a term the ministry used, shown as RT's quote
    ("Bình còn đe dọa các cháu \"không được kể, không được nói với ai\".", None),  # speaker "không được"
    ("“Nhưng nếu Triều Tiên sở hữu tên lửa hạt nhân với cả tá đầu đạn ngụy trang thì tôi cho rằng, đó là vũ khí răn "
     "đe hiệu quả trong nhiều năm tới”, ông Schilling kết luận.", None),  # speaker "tôi"
    # ... but a place before a name, a body after a clause, a partial quotation are none of these
    ("Trước đó 1 ngày, Tổng thống Nga Vladimir Putin cảnh báo rằng nguồn cung có thể giảm thêm, hoặc thậm chí là dừng "
     "chảy hoàn toàn.", ("Vladimir Putin", "nguồn cung có thể")),
    ("Trong báo cáo giải trình gửi các đại biểu Quốc hội, Bộ GTVT cho biết dự án Cao Bồ - Mai Sơn nối Nam Định với "
     "Ninh Bình là dự án đầu tiên hoàn thành.", ("Bộ GTVT", "dự án Cao Bồ")),
    ("Nhưng Bình luôn né tránh không nhận tội và chỉ nói là “vui đùa với các cháu”.", ("Bình", "vui đùa")),
    # a body's name the tagger cut at its lowercase words (dev3: "Ban Quản lý" was shown)
    ("Cũng theo Ban Quản lý dự án đường sắt, các bu lông liên kết phụ kiện không vuông góc đã được chỉnh sửa.",
     ("Ban Quản lý dự án đường sắt", "các bu lông")),
    ("Động thái trên sẽ “làm xấu thêm mối quan hệ song phương” giữa Nga và Estonia, thông báo từ Bộ Ngoại giao Nga "
     "cho biết.", ("Bộ Ngoại giao Nga", "làm xấu thêm")),
    # ... but an apposition before a name and an acronym before a name are no such piece
    ("Chuyên gia về châu Á-Thái Bình Dương tại Stratfor, Rodger Baker nhận định, bằng cách để ông Kim biết quân đội Mỹ "
     "có quan sát, Washington đã gửi đi hai thông điệp.", ("Rodger Baker", "bằng cách để ông Kim")),
    # the second draw's quote sample (half "dev2", sample 3): a sentence's opening words glued to
    # the speaker, a passive accusation, a reported opener inside the quote, the outlet reporting
    # it at its end, and a term quoted inside what a speaker said
    ("Thậm chí tờ Mirror còn dự đoán thầy trò HLV Conte vô địch từ tháng 3 tới.", None),
    ("T.O.P (Big Bang) bị cáo buộc sử dụng cần sa.", None),
    ("Trang tin The Guardian dẫn lời ông Stoltenberg tuyên bố rằng, NATO hiện có hai nhiệm vụ.",
     ("Stoltenberg", "NATO hiện có hai nhiệm vụ")),
    ("Tổng thống Putin nói với báo giới rằng Ukraine và người dân nước này đã trở thành “phương tiện” để NATO “bảo vệ "
     "lợi ích riêng của mình”.", None),
    # the third draw's quote sample (half "dev3", sample 4): what others did at the speaker's
    # direction, who was asked, a name inside the quotation, the place of the body that spoke, an
    # activity, a bracket glued into the speaker
    ("Theo chỉ đạo của Phó Thủ tướng Vũ Đức Đam, Bộ đã rà soát các văn bản quy phạm pháp luật hiện hành, các thủ tục "
     "liên quan đến cấp phép bài hát vừa qua.", None),
    ("Thủ tướng yêu cầu các thành viên Chính phủ cần tập trung đánh giá các khó khăn vướng mắc; đề xuất biện pháp tháo "
     "gỡ cụ thể.", None),
    ("“Hy vọng với sự quyết tâm của tổng thầu, cũng như các đơn vị liên quan, tuyến đường sắt Cát Linh Hà Đông sẽ hoàn "
     "thiện và đưa vào khai thác thử trong năm 2018,” Thứ trưởng Trường nhấn mạnh.", None),
    ("Ngày 20-7, Cơ quan CSĐT Công an huyện Mê Linh, Hà Nội cho biết đã ra quyết định khởi tố vụ án, khởi tố bị can "
     "đối với Nguyễn Tiến Sơn.", None),
    ("Trong quá trình thảo luận, đã có 31 đại biểu Quốc hội phát biểu ý kiến và 16 đại biểu tranh luận.", None),
    ("Truyền thông địa phương Syria dẫn một số nguồn tin gần gũi với tổ chức “Nhà nước Hồi giáo” (IS) tự xưng khẳng "
     "định thủ lĩnh của tổ chức khủng bố này Abu Bakr al-Baghdadi đã chết.", None),
    # the body a speaker belongs to, in brackets after it, is not the speaker (dev2 and dev3) ...
    ("Khu quản lý giao thông đô thị số 3 (Sở GTVT TP.HCM) cho biết nhánh cầu đường Hoàng Minh Giám - Nguyễn Thái Sơn "
     "cũng được thông xe vào ngày 3/7 tới, sớm hơn 2 tháng so với kế hoạch.", None),
    ("Ngày 1-6, Ban Quản lý dự án đường sắt (BQL DAĐS Bộ GTVT) thừa nhận hình ảnh bản đồ vị trí các ga tàu được trưng "
     "bày ở nhà ga La Khê thuộc DAĐS Cát Linh - Hà Đông được lấy trên mạng.", None),
    # writing articles is an occupation, not a statement (dev3)
    ("John Schilling, chuyên gia tên lửa chuyên viết bài cho trang 38 North, ước tính ít nhất đến năm 2020 Triều Tiên "
     "mới có thể phát triển tên lửa đạn đạo xuyên lục địa có khả năng bay tới lãnh thổ Mỹ.", None),
    # a document that names no one who wrote it is no speaker (dev3)
    ("\"Bộ Văn hóa nhận trách nhiệm về những sơ suất tại nội dung văn bản nêu trên\", thông tin gửi báo chí nêu rõ.", None),
    # a kin word at a sentence's start is how the story addresses the speaker, not a part of the
    # name (dev3: "Anh Sơn" for Đào Mạnh Sơn) ...
    ("Sinh viên Đào Mạnh Sơn đã vẽ tấm bản đồ này. Anh Sơn cho biết tấm bản đồ có một số sai sót vẫn chưa được "
     "chỉnh sửa lại.", ("Đào Mạnh Sơn", "tấm bản đồ có một số sai sót")),
    # ... but a surname after it makes a name that keeps it
    ("Bác Hồ từng nói: “Không có gì quý hơn độc lập, tự do”.", ("Bác Hồ", "Không có gì quý hơn")),
    # a title after a person's name and a comma is that person's apposition: the person spoke, not
    # a body, place or programme named in the title (dev: "Đông Á" was shown as the speaker, a
    # person; "IISS" was hidden with the statement) ...
    ("“Nó là một quả ICBM đúng nghĩa, chứ không phải một tên lửa kiểu như ICBM”, ông Jeffrey Lewis, giám đốc chương "
     "trình Đông Á tại Trung tâm nghiên cứu chống phổ biến vũ khí James Martin (JMCNS) cho biết.",
     ("Jeffrey Lewis", "Nó là một quả ICBM")),
    ("“Điều đó khiến tôi bàng hoàng”, Michael Elleman, chuyên gia về tên lửa tại Viện nghiên cứu chiến lược quốc tế "
     "(IISS) nhận định.", ("Michael Elleman", "Điều đó khiến tôi")),
    # ... but a clause that does more than name the person is no apposition: the official spoke,
    # unnamed, not the person met
    ("Sau khi gặp ông Nguyễn Văn Bình, Giám đốc Sở Y tế tỉnh Bình Dương cho biết sẽ kiểm tra lại toàn bộ hồ sơ.", None),
    # a speech verb whose object is a noun phrase, or that says what a meeting was for, reports no
    # statement (sample 5 and dev sample 2: a feeling, a review, memories recalled, a basis)
    ("Trước trận đấu giữa West Brom và Chelsea, HLV Toni Pulis bên phía đội chủ nhà đã bày tỏ sự thích thú với phong "
     "cách ăn mừng cuồng nhiệt của đồng nghiệp Antonio Conte.", None),
    ("Sáng 3/6, dưới sự điều hành của Thủ tướng Chính phủ Nguyễn Xuân Phúc, Chính phủ đã họp phiên thường kỳ tháng 5 "
     "để đánh giá tình hình kinh tế-xã hội đất nước.", None),
    ("Sau lễ đón, Thủ tướng Chính phủ Nguyễn Xuân Phúc và Thủ tướng Mark Rutte đã tiến hành hội đàm, đánh giá tổng thể "
     "quan hệ song phương thời gian gần đây.", None),
    ("Thủ tướng Mark Rutte cảm ơn những đánh giá tích cực về quan hệ hai nước; nhắc lại những kỷ niệm tốt đẹp và ấn "
     "tượng trước sự phát triển năng động của thế hệ trẻ Việt Nam.", None),
    ("Chiều 31/5, UBND tỉnh Hà Tĩnh đã phát đi thông cáo báo chí xác định nguyên nhân bước đầu trên cơ sở đánh giá "
     "của các chuyên gia kỹ thuật kết hợp với các chuyên gia môi trường của Đoàn giám sát.", None),
    # ... but an assessment that is a clause is one
    ("Hãng tin Reuters đánh giá Qatar hiện đã chứng minh mình đủ khả năng ngăn các thiệt hại kinh tế.",
     ("Hãng tin Reuters", "Qatar hiện đã chứng minh")),
    # "Theo ông X, <his title>, <claim>": the title is who he is, not what he said (sample 5)
    ("Theo ông Trần Văn Tớp, Phó hiệu trưởng Trường ĐH Bách khoa Hà Nội, năm nay trường này vẫn sẽ chủ trì một nhóm "
     "trường để cùng nhau tuyển sinh.", ("Trần Văn Tớp", "năm nay trường này")),
    # a clause with no subject of its own is said by the person who opens the sentence's main
    # clause, not by one it names (dev: the Dutch Prime Minister's words shown as Phúc's)
    ("Vui mừng được gặp lại Thủ tướng Nguyễn Xuân Phúc và đón Đoàn đại biểu cấp cao Chính phủ Việt Nam thăm Hà Lan, "
     "Thủ tướng Mark Rutte cảm ơn những đánh giá tích cực về quan hệ hai nước; khẳng định cá nhân ông luôn cảm thấy "
     "gắn bó với Việt Nam.", ("Mark Rutte", "cá nhân ông luôn")),
    ("Theo ông Lê Tấn Thanh, Phó Chủ tịch UBND phường Thọ Quang (quận Sơn Trà, Đà Nẵng), phường đã lập danh sách và thu "
     "thập được 68 công trình xây dựng trái phép trên đất rừng.", ("Lê Tấn Thanh", "phường đã lập danh sách")),
    ("Chủ tịch kiêm Giám đốc Điều hành Tập đoàn Vamed trân trọng cảm ơn Thủ tướng Nguyễn Xuân Phúc đã dành thời gian "
     "tiếp; khẳng định Vamed sẽ tiếp tục hợp tác tích cực với các Bộ, ngành liên quan của Việt Nam.", None),
    # an event's name in quotation marks before the speaker's clause is no statement
    ("Tại \"Ngày hội tư vấn tuyển sinh phía Nam\" diễn ra sáng 9/7, ông Đỗ Văn Dũng, Hiệu trưởng Trường ĐH Sư phạm Kỹ "
     "thuật TP.HCM cho biết, điểm chuẩn một số ngành của trường sẽ tăng nhẹ.", ("Đỗ Văn Dũng", "điểm chuẩn một số ngành")),
    # two people who commit together are not one speaker (sample 5: shown as Tập Cận Bình's)
    ("Ông Putin và ông Tập Cận Bình đã vui vẻ trao đổi với nhau, đồng thời cam kết tiếp tục xây dựng các mối quan hệ "
     "bền chặt hơn giữa hai nước.", None),
    # "Theo ông X, ... nên dự đoán ...": the whole claim is X's, not a fragment after a verb inside it
    ("Ông Lê Nguyễn Đức Chính là trưởng phòng đào tạo. Theo ông Chính, năm nay, điểm thi của thí sinh cao nên dự đoán "
     "điểm chuẩn sẽ tăng.", ("Lê Nguyễn Đức Chính", "năm nay, điểm thi")),
    # sample 6 (dev4): what was said "như trên" (above) is no statement here; a report's addressee
    # is not its author; an acronym glued before a name is no part of it; a title of several
    # commas after "Theo X," is still who X is
    ("Ông Nguyễn Thành Phong đã nhận định như trên trong cuộc họp với Bộ Giao thông vận tải (Bộ GTVT) vào chiều ngày "
     "10/7.", None),
    ("Bộ trưởng Bộ LĐ-TB&XH Đào Ngọc Dung đã bày tỏ như vậy khi trực tiếp ra thực địa hiện trường tìm kiếm khu mộ tập "
     "thể liệt sĩ chiều 12-7.", None),
    ("Cục Di sản sau đó đã có báo cáo gửi Bộ trưởng Bộ VH,TT&DL nêu rõ: “Chiếc ấn ở đền Trần Thái Bình là một sản phẩm "
     "mỹ nghệ, nhiều khả năng xuất xứ từ Trung Quốc”.", None),
    ("Trả lời báo chí sau cuộc họp, Bộ trưởng, Chủ nhiệm VPCP Mai Tiến Dũng cho biết: Thủ tướng, các Phó Thủ tướng họp "
     "với các Bộ trưởng.", ("Mai Tiến Dũng", "Thủ tướng, các Phó")),
    ("Theo ông Nguyễn Danh Huy, Vụ trưởng, Trưởng ban Quản lý các dự án đối tác công tư Bộ GTVT, đầu tháng 8-2017, hồ "
     "sơ mời thầu dự án cao tốc Mỹ Thuận - Cần Thơ sẽ phát hành.", ("Nguyễn Danh Huy", "đầu tháng 8-2017")),
    # ... and the speaker's own short name in brackets is the speaker
    ("Quỹ Tiền tệ quốc tế (IMF) cảnh báo, việc đóng cửa hoàn toàn nguồn cung khí đốt của Nga sẽ khiến Đức, nền kinh tế "
     "lớn nhất châu Âu, đứng trước nguy cơ mất gần 5% sản lượng kinh tế.", ("IMF", "việc đóng cửa")),
]


@pytest.mark.parametrize(("sentence", "expected"), QUOTE_CASES)
def test_quotes_a_reader_can_trust(sentence, expected):
    quotes = extract_facts([Article("a", "", sentence)])["quotes"]
    if expected is None:
        assert quotes == [], quotes
    else:
        speaker, said = expected
        assert [(q["speaker"], q["quote"][:len(said)]) for q in quotes] == [(speaker, said)]


def test_a_pronoun_speaker_is_the_person_the_story_names_whatever_one_sentence_tagged_them():
    # dev: the NER tagged Putin a place in "Tổng thống Nga, Vladimir Putin cảnh báo ...", so "Ông nói
    # ..." went to the person quoted before him (Klaus Mueller); the story types Putin a person
    text = ("Tuy nhiên, “bất ổn về chính trị vẫn còn đó”, Klaus Mueller, người đứng đầu Cơ quan quản lý mạng lưới Đức "
            "(BNetzA), cho biết trên Twitter.\nHôm 20-7, Tổng thống Nga, Vladimir Putin cảnh báo rằng lưu lượng khí "
            "đốt cung cấp cho đường ống Nord Stream 1 có thể giảm xuống mức 20% ngay trong tuần tới. Ông nói chỉ có "
            "hai tuốc-bin tại một trạm nén ở Nga đang hoạt động.")
    quotes = extract_facts([Article("a", "", text)])["quotes"]
    assert [(q["speaker"], q["quote"][:15]) for q in quotes][-1] == ("Vladimir Putin", "chỉ có hai tuốc")


def test_a_body_that_speaks_is_shown_by_the_full_name_the_story_lists():
    # sample 6 (dev4): "Trung tâm Dự báo khí tượng thủy văn Trung ương cho biết" was shown as said
    # by "Trung tâm Dự báo", the name cut at its lowercase words
    text = ("Theo Trung tâm Dự báo Khí tượng Thủy văn Trung ương, bão số 1 đang mạnh lên. Trung tâm Dự báo khí tượng thủy "
            "văn Trung ương cho biết, vào hồi 16 giờ ngày 11/6, vị trí tâm bão số 1 ở vào khoảng 17,5 độ vĩ Bắc.")
    quotes = extract_facts([Article("a", "", text)])["quotes"]
    assert [q["speaker"] for q in quotes][-1] == "Trung tâm Dự báo Khí tượng Thủy văn Trung ương", quotes


def test_a_statement_ends_at_an_ellipsis_before_another_speakers_sentence():
    # dev2: the sentence splitter left "… UBND tỉnh Đồng Nai cho biết, ..." joined to the deputy
    # minister's statement, and it was shown as his
    sentence = ("Thứ trưởng Bộ Giao thông Vận tải Lê Đình Thọ cho rằng, khung chính sách đền bù và phương án đền bù sẽ "
                "có những đề án riêng cho từng đối tượng trong việc hỗ trợ đời sống, việc làm, chuyển đổi nghề nghiệp… "
                "UBND tỉnh Đồng Nai cho biết, hiện nay tỉnh đã chủ động xây dựng 3 khu công nghiệp.")
    quotes = extract_facts([Article("a", "", sentence)])["quotes"]
    assert quotes and quotes[0]["speaker"] == "Lê Đình Thọ" and quotes[0]["quote"].endswith("chuyển đổi nghề nghiệp…")


def _entities(*sentences):
    return [(e["name"], e["type"]) for e in extract_facts([Article("a", "", " ".join(sentences))])["entities"]]


# From the check set's dev half: each story showed the wrong entry on its page.
def test_one_type_per_name_and_a_place_ending_with_a_persons_name_is_that_person():
    # three articles, as the story had; the NER alone types these names, so the story's entities
    # are read before the confidence bar (which hides the NER's names in 3 articles: half were wrong)
    sentences = ["Ksor Khú bị đánh tử vong.", "Chuôn đã đánh Ksor Khú bằng khúc gỗ.",
                 "Công an tỉnh Gia Lai bắt Ksor Chuôn.", "Chuôn khai nhận hành vi."]
    names = {e.name: e.type for e in named_entities(*read_story([Article(i, "", " ".join(sentences)) for i in "abc"]))}
    assert names.get("Ksor Chuôn") == "PER" and "Chuôn" not in names and names.get("Ksor Khú") == "PER"


def test_a_body_of_the_role_glued_before_a_name_is_not_part_of_it():
    names = dict(_entities("Tại Washington, Lầu Năm Góc cho biết.", "Chuyên gia Lầu Năm Góc Michael Elleman nói rằng "
                           "động cơ này rất khác.", "Ông Michael Elleman là cựu cố vấn."))
    assert "Michael Elleman" in names and not any(n.startswith("Lầu Năm Góc ") for n in names)


def test_common_words_initials_and_shouted_subheadings_are_no_entities():
    listed = _entities("Ngày 28/6, công an bắt Bình.", "Chợ đông người, ngày nào chợ cũng đông.",
                       "Cháu L.T.T. và cháu T. đã được đưa về nhà.", "CĐV đã rời sân sau khi DN tài trợ rút lui.",
                       "BẢNG GIÁ BÁN LẺ áp dụng cho Toyota Việt Nam.")
    assert not {"Ngày", "Chợ", "L.T.T.", "T.", "CĐV", "DN", "BẢNG GIÁ BÁN LẺ", "BẢNG", "BÁN LẺ"} & {n for n, _ in listed}


def test_one_entry_for_a_name_and_its_typo_and_for_a_body_named_by_its_start():
    listed = _entities("Đoàn đến Hà Nội hôm qua.", "Tại Hà Nội, mưa lớn.", "Ở Hà Nôi, đường ngập.",
                       "Bộ Giao thông Vận tải yêu cầu các nhà thầu đẩy nhanh tiến độ.", "Bộ Giao thông cho biết thêm.")
    names = [n for n, _ in listed]
    assert names.count("Hà Nội") == 1 and "Hà Nôi" not in names and "Bộ Giao thông" not in names
    # names inside names inside names: the ingest of the 35k corpus stopped on a KeyError here
    names = [n for n, _ in _entities("Sở GD ĐT Hà Nội cho biết kết quả.", "Sở GD ĐT đã họp với các trường.",
                                     "Sở GD công bố lịch thi.")]
    assert names.count("Sở GD ĐT Hà Nội") == 1 and "Sở GD ĐT" not in names and "Sở GD" not in names


def test_a_photo_credit_is_no_one_in_the_story():
    assert "Thống Nhất" not in {n for n, _ in _entities("(Ảnh: Thống Nhất/TTXVN) Thủ tướng Nguyễn Xuân Phúc hội đàm.")}


def test_names_news_settles_across_a_corpus_and_things_that_are_no_one():
    # underthesea's NER alone typed Kim Jong-un a place and Al-Qaeda a person; the gazetteer built
    # from the 35k corpus (tools/build_gazetteer.py) knows them, and that a car model is no one
    listed = dict(_entities("Nhà lãnh đạo Kim Jong-un tuyên bố Triều Tiên đang ở giai đoạn cuối.",
                            "Lực lượng liên quan đến tổ chức khủng bố Al-Qaeda đang tấn công các phe nhóm khác.",
                            "Xe Toyota Camry giảm 30 triệu đồng, Fortuner giữ nguyên giá."))
    assert listed.get("Kim Jong-un") == "PER" and listed.get("Al-Qaeda") == "ORG" and "Camry" not in listed


def test_a_club_after_a_footballers_title_is_still_the_club():
    # "HLV Real" reads like a person's title; the corpus's cues ("đội bóng Real", "khoác áo Real")
    # say club, and a sports title does not outvote them (a minister's or a reporter's would)
    text = "HLV Real cho biết đội sẽ thắng. Real đánh bại Sevilla 4-1 trên sân Bernabeu. Real Madrid dẫn đầu La Liga."
    listed = {e["name"]: e["type"] for e in extract_facts([Article(i, "", text) for i in "abc"])["entities"]}
    assert listed.get("Real") == "ORG" and listed.get("La Liga") == "ORG"


def test_only_entities_above_the_confidence_bar_are_listed_with_their_evidence():
    # "Andrei Manoilo" is typed by underthesea's NER alone, in one article: a place, wrongly.
    # Below the bar it is not listed; a name a title types is, with its confidence and sentences
    facts = extract_facts([Article("a", "", "Theo nhà phân tích Andrei Manoilo, Nga sẽ không nhượng bộ. "
                                            "Ông Nguyễn Văn Hùng cho biết đoàn đã đến Hà Nội.")])
    names = {e["name"]: e for e in facts["entities"]}
    assert "Andrei Manoilo" not in names or names["Andrei Manoilo"]["type"] == "PER"
    hung = names["Nguyễn Văn Hùng"]
    assert hung["confidence"] >= CONFIDENCE_BAR and hung["evidence"] == [{"article_id": "a", "sentence_index": 1}]
    for kind in ("entities", "quotes", "timeline"):
        assert all(item["confidence"] >= CONFIDENCE_BAR for item in facts[kind]), kind


def test_bylines_aliases_districts_relations_and_split_names():
    listed = _entities(
        "Vụ nổ khí đốt tại Nord Stream khiến giá tăng.", "Đường ống Nord Stream ngừng hoạt động.",
        "Liên minh châu Âu (EU) họp khẩn.", "EU kêu gọi tiết kiệm khí đốt.",
        "Công an Quận 1 đã bắt giữ nghi phạm.", "Hội nghị Việt Nam-Hà Lan diễn ra tại TP.Cần Thơ.",
        "Người dân Cần Thơ chào đón đoàn.", "Hòa Bình")
    names = [n for n, _ in listed]
    assert names.count("EU") + names.count("Liên minh châu Âu") == 1  # one body, two names
    assert "Công an Quận 1" in names and "Công an Quận" not in names
    assert not any("Hà Lan" in n and "Nam" in n for n in names)  # "Việt Nam-Hà Lan" is a relation
    assert names.count("Cần Thơ") + names.count("TP.Cần Thơ") == 1
    assert ("Hòa Bình", "PER") in listed  # the byline that ends the article is its author
    assert "Nord" not in names and "Stream" not in names


def test_a_person_is_listed_by_the_full_name_most_mentions_write():
    # one outlet wrote "Mác Mark Rutte" twice; the story writes "Mark Rutte" everywhere else (a name written
    # less than a quarter as often as the commonest full name is not the one listed)
    listed = [n for n, kind in _entities("Theo lời mời của Thủ tướng Vương quốc Hà Lan Mác Mark Rutte, hai bên ra "
                                         "Tuyên bố chung.", "Thủ tướng Hà Lan Mác Mark Rutte đón đoàn.",
                                         *["Thủ tướng Mark Rutte khẳng định Hà Lan ủng hộ EVFTA."] * 12) if kind == "PER"]
    assert "Mark Rutte" in listed and "Mác Mark Rutte" not in listed


def _two_outlets(first: str, second: str) -> list[Article]:
    return [Article("a", "Tin", first, source="VnExpress"), Article("b", "Tin", second, source="Dân trí")]


def test_a_named_persons_age_two_outlets_give_differently_is_shown_with_its_sentences():
    # vims-dev 019 and 145 (issue 21): the rules before found no age at all
    facts = extract_facts(_two_outlets(
        "Lúc này, bà Trần Thị Giêng (48 tuổi, mẹ vợ Nguyên) chạy vào cũng bị Nguyên rượt chém nhiều nhát vào người.",
        "Lúc này, bà Trần Thị Giêng (58 tuổi, mẹ vợ Nguyên) chạy vào thì bị Nguyên xông đến dùng dao chém nhiều nhát."))
    [difference] = facts["differences"]
    assert difference["what"] == "tuổi của Trần Thị Giêng" and difference["basis"] == "named"
    assert difference["confidence"] >= CONFIDENCE_BAR
    assert [(v["value"], v["outlet"], v["article_id"]) for v in difference["values"]] == [
        ("48 tuổi", "VnExpress", "a"), ("58 tuổi", "Dân trí", "b")]
    [after_comma] = differing_numbers([
        Sourced("a", "a", 1, "Vào khoảng 14h30 ngày 28/5, khi ông Lê Văn Tưởng, 41 tuổi, trú xã Hương An, thị xã Hương Trà đang cày ruộng."),
        Sourced("b", "b", 3, "Nặng nhất là ông Lê Văn Tưởng (42 tuổi, trú xã Hương An, TX.")])
    assert after_comma["what"] == "tuổi của Lê Văn Tưởng"


def test_a_persons_age_two_outlets_give_in_sentences_worded_differently_is_a_difference():
    # vims-dev 202: the sentences share too few words to be aligned, the full name makes the quantity one
    [difference] = differing_numbers([
        Sourced("a", "a", 0, "Đối tượng bị bắt là Trần Văn Trường, 22 tuổi (ngụ khóm 8, phường 5, thành phố Bạc Liêu)."),
        Sourced("b", "b", 0, "Ngày 1/6, Công an TP Bạc Liêu bắt giữ Trần Văn Trường (25 tuổi) để điều tra về hành vi chém người.")])
    assert difference["what"] == "tuổi của Trần Văn Trường" and difference["basis"] == "named"
    # another person's age, or the same age, is no difference
    assert differing_numbers([
        Sourced("a", "a", 0, "Đối tượng bị bắt là Trần Văn Trường, 25 tuổi (ngụ khóm 8, phường 5, thành phố Bạc Liêu)."),
        Sourced("b", "b", 0, "Ngày 1/6, Công an TP Bạc Liêu bắt giữ Trần Văn Trường (25 tuổi) và Lê Văn Hòa (30 tuổi).")]) == []


def test_each_name_of_a_list_keeps_its_own_age():
    # vims-dev 040: "Bo Tý (14 tuổi) và Cao Lâm (13 tuổi" against "(16 tuổi) và Cao Lâm (14 tuổi"
    differences = differing_numbers([
        Sourced("a", "a", 0, "Tỉnh đoàn Khánh Hòa tổ chức lễ trao tặng huy hiệu cho hai em Bo Tý (14 tuổi) và Cao Lâm (13 tuổi, cùng quê huyện Khánh Sơn, Khánh Hòa)."),
        Sourced("b", "b", 0, "Tỉnh đoàn Khánh Hòa đã trao huy hiệu cho hai em Bo Tý (16 tuổi) và Cao Lâm (14 tuổi, người dân tộc Raglai, huyện Khánh Sơn).")])
    assert sorted((d["what"], tuple(v["value"] for v in d["values"])) for d in differences) == [
        ("tuổi của Bo Tý", ("14 tuổi", "16 tuổi")), ("tuổi của Cao Lâm", ("13 tuổi", "14 tuổi"))]


@pytest.mark.parametrize("first, second", [
    # a part and the whole: 7 crew and 3 guards are the 10 the other outlet counts (vims-dev 001)
    ("Vào lúc mất tích, máy bay chở theo 56 hành khách, 7 thành viên phi hành đoàn và 3 nhân viên an ninh.",
     "Máy bay mất tích sau khi cất cánh, mang theo 56 hành khách và 10 thành viên phi hành đoàn."),
    # another year's event (vims-dev 046)
    ("Vào đầu năm 2016, tại chợ cá Tsukiji, một con cá ngừ vây xanh nặng gần 200 kg đã được mua với giá 2,7 tỷ đồng.",
     "Năm 2012, một con cá ngừ vây xanh nặng 222 kg đã được mua với giá 154,4 triệu Yên."),
    # a count at a later moment of the story (vims-dev 020)
    ("Ông Nguyễn Toàn Thắng cho biết trong đợt này có hơn 14 tấn cá bị chết trên kênh Nhiêu Lộc - Thị Nghè.",
     "Ông Nguyễn Toàn Thắng cho biết, đến sáng 18/5, các lực lượng đã vớt được gần 70 tấn cá chết trên kênh Nhiêu Lộc - Thị Nghè."),
    # thousands written the English way (a check story of the 35k corpus)
    ("Nếu mỗi căn biệt thự có 2 phòng thì sẽ có 5,240 phòng lưu trú.", "Nếu mỗi căn biệt thự 2 phòng thì sẽ có 5.240 phòng lưu trú."),
    # a bound that the other figure meets, and a rounding (vims-dev 095, 034)
    ("Phát hiện 17 bao tải chứa 107 đoạn ngà voi có tổng trọng lượng 553,5 kg.", "Phát hiện 17 bao tải chứa gần 110 đoạn ngà voi có tổng trọng lượng 553,5 kg."),
    ("Vietinbank sẽ chào bán 16,87 triệu cổ phần của SGB, giá khởi điểm 10.800 đồng.", "Vietinbank chào bán 16,875 triệu cổ phần của SGB, giá khởi điểm 10.800 đồng."),
    # "about 25" allows 24 (a story of the 35k corpus, the one wrong difference shown there)
    ("Nạn nhân được xác định là anh Bùi Ngọc Thạnh (24 tuổi, quê ở Bạc Liêu).", "Nạn nhân được xác định tên Bùi Ngọc Thạnh (khoảng 25 tuổi, quê Bạc Liêu)."),
    # numbers of names, not quantities ("ngã 3 Xã Đàn", "tàu Cảnh sát biển 4033")
    ("Tại ngã 3 Xã Đàn đã xảy ra một vụ tai nạn giao thông nghiêm trọng.", "Khi đến ngã 4 Xã Đàn đã xảy ra một vụ tai nạn giao thông nghiêm trọng."),
])
def test_numbers_that_can_both_be_true_are_no_difference(first, second):
    assert differing_numbers([Sourced("a", "a", 0, first), Sourced("b", "b", 0, second)]) == []


def test_an_outlet_that_states_the_other_value_too_is_not_disagreeing():
    # vims-dev 124: one outlet tells of two seizures, 6 kg and 1 kg; another of the 1 kg one
    assert differing_numbers([
        Sourced("a", "a", 14, "Tang vật thu giữ 1 kg ma túy đá, một khẩu súng ngắn và một xe ô tô."),
        Sourced("b", "b", 22, "Tang vật thu giữ 6 kg ma túy đá, 1 khẩu súng K59, 15 viên đạn và 1 xe ô tô."),
        Sourced("b", "b", 32, "Tang vật thu giữ 1 kg ma túy đá, 1 khẩu súng ngắn và 1 xe ôtô.")]) == []


def test_differences_only_the_words_around_them_align_are_found_but_not_shown():
    # vims-dev 190: real (8 against 9 cars), but this kind is right 0.6 of the time on the dev half
    first = "Chiếc xe Fortuner đi từ hướng Đại Cồ Việt về Xã Đàn thì loạng choạng và đâm vào 8 chiếc xe cùng chiều."
    second = "Chiếc xe Fortuner đi từ hướng Đại Cồ Việt về Xã Đàn thì bất ngờ đâm vào 9 chiếc xe cùng chiều."
    [difference] = differing_numbers([Sourced("a", "a", 0, first), Sourced("b", "b", 0, second)])
    assert difference["basis"] == "worded" and difference["confidence"] < CONFIDENCE_BAR
    assert extract_facts(_two_outlets(first, second))["differences"] == []


def test_numbers_that_differ_and_what_only_one_outlet_reports():
    items = [
        Sourced("VnExpress", "a", 1, "Vụ tai nạn khiến anh Nguyễn Văn Hùng (35 tuổi, trú Quảng Nam) bị thương nặng."),
        Sourced("Dân trí", "b", 0, "Theo Dân trí, vụ tai nạn khiến anh Nguyễn Văn Hùng (38 tuổi, trú Quảng Nam) bị thương nặng."),
        Sourced("Dân trí", "b", 3, "Tài xế Nguyễn Văn Hùng đã bị Công an tỉnh Quảng Nam tạm giữ để điều tra vụ việc."),
    ]
    [difference] = differing_numbers(items)
    assert difference["what"] == "tuổi của Nguyễn Văn Hùng"
    assert [(v["value"], v["outlet"]) for v in difference["values"]] == [("35 tuổi", "VnExpress"), ("38 tuổi", "Dân trí")]
    only = exclusive_sentences(items)
    assert {"outlet": "Dân trí", "article_id": "b", "sentence_index": 3,
            "sentence": items[2].sentence} in only


@needs_shared(VIMS)
def test_number_differences_measured_on_the_dev_half_are_the_shipped_counts():
    # the confidences of facts.compare come from these labels; the dev half is vims-dev
    check = check_differences(halves=("dev",))["dev"]
    assert check.unlabelled == []
    assert {basis: tuple(cell[::-1]) for basis, cell in check.by_basis.items()} == DIFFERENCE_COUNTS
    assert check.shown and check.right / check.shown >= 0.85


def test_hand_checked_set_precision_and_recall():
    scores = evaluate_facts()
    quotes, entities, dates, heldout = scores.values()
    assert quotes.gold >= 30 and entities.gold >= 60 and dates.gold >= 40
    assert quotes.precision >= 0.85 and quotes.recall >= 0.75
    assert entities.precision >= 0.85 and entities.recall >= 0.85
    assert dates.precision >= 0.9 and dates.recall >= 0.9
    # articles the rules were not written against: lower, and recorded in docs/BENCHMARKS.md
    assert heldout.gold >= 15 and heldout.precision >= 0.5


# A Đà Nẵng report (baomoi corpus, seen in bench/simulated_day.py): underthesea's tagger gives
# "qui hoạch" back as "quy hoạch"; finding that further on shifted every later name, so names
# came out empty and the story's facts raised IndexError (the page showed no facts at all).
RESPELLED = ("Căn cứ đề án qui hoạch của UBND TP, ngày 09/11/2016, Phó Thủ tướng Vũ Đức Đam ký Quyết định số "
             "2163/QĐ-TTP về quy hoạch Sơn Trà theo đó với tổng quy mô diện tích của Sơn Trà là 4.298ha, rừng tự "
             "nhiên là 2.810ha.")


def test_names_keep_their_place_when_the_tagger_respells_a_word():
    from diemtin.facts.entities import sentence_mentions

    mentions, _ = sentence_mentions(RESPELLED)
    assert mentions and all(m.text.strip() and RESPELLED[m.start:m.end] == m.text for m in mentions)
    assert any(m.text == "Vũ Đức Đam" and m.type == "PER" and "Thủ tướng" in m.role for m in mentions)
    facts = extract_facts([Article("a", "Quy hoạch Sơn Trà: Đừng cướp sự sống của voọc chà vá", RESPELLED)])
    assert ("Vũ Đức Đam", "PER") in [(e["name"], e["type"]) for e in facts["entities"]]


# Found comparing one process's facts with another's (the same 100 stories of the baomoi corpus):
# the lexicon lists both "hồng kông" and "hong kong", and which one "corrected" the other came
# from a set's order, which changes with Python's hash seed: "Hong Kong" was shown as written in
# some runs and renamed "Hồng Kông" in others.
HONG_KONG = ("Việt Nam đứng thứ 6 trong Top 10 quốc gia, vùng lãnh thổ là đích ngắm của các cuộc tấn công DDoS, "
             "chỉ sau Trung Quốc, Hàn Quốc, Mỹ, Nga và Hong Kong.")


def test_a_listed_spelling_of_a_place_is_kept_as_written_in_every_process():
    import subprocess
    import sys

    program = ("import sys; from diemtin.facts import extract_facts; from diemtin.types import Article; "
               "print(sorted(e['name'] for e in extract_facts([Article('a', 'Tấn công DDoS', sys.argv[1])])['entities']"
               " if e['name'].endswith(('Kong', 'Kông'))))")
    shown = {subprocess.run([sys.executable, "-c", program, HONG_KONG], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout.strip() for seed in range(6)}
    assert shown == {"['Hong Kong']"}
    typo = extract_facts([Article("a", "Tấn công DDoS", "Mạng lưới ở Hồng Kong bị tấn công. Hồng Kong bị tấn công nhiều.")])
    assert "Hồng Kông" in [e["name"] for e in typo["entities"]]  # a typo of a listed name: its Vietnamese spelling


# From the second dev draw (tests/data/facts/check, half "dev2"): each test is a class of wrong
# entries a story page listed there, on the story's own sentences.
def _entities_of(*articles):
    return [(e["name"], e["type"]) for e in extract_facts([Article(str(i), "", " ".join(sentences))
                                                          for i, sentences in enumerate(articles)])["entities"]]


def test_a_short_name_joins_the_full_name_the_story_writes_far_more_often():
    # "Lê Thu Trump": a byline glued to a related headline; "Trump" is still Donald Trump
    names = [n for n, _ in _entities_of(
        ["Tổng thống Mỹ Donald Trump đã so sánh Tổng thống Nga Vladimir Putin và hành vi của Mỹ.",
         "Ông Trump đặt câu hỏi ngược trở lại người phỏng vấn.", "Bình luận này của ông Trump nhanh chóng thổi bùng "
         "sự tranh cãi.", "Lê Thu Trump thề chỉ cho những người yêu Mỹ nhập cảnh.", "Tổng thống Mỹ Donald Trump phát "
         "biểu trước quốc hội.", "Tổng thống Donald Trump đe dọa sẽ giảm ngân sách liên bang.",
         "Ông Donald Trump đã có cuộc điện đàm."])]
    assert "Donald Trump" in names and "Trump" not in names


def test_a_title_or_a_body_glued_to_a_named_person_is_cut_off():
    listed = _entities_of(["Sang hiệp 2, HLV Conte rút cả Hazard và Pedro ra sân.",
                           "Người có công lớn trong chiến quả của Chelsea là HLV Conte.",
                           "Thậm chí tờ Mirror còn dự đoán thầy trò HLV Conte vô địch từ tháng 3."],
                          ["Tổng thư ký NATO Stoltenberg đã công bố chiến lược mới của NATO.",
                           "Ông Stoltenberg so sánh thời điểm hiện nay với thời Chiến tranh Lạnh."],
                          ["Phó Chủ nhiệm Ủy ban Kiểm tra Trung ương Lê Thị Thủy: Quy định số 85 không có vùng cấm.",
                           "Phóng viên trao đổi với bà Lê Thị Thủy, Phó Chủ nhiệm Ủy ban Kiểm tra Trung ương."])
    names = [n for n, _ in listed]
    assert ("Conte", "PER") in listed and "HLV Conte" not in names
    assert ("Stoltenberg", "PER") in listed and "NATO Stoltenberg" not in names
    assert ("Lê Thị Thủy", "PER") in listed and not any(n.endswith(" Lê Thị Thủy") for n in names)


def test_abbreviations_a_sentence_spells_out_and_bracketed_names_of_one_body():
    names = [n for n, _ in _entities_of(
        ["Đề xuất của Bộ Tài chính tăng mức thuế bảo vệ môi trường (BVMT) trong mỗi lít xăng dầu.",
         "Thuế BVMT sẽ tăng từ tháng sau.", "Nguy cơ dịch sốt xuất huyết (SXH) chồng dịch COVID-19.",
         "Số ca SXH tăng mạnh.", "Các bộ, ngành bảo đảm trật tự an toàn giao thông (ATGT).", "Năm ATGT 2017 đã bắt đầu."],
        ["Máy bay Mỹ tham gia cuộc tập trận của Tổ chức Hiệp ước Bắc Đại Tây Dương (NATO) ở Estonia.",
         "NATO cho biết cuộc tập trận kéo dài một tuần.", "Sàn giao dịch chứng khoán New York (NYSE) rung chuông.",
         "Phiên giao dịch của NYSE kết thúc sớm.", "Thị trưởng New York dự lễ."])]
    assert not {"BVMT", "SXH", "ATGT"} & set(names)
    assert names.count("NATO") + names.count("Tổ chức Hiệp ước Bắc Đại Tây Dương") == 1
    assert "NYSE" in names and "New York" in names  # the exchange is not the city


def test_initials_school_words_titles_and_roman_numerals_are_no_names():
    names = [n for n, _ in _entities_of(
        ["Thí sinh có thể chọn trường ĐH, CĐ phù hợp.", "Bộ GD&ĐT chưa xóa biên chế GV mầm non, tiểu học, THCS.",
         "PGS-TS Phạm Khánh Phong Lan - đại biểu Quốc hội cho biết tình trạng thiếu thuốc.",
         "Từ sau Đại hội XII, nhiều cán bộ sai phạm đã bị xử lý.", "VN (ghi)"])]
    assert not {"ĐH", "CĐ", "GV", "THCS", "PGS-TS", "XII", "VN"} & set(names)
    assert "Phạm Khánh Phong Lan" in names


def test_one_entry_for_a_ministrys_and_a_companys_ways_of_writing_its_name():
    names = [n for n, _ in _entities_of(
        ["Bộ GD&ĐT công bố điểm thi.", "Theo quy định của Bộ GDĐT, thí sinh được cộng điểm.",
         "Riêng các trường tốp dưới sẽ lấy ngang điểm sàn Bộ GD-ĐT quy định."],
        ["Công ty CP Sheen Mega và Công ty CP Dream Republic vẫn không nộp tiền.",
         "Công ty Cổ phần Sheen Mega lô số 3-8, diện tích 8.500m2, giá 4.000 tỷ đồng.",
         "Cụ thể, Công ty Dream Republic và Công ty Sheen Mega sẽ bị mất số tiền cọc."])]
    assert sum(n.startswith("Bộ GD") for n in names) == 1
    assert sum(n.endswith("Sheen Mega") for n in names) == 1 and sum(n.endswith("Dream Republic") for n in names) == 1


def test_streets_named_after_people_are_places():
    listed = dict(_entities_of(
        ["Cầu vượt tại vòng xoay Nguyễn Kiệm - Nguyễn Thái Sơn được xây dựng bằng thép.",
         "Nhánh 1 hướng Nguyễn Kiệm - Hoàng Minh Giám dài 367 m.", "Cầu tại giao lộ Trường Sơn có hình chữ Y."],
        ["Đường Nguyễn Thái Sơn thường xuyên ùn tắc.", "Ông Nguyễn Vinh Ninh, Giám đốc Khu Quản lý giao thông đô thị "
         "số 1, cho biết cầu sẽ thông xe vào tháng 7."]))
    assert all(listed.get(street) == "LOC" for street in ("Nguyễn Kiệm", "Nguyễn Thái Sơn", "Trường Sơn")), listed
    assert listed.get("Nguyễn Vinh Ninh") == "PER"


def test_a_name_after_a_bodys_head_noun_in_a_title_is_the_bodys():
    listed = dict(_entities_of(["PGS.TS Đào Xuân Cơ, Giám đốc Bệnh viện Bạch Mai nói bệnh viện không thiếu thuốc.",
                                "Bà Hồ Thị Kim Thoa từng là Giám đốc Công ty Bóng đèn Điện Quang.",
                                "Ông Đào Xuân Cơ cho biết thêm."]))
    assert listed.get("Bạch Mai") != "PER" and listed.get("Điện Quang") != "PER"
    assert listed.get("Đào Xuân Cơ") == "PER" and listed.get("Hồ Thị Kim Thoa") == "PER"


def test_a_name_after_a_programmes_head_noun_in_a_title_is_the_programmes():
    # dev: "giám đốc chương trình Đông Á" listed a person "Đông Á"; a person named after such a
    # head noun starts with a surname ("Giám đốc dự án Nguyễn Văn Hùng")
    listed = dict(_entities_of(["Ông Jeffrey Lewis, giám đốc chương trình Đông Á tại Trung tâm James Martin, nói.",
                                "Giám đốc dự án Nguyễn Văn Hùng cho biết công trình sẽ xong trong tháng 6.",
                                "Ông Jeffrey Lewis nói thêm."]))
    assert "Đông Á" not in listed
    assert listed.get("Jeffrey Lewis") == "PER" and listed.get("Nguyễn Văn Hùng") == "PER"


def test_ships_films_and_languages_are_no_one_and_outlets_are_bodies():
    listed = dict(_entities_of(
        ["Tàu sân bay USS Ronald Reagan đã xuất phát tới Bán đảo Triều Tiên.", "Theo Reuters, chiếc Reagan mang theo "
         "60 máy bay.", "Tàu sân bay USS Ronald Reagan hướng về căn cứ Yokosuka."],
        ["Trong bài phỏng vấn với kênh truyền hình Fox News, Tổng thống Donald Trump nói.", "Phóng viên báo Tin Tức có "
         "mặt tại hiện trường.", "Các ngành ngôn ngữ Nhật, ngôn ngữ Pháp nhân hệ số 2."]))
    assert "Ronald Reagan" not in listed and "USS" not in listed
    assert listed.get("Fox News") == "ORG" and listed.get("Tin Tức") == "ORG" and "Nhật" not in listed


def test_a_bodys_name_that_visibly_goes_on_is_not_listed_cut_short():
    names = [n for n, _ in _entities_of(
        ["Ông Nguyễn Hồng Tâm, Phó Giám đốc Trung tâm Kiểm soát bệnh tật TP.HCM khẳng định thành phố không thiếu "
         "hóa chất.", "Trung tâm Kiểm soát bệnh tật TP.HCM đã phun thuốc."],
        ["Trung tâm Quản lý và Điều hành giao thông đô thị Hà Nội đang tổ chức khảo sát.",
         "Cục Quản lý dược yêu cầu doanh nghiệp xuất trình văn bản."])]
    assert not {"Trung tâm Kiểm soát", "Trung tâm Quản lý", "Cục Quản lý"} & set(names), names
    assert "Nguyễn Hồng Tâm" in names


def test_document_numbers_sector_codes_and_cut_bylines_are_no_names():
    names = [n for n, _ in _entities_of(
        ["Bộ Nông nghiệp và Phát triển nông thôn (NN&PTNT) vừa có công văn 654/CN-KHTC ngày 9/5 gửi Sở NN&PTNT các tỉnh.",
         "Thông tư 31/2016/TT-BXD về việc phân hạng nhà chung cư sẽ có hiệu lực.", "Lan Phương - Hiểu Nguyệt"])]
    assert not {"CN-KHTC", "TT-BXD", "NN&PTNT", "Nguyệt"} & set(names), names


def test_a_league_the_corpus_knows_stays_a_body_beside_a_word_of_it_taken_for_a_person():
    # the NER took "League" for a person; "Premier League" ended with that person's name and became one
    listed = dict(_entities_of(["Nếu duy trì tỷ lệ 2,49 điểm mỗi trận, họ sẽ kết thúc Premier League 2016/17 với 93 điểm.",
                                "Đội bóng cuối cùng bảo vệ thành công ngôi vương Premier League là MU năm 2009."],
                               ["Harry Kane ghi bàn vào lưới 23 trong 25 đội anh từng đối đầu ở Premier League."],
                               ["MU đã giành vé vào chung kết Europa League nên có ý buông sân chơi trong nước."]))
    assert listed.get("Premier League") == "ORG", listed


def test_the_outlet_a_statement_is_reported_by_is_not_part_of_it():
    quotes = extract_facts([Article("a", "", "Bộ Quốc phòng Mỹ lưu ý rằng đây là vụ bay chặn an toàn, theo Sputniknews.")])["quotes"]
    assert [(q["speaker"], q["quote"]) for q in quotes] == [("Bộ Quốc phòng Mỹ", "đây là vụ bay chặn an toàn")]


def test_a_speaker_is_shown_without_the_body_glued_before_the_name():
    facts = extract_facts([Article("a", "", "“Đúng là chúng tôi quan sát Triều Tiên rất kỹ lưỡng”, phát ngôn viên Lầu Năm Góc "
                                            "Jeff Davis nói trong cuộc họp báo. Ông Jeff Davis cho biết thêm Lầu Năm Góc "
                                            "sẽ tiếp tục theo dõi.")])
    assert {q["speaker"] for q in facts["quotes"]} == {"Jeff Davis"}


def test_a_clubs_short_name_the_corpus_knows_joins_its_full_name():
    # "Leicester" and "Leicester City" were two entries of one club (second dev draw, a football story)
    names = [n for n, _ in _entities_of(
        ["Man City thoát hiểm, trong khi báo động đỏ đã đến với Liverpool và ĐKVĐ Leicester City.",
         "Với 1 pha lập công cho MU vào lưới Leicester City, Ibrahimovic đã trở thành cầu thủ già nhất ghi 15 bàn."],
        ["Leicester thua thảm MU và rơi xuống rất gần khu vực nguy hiểm.",
         "Mùa này Leicester City đang sa sút thảm hại và phải giành giật sự sống với nhóm cuối bảng."])]
    assert "Leicester City" in names and "Leicester" not in names, names


# Entity confidences are the precision measured by kind on the dev halves (facts.measured)
def test_a_kind_of_name_mostly_wrong_on_the_check_sets_dev_halves_is_not_listed():
    # underthesea's NER alone, even in three articles, typed a club's nickname a person ("The
    # Blues"); of the names only it typed in 3+ articles, half were wrong
    facts = extract_facts([Article(str(i), "", s) for i, s in enumerate([
        "Bằng bất kỳ kiểu đá nào, diễn biến nào trên sân, The Blues vẫn là kẻ mỉm cười khi tiếng còi mãn cuộc vang lên.",
        "The Blues đang sở hữu 59 điểm qua 24 vòng đấu, đạt tỷ lệ trung bình 2,49 điểm mỗi trận.",
        "Trong hiệp 1, The Blues đã giành quyền kiểm soát bóng đến 70% và tung ra đến 10 cú dứt điểm."])])
    assert "The Blues" not in [e["name"] for e in facts["entities"]], facts["entities"]


@needs_shared(CORPORA["baomoi-2017"])
def test_the_shipped_entity_precision_is_what_the_dev_halves_labels_say():
    # a label added or a rule changed: `python -m diemtin.evaluate.facts --measure` writes it again
    stories = [(story, articles) for story, articles in check_stories() if story["half"] != "report"]
    shipped = json.loads(ENTITY_PRECISION.read_text(encoding="utf-8"))["cells"]
    assert measure_entity_precision(stories) == shipped


# From the third dev draw (half "dev3", labelled before these rules): each test is a class of
# wrong entries a story page listed there, on the story's own sentences.
def test_banks_and_bodies_named_after_a_board_or_a_legal_form_are_organisations():
    listed = _entities_of(
        ["Ông Dương Công Minh có động thái rút hoàn toàn khỏi LienVietPostBank và mở một mặt trận mới ở ngân hàng "
         "từng ở vị trí hàng đầu Việt Nam: Sacombank.", "Ông Dương Công Minh, Chủ tịch HĐQT Sacombank cho biết "
         "ngân hàng sẽ tăng vốn."],
        ["CTCP Him Lam của ông Dương Công Minh phát đi thông báo.", "Ông Dương Công Minh - Chủ tịch HĐQT CTCP Him Lam "
         "đã được bầu.", "Các ứng viên HĐQT. Một cổ đông cho biết."])
    assert {"Sacombank": "ORG", "LienVietPostBank": "ORG"}.items() <= dict(listed).items(), listed
    assert ("Him Lam", "PER") not in listed and ("CTCP Him Lam", "ORG") in listed, listed
    assert not any(n.startswith("HĐQT") for n, _ in listed), listed


def test_a_kind_of_place_before_a_name_beats_the_corpus_gazetteer():
    # the gazetteer knows "Quang Minh" as a person and "Kim Tử Kinh" as a body; here they are a town and a square
    listed = dict(_entities_of(["Rạng sáng 17/6, tại đường Võ Văn Kiệt thuộc thị trấn Quang Minh xảy ra va chạm."],
                               ["Dự kiến sáng 1/7 tại Quảng trường Kim Tử Kinh trên đảo Hong Kong, ông Tập Cận Bình "
                                "sẽ tham dự lễ thượng cờ."]))
    assert listed.get("Quang Minh") == "LOC" and listed.get("Kim Tử Kinh") == "LOC", listed


def test_acronyms_written_bare_treaties_and_programmes_are_not_listed_and_spelt_out_bodies_are():
    names = [n for n, _ in _entities_of(
        ["Vật tư nhập khẩu của dự án có đầy đủ CO, CQ; được Tổng thầu bảo quản tại kho bãi.",
         "Giá bán kể từ ngày 6/2/2017 (đã bao gồm thuế GTGT) như sau.", "Chị T. (SN 1990, HKTT: Mê Linh, Hà Nội)."],
        ["Giảm thuế nhập khẩu từ 40% về 30% như cam kết trong Hiệp định Thương mại hàng hóa ASEAN (ATIGA).",
         "Chiều 20/6, UBND tỉnh Phú Yên tổ chức họp báo Chương trình Đối tác Thái Bình Dương năm 2022 (PP22)."],
        ["Liên minh Viễn thông quốc tế (ITU) thuộc Liên hợp quốc cảnh báo lỗ hổng an ninh mạng.",
         "Ông Nguyễn Văn Bình đến Trung tâm MRCC Khu vực 2 và BTL Vùng Cảnh sát biển 2."])]
    assert not {"CO", "CQ", "GTGT", "HKTT", "ATIGA", "Thái Bình Dương", "PP22"} & set(names), names
    assert {"ITU", "Trung tâm MRCC Khu vực 2", "Phú Yên"} <= set(names), names


def test_one_entry_for_australia_and_a_meeting_is_no_body():
    listed = _entities_of(["Chương trình có sự tham gia của Úc, Nhật Bản, Anh và Mỹ.",
                           "Các bác sĩ đến từ các nước Australia, Anh, Nhật Bản."],
                          ["Lãnh đạo hai nước gặp nhau bên lề Hội nghị Thượng đỉnh G20 tại Hamburg."])
    places = [n for n, t in listed if t == "LOC"]
    assert len({"Úc", "Australia"} & set(places)) == 1 and not any(n.startswith("Hội nghị") for n, _ in listed), listed


def test_a_person_after_a_citys_committee_is_its_officer_not_a_place():
    # "TP" before a name: the city's People's Committee and its officer, not a town named after him
    # (seen in the report half once the kinds of place beat the gazetteer; these sentences are others)
    listed = dict(_entities_of(["Nhân dịp này, Phó Chủ tịch UBND TP Đặng Việt Dũng, Giám đốc ĐH Đà Nẵng đã trao quà.",
                                "Chủ tịch UBND TP Hồ Chí Minh cho biết thành phố sẽ mở rộng đường."]))
    assert listed.get("Đặng Việt Dũng") == "PER" and "Hồ Chí Minh" not in [n for n, t in listed.items() if t == "PER"], listed


def test_a_photo_credit_glued_to_a_name_is_cut_off_and_the_person_listed():
    # the tagger glued the caption's "Ảnh" to the name: the person was dropped as a malformed name
    names = [n for n, _ in _entities_of(
        ["Chủ tịch Quốc hội Nguyễn Thị Kim Ngân đón Chủ tịch Quốc hội Cuba Esteban Lazo Hernández Ảnh: Đình Nam Tham dự "
         "Lễ đón, Hội đàm có các Ủy viên Trung ương Đảng."],
        ["Chủ tịch Quốc hội Cuba Esteban Lazo Hernández Ảnh: TTXVN Chiều 27/3, hai bên hội đàm."])]
    assert "Esteban Lazo Hernández" in names, names



def test_one_entry_per_ministry_however_it_is_written_and_other_countries_ministries_apart():
    # dev3 listed "Bộ Giao thông" beside "Bộ GTVT" and "Bộ Văn hóa" beside the ministry's full name;
    # the tagger split "Bộ LĐ-TB&XH" and dropped "Bộ Văn hóa, Thể thao và Du lịch" after "Theo"
    listed = _entities_of(["Chiều 2/6, Ban quản lý dự án đường sắt (Bộ Giao thông) cho biết đã dừng sử dụng bản đồ.",
                           "Ban Quản lý dự án đường sắt (BQL DAĐS Bộ GTVT) thừa nhận hình ảnh được lấy trên mạng."],
                          ["Thứ trưởng Bộ Giao thông Vận tải Nguyễn Hồng Trường đánh giá cao nỗ lực của nhà thầu.",
                           "Theo Bộ Văn hóa, Thể thao và Du lịch, lễ hội sẽ diễn ra vào tháng 9.",
                           "Bộ VH-TT&DL cũng đề nghị các địa phương chuẩn bị.",
                           "Bộ LĐ-TB&XH và Bộ Lao động - Thương binh và Xã hội là một."],
                          ["Bộ Quốc phòng Nga cho biết tên lửa rơi xuống biển Nhật Bản.",
                           "Bộ Quốc phòng Mỹ khẳng định đó là tên lửa đạn đạo.", "Bộ Quốc phòng chưa bình luận."])
    bodies = [n for n, t in listed if t == "ORG"]
    transport = [n for n in bodies if n.startswith("Bộ G")]
    culture = [n for n in bodies if n.startswith("Bộ V")]
    labour = [n for n in bodies if n.startswith("Bộ L")]
    assert len(transport) == len(culture) == len(labour) == 1, bodies
    assert {"Bộ Quốc phòng Nga", "Bộ Quốc phòng Mỹ", "Bộ Quốc phòng"} <= set(bodies), bodies


def test_a_body_the_tagger_cut_at_its_lowercase_words_is_listed_by_its_full_name():
    # dev2: "Cục Quản lý" for the drug administration, "Học viện An ninh" for the People's Security Academy
    listed = [n for n, _ in _entities_of(
        ["Cục Quản lý dược cho biết, các thuốc khác đang tiếp tục được gia hạn.",
         "Doanh nghiệp xuất trình văn bản xác nhận của Bộ Y tế (Cục Quản lý Dược) với các cơ quan.",
         "Đề nghị thông báo về Cục Quản lý dược để kịp thời giải quyết."],
        ["Qua thống kê số hồ sơ sơ tuyển nộp về Học viện An ninh nhân dân là trên 4000 hồ sơ.",
         "Qua thống kê, 4.000 hồ sơ nộp về Học viện An ninh Nhân dân, trong khi chỉ tiêu là 260.",
         "Điểm chuẩn của Học viện An ninh năm 2016 cao nhất là 28,25."])]
    assert "Cục Quản lý Dược" in listed and "Học viện An ninh Nhân dân" in listed, listed
    assert "Cục Quản lý" not in listed and "Học viện An ninh" not in listed, listed


def test_a_family_name_the_ner_took_for_a_place_is_not_cut_off_the_person():
    # dev3: "Tập Cận Bình" was listed as "Cận Bình" and "Tập": the NER typed "Tập" a place once, and the
    # rule for a place glued before a name cut it off every mention
    listed = _entities_of(
        ["Tổng thống Nga Vladimir Putin Trong giai đoạn Tập Cận Bình và Vladimir Putin gặp nhau tại hội nghị "
         "thượng đỉnh G20, các blogger phát hiện ra rằng họ không thể đề cập đến Putin."],
        ["Điều này đã khiến ông Tập Cận Bình phải ngồi lẻ loi trước Tổng thống Putin.",
         "Ông Putin và ông Tập đã vui vẻ trao đổi với nhau.",
         "Hai nhà lãnh đạo sẽ gặp lại nhau vào đầu tháng 7 tới khi ông Tập Cận Bình tới thăm Nga."])
    people = [n for n, t in listed if t == "PER"]
    assert "Tập Cận Bình" in people and "Cận Bình" not in people and "Tập" not in people, listed


def test_a_company_named_after_its_trade_in_lowercase_words_is_an_organisation_not_a_place():
    # dev2: "Bình Minh" and "An Phát" were listed as places (the corpus gazetteer knows the places of
    # those names), "Điện Quang" as a place beside "Công ty Bóng đèn Điện Quang"
    listed = dict(_entities_of(
        ["Sau đó, Công ty TNHH đầu tư và kinh doanh thương mại Bình Minh có văn bản xin bỏ cọc lô đất 3-9.",
         "Hai doanh nghiệp bỏ cọc vụ đấu giá đất Thủ Thiêm cùng dời trụ sở chính về một địa chỉ.",
         "Ông Phan Minh Hoàng đã ký quyết định chi phí bồi thường dự án BOT đường chuyên dùng cho hợp tác xã An Phát."],
        ["Bà Hồ Thị Kim Thoa từng là Giám đốc Công ty Bóng đèn Điện Quang.",
         "Việc chuyển nhượng phần vốn góp của Nhà nước vào Công ty TNHH Đầu tư và Thương mại Điện Quang không "
         "báo cáo, xin ý kiến chủ sở hữu là vi phạm quy định."]))
    assert listed.get("Bình Minh") == "ORG" and listed.get("An Phát") == "ORG", listed
    assert listed.get("Thủ Thiêm") != "ORG", listed  # what two companies bid for, not their name
    assert [n for n in listed if n.endswith("Điện Quang")] in (["Điện Quang"], ["Công ty Bóng đèn Điện Quang"]), listed
    assert listed.get("Điện Quang", "ORG") == "ORG", listed



@needs_shared(CORPORA["baomoi-2017"])
def test_a_short_name_two_people_of_the_story_share_is_not_listed():
    # dev3 (the story as the check set drew it): "Kim" was listed beside Kim Jong-un and Kim
    # Dong-yub, a second entry of one of them ("Giáo sư Kim" is the professor, "ông Kim" the leader)
    [(story, articles)] = [(s, a) for s, a in check_stories() if s["story"].startswith("third-story-962")]
    people = [e["name"] for e in shown_facts([(story, articles)])[story["story"]]["entities"] if e["type"] == "PER"]
    assert "Kim Jong-un" in people and "Kim Dong-yub" in people and "Kim" not in people, people


# From the fourth dev draw (half "dev4", labelled at a596d30's rules before these): each test is a
# class of wrong entries a story page listed there, on the story's own sentences.
def test_a_provinces_body_written_with_and_without_tinh_is_one_entry():
    listed = _entities("Công an huyện Hương Sơn phối hợp với Bộ đội Biên phòng Hà Tĩnh bắt giữ đối tượng.",
                       "Công an tỉnh Hà Tĩnh cho biết đối tượng đã khai nhận.",
                       "Bộ đội Biên phòng tỉnh Hà Tĩnh đang tạm giữ đối tượng.", "Công an Hà Tĩnh đang điều tra.")
    bodies = [name.replace(" tỉnh ", " ") for name, kind in listed if kind == "ORG"]
    assert sorted(bodies) == ["Bộ đội Biên phòng Hà Tĩnh", "Công an Hà Tĩnh", "Công an huyện Hương Sơn"], bodies


def test_roads_named_after_people_wind_directions_and_years_of_the_cycle_are_no_one():
    listed = dict(_entities("Ô tô lưu thông trên đường mòn Hồ Chí Minh thì mất lái đâm vào cột mốc.",
                            "Anh rủ cô đi dạo đường hoa Nguyễn Huệ vào mùng 2 tết.",
                            "Ngày nắng, gió Tây Nam cấp 2 - 3; khu vực phía Đông Nam có mưa rào.",
                            "Trận đánh vào sân bay Tân Sơn Nhất Tết Mậu Thân 1968 rất ác liệt, ông Mậu Thân nói."))
    assert listed.get("Hồ Chí Minh") == "LOC" and listed.get("Nguyễn Huệ") == "LOC", listed
    assert "Tây Nam" not in listed and "Đông Nam" not in listed and "Mậu Thân" not in listed, listed


def test_a_title_abbreviation_the_segmenter_glued_to_a_name_is_cut_off():
    listed = dict(_entities("Trao đổi với PV, PGS.TS Lương Hồng Quang – Phó Viện trưởng Viện Văn hóa Nghệ thuật Quốc gia "
                            "cho biết ấn ở đền Trần không bán.", "Ông Quang nói thêm."))
    assert listed.get("Lương Hồng Quang") == "PER" and not any(name.startswith("PGS") for name in listed), listed


def test_initials_joined_by_an_ampersand_a_role_of_two_words_and_a_dynasty_are_read_whole():
    listed = dict(_entities("Khu vực này, năm 1995 Sở LĐ-TB&XH và Bộ Tư lệnh TP.HCM phối hợp quy tập hài cốt liệt sĩ.",
                            "Sở LĐ-TB&XH cho biết sẽ tiếp tục khảo sát."))
    assert listed.get("Sở LĐ-TB&XH") == "ORG" and "Sở LĐ-TB" not in listed and "XH" not in listed, listed
    # three articles, as the stories had: the NER's names in one article are below the bar
    article = ["Ông Hoàng Văn Hoan, Chánh văn phòng Ban ATGT tỉnh Vĩnh Phúc, xác nhận tai nạn.",
               "Các em sẽ được đưa về Hải Phòng trong chiều nay, vị Chánh văn phòng thông tin.",
               "Lễ khai ấn đền Trần có từ năm 1239 của triều đại nhà Trần, khi vua Trần mở tiệc ở đền Trần."]
    listed = dict(_entities_of(article, article, article))
    assert "Chánh" not in listed and "Trần" not in listed, listed
    # ... and a title of two capitalised words is no such pair: the body after it stays listed
    listed = dict(_entities("Ông Nguyễn Thế Thành - Phó Trưởng Công an xã Nghĩa Bình (huyện Nghĩa Đàn, Nghệ An) cho biết, "
                            "trên địa bàn vừa xảy ra một vụ tai nạn."))
    assert listed.get("Công an xã Nghĩa Bình") == "ORG", listed
