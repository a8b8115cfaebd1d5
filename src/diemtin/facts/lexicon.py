"""Word lists the fact extractors lean on where underthesea's offline tagger is weak.

All entries are lower-case; matching lower-cases the text. Titles are what Vietnamese news puts
before a person's name ("Tổng thống Zelensky", "Tổng thư ký NATO Mark Rutte", "bà Singh").
"""

from __future__ import annotations

# Forms of address and kinship words used as titles: they mark a person but are no role.
ADDRESS = {"ông", "bà", "anh", "chị", "cô", "cậu", "em", "bé", "cụ", "chú", "thầy", "nữ", "cháu", "cựu"}

ROLES = {
    "tổng thống", "phó tổng thống", "thủ tướng", "phó thủ tướng", "chủ tịch", "phó chủ tịch", "bộ trưởng",
    "thứ trưởng", "tổng thư ký", "ngoại trưởng", "tổng bí thư", "bí thư", "giám đốc", "tổng giám đốc",
    "phó giám đốc", "người phát ngôn", "phát ngôn viên", "đại sứ", "tướng", "đại tướng", "thượng tướng",
    "trung tướng", "thiếu tướng", "đại tá", "thượng tá", "trung tá", "thiếu tá", "giáo sư", "gs", "ts", "pgs",
    "pgs.ts", "gs.ts", "tiến sĩ", "thạc sĩ", "bác sĩ", "luật sư", "hlv", "huấn luyện viên", "cầu thủ",
    "tiền đạo", "thủ môn", "hậu vệ", "tiền vệ", "ca sĩ", "diễn viên", "nghệ sĩ", "nhà văn", "hoàng tử",
    "công chúa", "nữ hoàng", "vua", "giáo hoàng", "thống đốc", "thị trưởng", "nghị sĩ", "thượng nghị sĩ",
    "hạ nghị sĩ", "chủ nhiệm", "trưởng phòng", "trưởng ban", "trưởng đoàn", "chánh án", "chánh văn phòng",
    "chánh thanh tra", "vụ trưởng", "viện trưởng",
    "thẩm phán", "bị cáo", "nghi phạm", "tỷ phú", "doanh nhân", "nhà báo", "phóng viên", "thủ lĩnh",
    "ứng viên", "ứng cử viên", "chủ tịch nước", "tổng tư lệnh", "tư lệnh", "chỉ huy", "cơ trưởng",
    "giám đốc điều hành", "ceo", "nhà sáng lập", "đô đốc", "trung úy", "thượng úy", "đại úy", "thiếu úy",
    "trưởng công an", "phó trưởng công an", "phó bí thư", "chủ tịch ubnd", "trợ lý", "cố vấn", "phu nhân",
    "người đứng đầu", "lãnh đạo", "tổng biên tập", "hiệu trưởng", "phó hiệu trưởng", "chuyên gia",
    "nhà nghiên cứu", "điều tra viên", "kiểm sát viên", "nạn nhân", "đệ nhất phu nhân", "thái tử",
}
# Sports titles: news writes them before a club as often as before a person ("tiền vệ Chelsea",
# "HLV HAGL"), so they are weak evidence that the name after them is a person.
SPORTS_ROLES = {"tiền đạo", "tiền vệ", "hậu vệ", "thủ môn", "thủ thành", "cầu thủ", "hlv", "huấn luyện viên", "ngôi sao",
                "danh thủ"}
ROLE_PREFIXES = ("tân ", "cựu ", "nguyên ", "quyền ")

