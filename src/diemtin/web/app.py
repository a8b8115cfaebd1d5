"""The HTTP API (JSON under /api, OpenAPI at /docs) and the reader's web page, in one FastAPI app.

    diemtin serve                       # http://127.0.0.1:8000, SQLite diemtin.db
    DIEMTIN_API_TOKEN=... diemtin serve # enables POST /api/articles
"""

# No "from __future__ import annotations": FastAPI reads the request models defined inside
# create_app from the live annotations.

import contextlib
import hmac
import json
import threading
from collections import defaultdict

from diemtin.config import Settings
from diemtin.errors import DiemtinError, require
from diemtin.links import http_url
from diemtin.store import Store, ingest_articles
from diemtin.web.pages import CONTENT_SECURITY_POLICY, STATIC, render_page

# A request body over this is refused before it is read: 2 MB holds a few hundred articles.
MAX_REQUEST_BYTES = 2 * 1024 * 1024
MAX_LIMIT = 200
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# Validation errors as the reader's pages say them (pydantic's error types).
VALIDATION_VI = {
    "string_too_long": "dài quá {max_length} ký tự", "string_too_short": "cần ít nhất {min_length} ký tự",
    "int_parsing": "phải là một số nguyên", "bool_parsing": "phải là có (true) hoặc không (false)",
    "greater_than_equal": "phải từ {ge} trở lên", "less_than_equal": "phải không quá {le}", "missing": "còn thiếu",
}


