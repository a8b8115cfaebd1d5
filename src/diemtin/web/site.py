"""The reader's pages: the digest (/), a story, an article with its numbered sentences, search,
and the API's own documentation page (/docs). Server-rendered, no script (``web.pages``)."""

# No "from __future__ import annotations": FastAPI reads the parameters from the live annotations.

from collections import defaultdict

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from diemtin.sections import section_slug, sections
from diemtin.text.sentences import article_sentences
from diemtin.types import Article
from diemtin.web.api import MAX_LIMIT, MAX_OFFSET, DigestOrder
from diemtin.web.feeds import ATOM, FEED_SINCE, FEED_STORIES, atom_feed
from diemtin.web.pages import STATIC, render_page
from diemtin.web.service import Service


def site_router(service: Service) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    limit_query = Query(20, ge=1, le=MAX_LIMIT)

    @router.get("/", response_class=HTMLResponse)
    def page_digest(since: str = Query("24h", max_length=40), at: str | None = Query(None, max_length=40),
                    limit: int = limit_query, order: DigestOrder = Query("rank"),
                    offset: int = Query(0, ge=0, le=MAX_OFFSET)):
        digest = service.digest(since, at, limit, order, offset)
        return render_page("digest.html", digest=digest, since_param=since, query="", fold=False,
                           now=digest["generated_at"], home=True)

    def section_named(slug: str) -> str:
        names = {section_slug(name): name for name in sections()}
        if slug not in names:
            raise HTTPException(404, f"Không có chuyên mục '{slug}'.")
        return names[slug]

    @router.get("/sections/{slug}", response_class=HTMLResponse)
    def page_section(slug: str, since: str = Query("7d", max_length=40), at: str | None = Query(None, max_length=40),
                     limit: int = limit_query, order: DigestOrder = Query("rank"),
                     offset: int = Query(0, ge=0, le=MAX_OFFSET)):
        section = section_named(slug)
        digest = service.digest(since, at, limit, order, offset, section)
        return render_page("digest.html", digest=digest, since_param=since, query="", fold=False,
                           now=digest["generated_at"], section=section)

    @router.get("/feed.atom")
    def feed_digest(request: Request):
        digest = service.digest(FEED_SINCE, None, FEED_STORIES, "newest")
        return Response(atom_feed(digest, str(request.base_url), "Điểm tin", "/feed.atom"), media_type=ATOM)

    @router.get("/sections/{slug}/feed.atom")
    def feed_section(slug: str, request: Request):
        section = section_named(slug)
        digest = service.digest(FEED_SINCE, None, FEED_STORIES, "newest", 0, section)
        return Response(atom_feed(digest, str(request.base_url), f"{section} — Điểm tin", f"/sections/{slug}/feed.atom"),
                        media_type=ATOM)

    @router.get("/stories/{story_id:path}", response_class=HTMLResponse)
    def page_story(story_id: str):
        return render_page("story.html", entry=service.story_entry(story_id), query="", fold=False)

    @router.get("/articles/{article_id:path}", response_class=HTMLResponse)
    def page_article(article_id: str):
        article = service.store.article(article_id)
        if article is None:
            raise HTTPException(404, f"Không có bài viết '{article_id}'.")
        record = Article(article["id"], article["title"], article["text"], article["sapo"])
        # the same sentence numbers as the summariser's citations
        paragraphs: dict[int, list] = defaultdict(list)
        for sentence in article_sentences(record):
            paragraphs[sentence.paragraph].append(sentence)
        return render_page("article.html", article=article, paragraphs=list(paragraphs.values()), query="",
                           fold=False)

    @router.get("/search", response_class=HTMLResponse)
    def page_search(q: str = Query("", max_length=200), fold: bool = Query(False), limit: int = limit_query):
        results = service.search(q, fold, limit) if q.strip() else {"articles": [], "stories": []}
        return render_page("search.html", query=q, fold=fold, results=results)

    @router.get("/docs", response_class=HTMLResponse)
    def page_api(request: Request):
        return render_page("api.html", schema=request.app.openapi(), query="", fold=False)

    @router.get("/static/style.css")
    def stylesheet():
        return Response((STATIC / "style.css").read_text(encoding="utf-8"), media_type="text/css")

    return router