# Words before a name that make it a place.
PLACE_CUES = {
    "tại", "ở", "đến", "tới", "từ", "thăm", "sang", "khỏi", "thủ đô", "tỉnh", "thành phố", "tp", "tp.", "huyện",
    "quận", "xã", "phường", "bang", "miền", "vùng", "nước", "đảo", "làng", "thị trấn", "thị xã", "vịnh",
    "biển", "sông", "hồ", "núi", "khu vực", "thôn", "ấp", "bản", "phố", "đường", "phố đi bộ",
    "sân", "sân vận động", "quảng trường", "đền", "chùa",
}
# Heads of organisation names: the head is part of the name ("Bộ Công Thương").
ORG_HEADS = {
    "bộ", "sở", "công ty", "tập đoàn", "ngân hàng", "tổ chức", "liên minh", "ủy ban", "uỷ ban", "quốc hội",
    "đảng", "trường", "đại học", "bệnh viện", "viện", "học viện", "cục", "tổng cục", "ban", "tòa án", "toà án",
    "công an", "viện kiểm sát", "câu lạc bộ", "clb", "liên đoàn", "hiệp hội", "hội", "quỹ", "hãng",
    "trung tâm", "văn phòng", "lực lượng", "quân đội", "hội đồng", "liên hợp quốc", "chính phủ", "nhà trắng",
    "ctcp",  # "CTCP Him Lam": công ty cổ phần
}
# Words before a name that make it an organisation, without being part of it ("hãng tin Reuters").
# Head nouns of bodies ("Phòng Thương mại", "Đoàn kiểm tra", "CĐV Liverpool"): the tagger takes
# them for a person's name, and a person's name does not start with one.
BODY_HEADS = {"Phòng", "Cảng", "Đoàn", "Sở", "Ban", "Bộ", "Cục", "Viện", "Vụ", "Hội", "Trường", "Khoa", "Đội", "Tổ",
              "CĐV", "Công an", "CA", "Báo", "Đài", "Tờ", "Hãng", "Kênh", "Đền", "Chùa", "Quảng trường", "Sân"}
ORG_CUES = {"hãng tin", "báo", "tờ", "đài", "kênh", "trang", "hãng thông tấn", "tạp chí", "đội tuyển", "đội",
            "kênh truyền hình", "đài truyền hình", "tờ báo", "trang tin", "nhóm nhạc", "ban nhạc", "hãng phim",
            "hãng hàng không", "nhà mạng"}
# Words before a name that make it a thing, a work or an event, no person, body or place: a ship
# ("tàu sân bay USS Ronald Reagan"), a film, a song, a competition ("giải Premier League"), a language.
WORK_CUES = {"tàu", "tàu sân bay", "siêu tàu sân bay", "tàu khu trục", "tàu ngầm", "chiến hạm", "mẫu xe", "dòng xe",
             "tên lửa", "phim", "bộ phim", "ca khúc", "bài hát", "album", "cơn bão", "bão",
             "chiến dịch", "lễ hội", "giải", "giải đấu", "trò chơi", "ứng dụng", "cuốn sách", "tác phẩm", "gameshow",
             "USS", "tiếng", "ngôn ngữ"}  # and languages: "ngôn ngữ Nhật"

PLACES = {
    "việt nam", "hà nội", "tp.hcm", "tphcm", "tp hcm", "tp. hcm", "sài gòn", "đà nẵng", "hải phòng", "cần thơ", "huế",
    "mỹ", "hoa kỳ", "nga", "trung quốc", "nhật bản", "hàn quốc", "triều tiên", "ukraine", "anh", "pháp", "đức",
    "ý", "italy", "tây ban nha", "bồ đào nha", "hà lan", "bỉ", "thụy sĩ", "thụy điển", "na uy", "phần lan",
    "ba lan", "séc", "hungary", "romania", "hy lạp", "thổ nhĩ kỳ", "iran", "iraq", "syria", "israel", "palestine",
    "gaza", "li-băng", "lebanon", "jordan", "ai cập", "saudi arabia", "ả rập xê út", "qatar", "uae", "ấn độ",
    "pakistan", "afghanistan", "indonesia", "malaysia", "singapore", "thái lan", "campuchia", "lào", "myanmar",
    "philippines", "australia", "úc", "new zealand", "canada", "mexico", "brazil", "argentina", "chile",
    "colombia", "venezuela", "cuba", "nam phi", "nigeria", "kenya", "libya", "tunisia", "algeria", "maroc",
    "kiev", "kyiv", "moskva", "moscow", "washington", "bắc kinh", "tokyo", "seoul", "bình nhưỡng", "paris",
    "london", "berlin", "brussels", "cairo", "tehran", "jerusalem", "bangkok", "new york", "châu âu",
    "châu á", "châu phi", "đông nam á", "trung đông", "biển đông", "địa trung hải", "crimea", "donbass",
    "kharkov", "kharkiv", "odessa", "đài loan", "hong kong", "hồng kông", "macau", "nghệ an", "thanh hóa",
    "quảng ninh", "quảng nam", "quảng ngãi", "quảng bình", "quảng trị", "hà tĩnh", "bình định", "khánh hòa",
    "nha trang", "lâm đồng", "đà lạt", "đắk lắk", "gia lai", "kon tum", "bình dương", "đồng nai", "vũng tàu",
    "long an", "tiền giang", "bến tre", "vĩnh long", "an giang", "kiên giang", "cà mau", "bạc liêu", "sóc trăng",
    "hải dương", "hưng yên", "bắc ninh", "thái bình", "nam định", "ninh bình", "hà nam", "vĩnh phúc", "phú thọ",
    "lào cai", "yên bái", "sơn la", "điện biên", "lai châu", "hà giang", "cao bằng", "lạng sơn", "bắc giang",
    "thái nguyên", "tuyên quang", "hòa bình", "phú yên", "ninh thuận", "bình thuận", "tây ninh", "bình phước",
    "đồng tháp", "hậu giang", "trà vinh", "bà rịa - vũng tàu", "phú quốc", "hoàng sa", "trường sa",
    "warsaw", "vacsava", "vác-sa-va", "đông âu", "montenegro", "croatia", "georgia", "macedonia", "bosnia",
    "serbia", "belarus", "kosovo", "albania", "slovenia", "slovakia", "áo", "đan mạch", "ireland", "scotland",
    "đại lục", "đài bắc", "bỉ", "brussels", "geneva", "vienna", "rome", "madrid", "munich", "milan", "tây âu", "bắc âu", "nam á", "bắc mỹ", "mỹ latin",
}