def create_app(store: Store | None = None, token: str | None = None, refresh: bool = True):
    """The app over ``store`` (default: ``Store.open()``); ``token`` defaults to DIEMTIN_API_TOKEN.

    ``refresh``: while the app runs, a background worker writes stale summaries and missing
    facts (``web.refresher``); requests only read.
    """
    fastapi = require("fastapi", "fastapi", "service")
    from fastapi import Depends, FastAPI, Header, Query, Request  # noqa: PLC0415
    from fastapi.exceptions import RequestValidationError  # noqa: PLC0415
    from fastapi.responses import HTMLResponse, JSONResponse, Response  # noqa: PLC0415
    from pydantic import BaseModel, Field, field_validator  # noqa: PLC0415
    from starlette.exceptions import HTTPException as StarletteHTTPException  # noqa: PLC0415

    from diemtin.digest import build_digest, digest_entry  # noqa: PLC0415
    from diemtin.text.sentences import article_sentences  # noqa: PLC0415
    from diemtin.types import Article  # noqa: PLC0415

    store = store or Store.open()
    token = token if token is not None else Settings.from_env().api_token
    write_lock = threading.Lock()
    @contextlib.asynccontextmanager
    async def lifespan(_app):
        refresher = None
        if refresh:
            from diemtin.web.refresher import Refresher  # noqa: PLC0415

            refresher = Refresher(store)
            refresher.start()
        try:
            yield
        finally:
            if refresher is not None:
                refresher.stop()

    # No Swagger UI: it loads its scripts from a CDN. /docs is a page of the app's own, under its
    # policy, drawn from the same OpenAPI schema (/openapi.json).
    app = FastAPI(title="diemtin", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Vietnamese news stories with cited summaries. Pages at /, JSON under /api.")

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
        articles: list[ArticleIn] = Field(..., min_length=1, max_length=500)

    @app.middleware("http")
    async def limits_and_headers(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is None and request.method in ("POST", "PUT", "PATCH"):
            # a chunked body could be of any size: ask for its length up front
            return JSONResponse({"error": "send a Content-Length header with the request body"}, status_code=411)
        if length is not None and (not length.isdigit() or int(length) > MAX_REQUEST_BYTES):
            return JSONResponse({"error": f"the request body is larger than {MAX_REQUEST_BYTES // 2**20} MB; "
                                          "send fewer articles per request"}, status_code=413)
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith(("/api", "/openapi.json"))

    def error_response(request: Request, status: int, message: str, vi: str | None = None, headers=None):
        """JSON ``{"error": message}`` for the API; for the reader's pages, a page in Vietnamese."""
        if wants_html(request):
            heading = {404: "Không tìm thấy", 400: "Yêu cầu không hợp lệ", 500: "Lỗi máy chủ"}.get(status, "Lỗi")
            text = vi or {404: f"Không có nội dung nào ở địa chỉ {request.url.path}.",
                          500: "Máy chủ gặp lỗi khi trả lời; nhật ký của máy chủ có chi tiết."}.get(
                              status, "Yêu cầu này không hợp lệ.")
            return HTMLResponse(render_page("error.html", heading=heading, message=text, query="", fold=False),
                                status_code=status, headers=headers)
        return JSONResponse({"error": message}, status_code=status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        return error_response(request, exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        if wants_html(request):
            said = [f"tham số {e['loc'][-1]} " + VALIDATION_VI.get(e["type"], "không hợp lệ").format(**e.get("ctx", {}))
                    for e in exc.errors()]
            return error_response(request, 400, "; ".join(problems), vi="Yêu cầu không hợp lệ: " + "; ".join(said) + ".")
        return JSONResponse({"error": "the request is not valid", "details": problems}, status_code=422)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception):
        import logging  # noqa: PLC0415

        logging.getLogger("diemtin").exception("error serving %s", request.url.path)
        return error_response(request, 500, "internal error; the server log has the details")

    @app.exception_handler(DiemtinError)
    async def diemtin_error(request: Request, exc: DiemtinError):
        return error_response(request, 400, str(exc), vi=exc.vi)

    def require_token(authorization: str = Header("", description="Bearer <DIEMTIN_API_TOKEN>")) -> None:
        if not token:
            raise fastapi.HTTPException(403, "adding articles is disabled: start the server with DIEMTIN_API_TOKEN set")
        given = authorization[7:] if authorization.startswith("Bearer ") else ""
        if not hmac.compare_digest(given.encode(), token.encode()):  # constant time
            raise fastapi.HTTPException(401, "a valid 'Authorization: Bearer <token>' header is needed",
                                        headers={"WWW-Authenticate": 'Bearer realm="diemtin"'})

    def story_entry(story_id: str) -> dict:
        story = store.story(story_id)
        if story is None:
            raise fastapi.HTTPException(404, f"no story with id '{story_id}'")
        return digest_entry(story, 1, 0.0)

    limit_query = Query(20, ge=1, le=MAX_LIMIT)
    digest_cache: dict = {}  # key -> [digest, its JSON bytes once asked for]
    search_cache: dict = {}

    def bounded_put(cache: dict, key, value, size: int = 64):
        if len(cache) > size:
            cache.clear()
        cache[key] = value
        return value

    def digest_entry_for(since: str, at: str | None, limit: int) -> list:
        # Ranking reads every story of the window (700 ms for 12,700 stories); the result only
        # changes when a story, summary or facts change, or as the clock moves: cache it per minute.
        from diemtin.times import utcnow  # noqa: PLC0415

        key = (since, at or utcnow().strftime("%Y-%m-%dT%H:%M"), limit, store.version())
        if key not in digest_cache:
            bounded_put(digest_cache, key, [build_digest(store, since=since, at=at, limit=limit), None])
        return digest_cache[key]

    def cached_digest(since: str, at: str | None, limit: int) -> dict:
        return digest_entry_for(since, at, limit)[0]

    def cached_digest_json(since: str, at: str | None, limit: int) -> bytes:
        # Encoding a 460 kB digest takes 70 ms, most of a request's time: keep the bytes too.
        entry = digest_entry_for(since, at, limit)
        if entry[1] is None:
            entry[1] = json.dumps(entry[0], ensure_ascii=False, default=str).encode()
        return entry[1]

    def cached_search(q: str, fold: bool, limit: int) -> dict:
        # A search scans the text of every article (300-400 ms for 35,000); the same question
        # asked again gets the same answer until the store changes.
        key = (q, fold, limit, store.version())
        found = search_cache.get(key)
        return found if found is not None else bounded_put(search_cache, key, store.search(q, fold=fold, limit=limit),
                                                           size=256)

    # ---- JSON API --------------------------------------------------------------------

    @app.get("/api/digest", tags=["api"], summary="Ranked stories of a time window, with cited summaries")
    def api_digest(since: str = Query("24h", max_length=40, description="24h, 7d, an ISO date, or all"),
                   at: str | None = Query(None, max_length=40, description="digest as of this time (default now)"),
                   limit: int = limit_query):
        return Response(cached_digest_json(since, at, limit), media_type="application/json")

    @app.get("/api/stories", tags=["api"], summary="Stories, newest first")
    def api_stories(limit: int = limit_query, offset: int = Query(0, ge=0, le=10_000_000)):
        return {"stories": store.stories(limit=limit, offset=offset)}

    @app.get("/api/stories/{story_id:path}", tags=["api"], summary="One story: summary, outlets, articles")
    def api_story(story_id: str):
        return story_entry(story_id)

    @app.get("/api/articles/{article_id:path}", tags=["api"], summary="One article with its text")
    def api_article(article_id: str):
        article = store.article(article_id)
        if article is None:
            raise fastapi.HTTPException(404, f"no article with id '{article_id}'")
        return article

    @app.get("/api/search", tags=["api"], summary="Search articles and stories")
    def api_search(q: str = Query(..., min_length=1, max_length=200),
                   fold: bool = Query(False, description="ignore diacritics: 'ha noi' finds 'Hà Nội'"),
                   limit: int = limit_query):
        return cached_search(q, fold, limit)

    @app.post("/api/articles", tags=["api"], summary="Add articles (token needed); they join stories",
              dependencies=[Depends(require_token)])
    def api_add(body: ArticlesIn):
        from diemtin.ingest.readers import article_from_json  # noqa: PLC0415

        articles, problems = [], []
        for position, given in enumerate(body.articles, start=1):
            article = article_from_json(given.model_dump(), default_id="")
            if isinstance(article, str):
                problems.append(f"article {position}: {article}")
                continue
            if not article.id:
                from diemtin.ingest.web import article_id_for  # noqa: PLC0415
                from diemtin.dedup import text_key  # noqa: PLC0415

                article.id = article_id_for(article.url, "api-" + text_key(article)[:16])
            articles.append(article)
        with write_lock:  # one writer in this process; the database serialises processes
            # stored, clustered and readable now; learned summaries and facts follow in the background
            report = ingest_articles(store, articles, summarize=False, facts=False, jobs=1)
        result = report.to_dict()
        result["problems"] = problems
        return JSONResponse(result, status_code=201 if report.stored else 200)

    # ---- pages -----------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page_digest(since: str = Query("24h", max_length=40), at: str | None = Query(None, max_length=40),
                    limit: int = limit_query):
        digest = cached_digest(since, at, limit)
        return render_page("digest.html", digest=digest, query="", fold=False)

    @app.get("/stories/{story_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def page_story(story_id: str):
        return render_page("story.html", entry=story_entry(story_id), query="", fold=False)

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def page_article(article_id: str):
        article = store.article(article_id)
        if article is None:
            raise fastapi.HTTPException(404, f"Không có bài viết '{article_id}'.")
        record = Article(article["id"], article["title"], article["text"], article["sapo"])
        # the same sentence numbers as the summariser's citations
        paragraphs: dict[int, list] = defaultdict(list)
        for sentence in article_sentences(record):
            paragraphs[sentence.paragraph].append(sentence)
        return render_page("article.html", article=article, paragraphs=list(paragraphs.values()), query="",
                           fold=False)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def page_search(q: str = Query("", max_length=200), fold: bool = Query(False), limit: int = limit_query):
        results = cached_search(q, fold, limit) if q.strip() else {"articles": [], "stories": []}
        return render_page("search.html", query=q, fold=fold, results=results)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def page_api():
        return render_page("api.html", schema=app.openapi(), query="", fold=False)

    @app.get("/static/style.css", include_in_schema=False)
    def stylesheet():
        return Response((STATIC / "style.css").read_text(encoding="utf-8"), media_type="text/css")

    return app


def serve(database: str | None = None, host: str = "127.0.0.1", port: int = 8000) -> None:
    uvicorn = require("uvicorn", "uvicorn", "service")
    store = Store.open(database)
    print(f"diemtin: serving {store.url} at http://{host}:{port}/ (API docs at /docs)", flush=True)
    # keep-alive longer than a busy client's wait between requests, so a reused connection is
    # not closed under it (seen as read errors with 50 clients at 5 s, uvicorn's default)
    uvicorn.run(create_app(store), host=host, port=port, log_level="warning", timeout_keep_alive=30)
