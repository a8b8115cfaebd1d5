"""Summary sentences read as sentences (issue 24): no subheadings, captions or cut-off lines.

On these dev clusters the summariser chose, before the filter, "Ngày mai có thể sẽ đưa đồng hồ
nước đi kiểm định" (a subheading), "Fabregas và Semaan tại thành phố biển Miami, Florida (Mỹ),
hôm 20/5." (a photo caption) and "Hậu vệ: 2-DeAndre Yedlin (Tottenham), 3-Steve Birnbaum (D.C."
(a squad list cut at an abbreviation). bench/fragments.py counts them over both dev files.
"""

from __future__ import annotations

from diemtin.ingest import read_sources
from diemtin.summarizer import summarize, summarize_clusters
from diemtin.text.tagger import has_predicate
from diemtin.text.sentences import ends_like_sentence
from diemtin.types import Article
from tests.conftest import VIMS, needs_shared

CHOSE_FRAGMENTS = {
    "vims-004": "9.500 bài viết, ý kiến",
    "vims-031": "Ngày mai có thể sẽ đưa đồng hồ nước đi kiểm định",
    "vims-050": "Hậu vệ: 2-DeAndre Yedlin (Tottenham), 3-Steve Birnbaum (D.C.",
    "vims-058": "Fabregas và Semaan tại thành phố biển Miami, Florida (Mỹ), hôm 20/5.",
    "vims-079": "Phát hiện thi thể phụ nữ trong bao tải",
}


@needs_shared(VIMS)
def test_the_summariser_chooses_sentences_not_subheadings_or_captions():
    clusters = [c for c in read_sources([VIMS]).clusters if c.id in CHOSE_FRAGMENTS]
    assert len(clusters) == len(CHOSE_FRAGMENTS)
    for cluster, summary in zip(clusters, summarize_clusters(clusters, length=230)):
        texts = [s.text for s in summary.sentences]
        assert len(texts) >= 3, cluster.id  # the budget is still filled with sentences
        assert CHOSE_FRAGMENTS[cluster.id] not in texts
        assert all(ends_like_sentence(t) and has_predicate(t) for t in texts), (cluster.id, texts)


def test_articles_without_any_final_punctuation_are_still_summarised():
    # Some sources drop every full stop; their sentences are chosen from as they are.
    lines = ["Sáng nay mưa lớn gây ngập nhiều tuyến phố ở Hà Nội",
             "Nhiều xe máy chết máy giữa đường khiến giao thông ùn tắc kéo dài",
             "Cơ quan khí tượng dự báo mưa còn kéo dài đến hết tuần"]
    summary = summarize([Article("a", "Mưa lớn ở Hà Nội", "\n".join(lines)),
                         Article("b", "Hà Nội ngập", "\n".join(reversed(lines)))], length=40)
    assert summary.sentences and all(s.text in lines for s in summary.sentences)