# Organisations written as words that the tagger does not mark as names.
ORGANISATIONS = {"nato", "eu", "liên hợp quốc", "lhq", "asean", "who", "imf", "wto", "fifa", "uefa", "afc",
                 "quốc hội", "chính phủ", "nhà trắng", "lầu năm góc", "điện kremlin", "kremlin", "ubnd", "hđnd",
                 "liên minh châu âu", "hội đồng bảo an", "bộ quốc phòng", "bộ ngoại giao", "ttxvn", "bbc", "cnn",
                 "reuters", "afp", "ap", "bloomberg", "tass", "sputnik", "the kyiv independent", "the guardian",
                 "new york times", "washington post", "nhà trắng", "điện elysee", "phủ tổng thống"}

# Vietnam's ministries as news writes them after "Bộ": in full, by the first half of the name, or
# by initials ("Bộ Giao thông Vận tải", "Bộ Giao thông", "Bộ GTVT", "Bộ GT-VT"). Each is one entry
# of a story page, keyed by its full name (lower-case). Matched after a capital "Bộ", the rest
# ignoring case: the tagger splits the long forms ("Bộ LĐ-TB&XH", "Bộ Văn hóa, Thể thao và Du
# lịch") and cuts the lowercase ones ("Bộ Giao thông vận tải").
_JOIN = r"\s*(?:và|&|-|–|,)?\s*"  # between the parts of a name: "và", "&", "-", ","
_HOA = r"h(?:óa|oá)"  # "hóa" and "hoá"
MINISTRIES = {
    "bộ quốc phòng": r"Quốc phòng",
    "bộ công an": r"Công an",
    "bộ ngoại giao": r"Ngoại giao",
    "bộ nội vụ": r"Nội vụ",
    "bộ tư pháp": r"Tư pháp",
    "bộ kế hoạch và đầu tư": rf"Kế hoạch(?:{_JOIN}Đầu tư)?|KH{_JOIN}ĐT",
    "bộ tài chính": r"Tài chính",
    "bộ công thương": r"Công Thương",
    "bộ nông nghiệp và phát triển nông thôn": rf"Nông nghiệp(?:{_JOIN}Phát triển nông thôn)?|NN{_JOIN}PTNT",
    "bộ giao thông vận tải": rf"Giao thông(?:{_JOIN}Vận tải)?|GT{_JOIN}VT",
    "bộ xây dựng": r"Xây dựng",
    "bộ tài nguyên và môi trường": rf"Tài nguyên(?:{_JOIN}Môi trường)?|TN{_JOIN}MT",
    "bộ thông tin và truyền thông": rf"Thông tin(?:{_JOIN}Truyền thông)?|TT{_JOIN}TT",
    "bộ lao động - thương binh và xã hội": rf"Lao động(?:{_JOIN}Thương binh{_JOIN}Xã hội)?|LĐ{_JOIN}TB{_JOIN}XH",
    "bộ văn hóa, thể thao và du lịch": rf"Văn {_HOA}(?:{_JOIN}Thể thao{_JOIN}Du lịch)?|VH{_JOIN}TT{_JOIN}DL",
    "bộ khoa học và công nghệ": rf"Khoa học(?:{_JOIN}Công nghệ)?|KH{_JOIN}CN",
    "bộ giáo dục và đào tạo": rf"Giáo dục(?:{_JOIN}Đào tạo)?|GD{_JOIN}ĐT",
    "bộ y tế": r"Y tế",
}

