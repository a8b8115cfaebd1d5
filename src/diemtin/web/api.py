"""The JSON API under /api: digest, stories, articles, search, and adding articles.

Every route declares its response model (the TypedDicts of ``diemtin.types``) and its error
responses, so /openapi.json says exactly what each answer carries; tests/web/test_fuzz.py
checks every response against it.
"""

# No "from __future__ import annotations": FastAPI reads the models from the live annotations.

import hmac
from typing import Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, field_validator
from typing_extensions import NotRequired, TypedDict

from diemtin.config import DIGEST_ORDERS
from diemtin.dedup import text_key
from diemtin.ingest.readers import article_from_json
from diemtin.ingest.web import article_id_for
from diemtin.links import http_url
from diemtin.sections import section_slug, sections
from diemtin.store import ingest_articles
from diemtin.store.update import IngestResult
from diemtin.types import ArticleRecord, Digest, DigestEntry, SearchResult, StoryBrief
from diemtin.web.service import Service

MAX_LIMIT = 200
MAX_OFFSET = 10_000_000
DigestOrder = Literal[DIGEST_ORDERS]  # what ?order= may be, for FastAPI and the OpenAPI schema
MAX_ARTICLES_PER_REQUEST = 500


class ErrorOut(TypedDict):
    error: str
    details: NotRequired[list[str]]  # for 422: what is wrong with the request, field by field


class SectionOut(TypedDict):
    name: str
    slug: str  # its page is /sections/<slug>


class SectionsOut(TypedDict):
    sections: list[SectionOut]


class StoriesPage(TypedDict):
    stories: list[StoryBrief]


class ArticleIn(BaseModel):
    title: str = Field("", max_length=2000)
    text: str = Field(..., min_length=1, max_length=500_000)
    id: str | None = Field(None, max_length=255)
    sapo: str = Field("", max_length=20_000)
    source: str = Field("", max_length=255)
    published: str | None = Field(None, max_length=64)
    url: str = Field("", max_length=2048, description="http:// or https:// only")

    @field_validator("url")
    @classmethod
    def http_only(cls, value: str) -> str:
        if value.strip() and not http_url(value):
            raise ValueError("only http:// and https:// URLs are accepted")
        return value.strip()


class ArticlesIn(BaseModel):
    articles: list[ArticleIn] = Field(..., min_length=1, max_length=MAX_ARTICLES_PER_REQUEST)


def _errors(*codes: int) -> dict:
    described = {400: "a time or option that cannot be read", 401: "no valid token", 403: "adding is disabled",
                 404: "no such story or article", 411: "a body without Content-Length",
                 413: "a body over the size limit", 422: "the request is not valid"}
    return {code: {"model": ErrorOut, "description": described[code]} for code in codes}


def api_router(service: Service) -> APIRouter:
    router = APIRouter(prefix="/api", tags=["api"], responses=_errors(400, 411, 413, 422))
    limit_query = Query(20, ge=1, le=MAX_LIMIT)

    def require_token(authorization: str = Header("", description="Bearer <DIEMTIN_API_TOKEN>")) -> None:
        if not service.token:
            raise HTTPException(403, "adding articles is disabled: start the server with DIEMTIN_API_TOKEN set")
        given = authorization[7:] if authorization.startswith("Bearer ") else ""
        if not hmac.compare_digest(given.encode(), service.token.encode()):  # constant time
            raise HTTPException(401, "a valid 'Authorization: Bearer <token>' header is needed",
                                headers={"WWW-Authenticate": 'Bearer realm="diemtin"'})

    @router.get("/digest", response_model=Digest, summary="Ranked stories of a time window, with cited summaries")
    def api_digest(since: str = Query("24h", max_length=40, description="24h, 7d, an ISO date, or all"),
                   at: str | None = Query(None, max_length=40, description="digest as of this time (default now)"),
                   limit: int = limit_query,
                   order: DigestOrder = Query(
                       "rank", description="rank (default), newest news first, or most outlets first"),
                   offset: int = Query(0, ge=0, le=MAX_OFFSET, description="stories of that order to skip"),
                   section: str | None = Query(None, max_length=64,
                                               description="only this section's stories (a name of /api/sections)")):
        return Response(service.digest_json(since, at, limit, order, offset, section), media_type="application/json")

    @router.get("/sections", response_model=SectionsOut, summary="The news sections stories are classified into")
    def api_sections():
        return {"sections": [{"name": name, "slug": section_slug(name)} for name in sections()]}

    @router.get("/stories", response_model=StoriesPage, summary="Stories, newest first")
    def api_stories(limit: int = limit_query, offset: int = Query(0, ge=0, le=MAX_OFFSET)):
        return {"stories": service.store.stories(limit=limit, offset=offset)}

    @router.get("/stories/{story_id:path}", response_model=DigestEntry, responses=_errors(404),
                summary="One story: summary, outlets, articles")
    def api_story(story_id: str):
        return service.story_entry(story_id)

    @router.get("/articles/{article_id:path}", response_model=ArticleRecord, responses=_errors(404),
                summary="One article with its text")
    def api_article(article_id: str):
        article = service.store.article(article_id)
        if article is None:
            raise HTTPException(404, f"no article with id '{article_id}'")
        return article

    @router.get("/search", response_model=SearchResult, summary="Search articles and stories")
    def api_search(q: str = Query(..., min_length=1, max_length=200),
                   fold: bool = Query(False, description="ignore diacritics: 'ha noi' finds 'Hà Nội'"),
                   limit: int = limit_query):
        return service.search(q, fold, limit)

    @router.post("/articles", response_model=IngestResult, status_code=201, responses={
        200: {"model": IngestResult, "description": "nothing new: every article was already stored"},
        **_errors(401, 403)}, summary="Add articles (token needed); they join stories",
        dependencies=[Depends(require_token)])
    def api_add(body: ArticlesIn):
        articles, problems = [], []
        for position, given in enumerate(body.articles, start=1):
            article = article_from_json(given.model_dump(), default_id="")
            if isinstance(article, str):
                problems.append(f"article {position}: {article}")
                continue
            if not article.id:
                article.id = article_id_for(article.url, "api-" + text_key(article)[:16])
            articles.append(article)
        with service.write_lock:
            # stored, clustered and readable now; learned summaries and facts follow in the background
            report = ingest_articles(service.store, articles, summarize=False, facts=False, jobs=1)
        result = report.to_dict()
        result["problems"] = result["problems"] + problems
        return JSONResponse(result, status_code=201 if report.stored else 200)

    return router