# Two names news uses for one body or place, folded and lower-case -> one of them (the key the
# entities are merged under): "EU" and "Liên minh châu Âu" are one entry on a story page.
ALIASES = {
    "lien minh chau au": "eu", "lien hop quoc": "lhq", "moscow": "moskva", "tphcm": "tp.hcm", "tp hcm": "tp.hcm",
    "tp. hcm": "tp.hcm", "ho chi minh": "tp.hcm", "thanh pho ho chi minh": "tp.hcm", "itar tass": "tass",
    "itar-tass": "tass", "hoa ky": "mỹ", "my": "mỹ", "to chuc y te the gioi": "who", "quy tien te quoc te": "imf",
    "to chuc thuong mai the gioi": "wto", "hiep hoi cac quoc gia dong nam a": "asean", "kyiv": "kiev",
    "man utd": "mu", "man united": "mu", "manchester united": "mu", "m.u": "mu", "uy ban nhan dan": "ubnd",
    "hoi dong nhan dan": "hđnd", "thong tan xa viet nam": "ttxvn", "bac trieu tien": "triều tiên",
    "saudi arabia": "ả rập xê út", "arab saudi": "ả rập xê út", "a rap saudi": "ả rập xê út", "saudi": "ả rập xê út",
    "to chuc hiep uoc bac dai tay duong": "nato", "uc": "australia",
}

# Words of kinship a story addresses people by ("anh Sơn", "dượng Định"), capitalised at a
# sentence's start and then read into the name.
KIN_WORDS = {"Dượng", "Chú", "Bác", "Cô", "Dì", "Cậu", "Mợ", "Thím", "Anh", "Chị", "Em", "Ông", "Bà", "Cụ", "Cháu", "Bé"}

# The commonest Vietnamese family names: a capitalised name starting with one is a person.
SURNAMES = {"nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ", "hồ",
            "ngô", "dương", "lý", "đinh", "đoàn", "lâm", "trương", "mai", "cao", "tạ", "trịnh", "lưu", "tô", "hà",
            "văn", "thái", "châu", "quách", "kiều", "khúc", "lương", "triệu", "chu", "đàm", "lã", "phùng", "vương",
            "đào", "doãn", "lại", "khổng", "tôn", "hứa", "diệp", "mạc", "nghiêm", "cù", "lò"}

# Verbs that report speech, longest first so "tái khẳng định" wins over "khẳng định".
SPEECH_VERBS = sorted({
    "nói", "cho biết", "khẳng định", "tái khẳng định", "nhấn mạnh", "phát biểu", "tuyên bố", "chia sẻ", "viết",
    "cảnh báo", "bày tỏ", "thừa nhận", "lưu ý", "nêu rõ", "cho hay", "giải thích", "nhận định",
    "đánh giá", "kêu gọi", "tiết lộ", "thông báo", "cam kết", "khuyến cáo", "chỉ rõ",
    "nhắc lại", "nói thêm", "cho rằng", "trả lời phỏng vấn", "phân trần", 
    "xác nhận", "bác bỏ", "phủ nhận", "nhận xét", "tâm sự", "thổ lộ", "bình luận", 
    "dẫn lời", "nhấn mạnh thêm", "cảnh cáo", "hứa", "tuyên bố rằng", "dự đoán", "cáo buộc", "đưa tin",
    "khai nhận", "cho hay rằng", "nói rằng", "nhận định rằng", "lo ngại", "tỏ ý",
}, key=len, reverse=True)

# Words that stand for a person named before: a speaker they refer back to.
PRONOUN_SPEAKERS = {"ông", "bà", "ông ấy", "bà ấy", "ông này", "bà này", "anh", "chị", "anh này", "chị này", "người này",
                    "vị này", "ông ta", "bà ta", "cô", "cô ấy", "anh ấy", "nhà lãnh đạo", "chiến lược gia", "vị thuyền trưởng",
                    "vị chuyên gia", "chuyên gia này", "nữ diễn viên", "nam diễn viên", "vị tướng", "vị quan chức"}
