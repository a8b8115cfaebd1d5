"""The HTTP API (JSON under /api, OpenAPI at /docs) and the reader's web page, in one FastAPI app.

    diemtin serve                       # http://127.0.0.1:8000, SQLite diemtin.db
    DIEMTIN_API_TOKEN=... diemtin serve # enables POST /api/articles
"""

import contextlib
import threading
from collections.abc import Callable

from diemtin.config import Settings
from diemtin.errors import DiemtinError, require
from diemtin.store import Store
from diemtin.web.pages import CONTENT_SECURITY_POLICY, render_page

# A request body over this is refused before it is read: 2 MB holds a few hundred articles.
MAX_REQUEST_BYTES = 2 * 1024 * 1024
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


def create_app(store: Store | None = None, token: str | None = None, refresh: bool = True,
               watch: Callable[[Store], object] | None = None):
    """The app over ``store`` (default: ``Store.open()``); ``token`` defaults to DIEMTIN_API_TOKEN.

    ``refresh``: while the app runs, a background worker writes stale summaries and missing
    facts (``web.refresher``); requests only read. ``watch``: makes a ``watch.Watcher`` over the
    store when the app starts; it polls in a thread of its own (``diemtin serve --watch``), and
    the app's shutdown stops it after its poll's writes (``app.state.watcher`` and
    ``app.state.watching``, the thread). The routes live by resource in ``web.api`` (JSON) and
    ``web.site`` (pages); this adds the limits, headers and error handling they share.
    """
    require("fastapi", "fastapi", "service")
    from fastapi import FastAPI, Request  # noqa: PLC0415
    from fastapi.exceptions import RequestValidationError  # noqa: PLC0415
    from fastapi.responses import HTMLResponse, JSONResponse  # noqa: PLC0415
    from starlette.exceptions import HTTPException as StarletteHTTPException  # noqa: PLC0415

    from diemtin.web.api import api_router  # noqa: PLC0415
    from diemtin.web.metrics import metrics_router  # noqa: PLC0415
    from diemtin.web.service import Service  # noqa: PLC0415
    from diemtin.web.site import site_router  # noqa: PLC0415

    store = store or Store.open()
    service = Service(store, token if token is not None else Settings.from_env().api_token)

    @contextlib.asynccontextmanager
    async def lifespan(app_):
        refresher = watcher = None
        if refresh:
            from diemtin.web.refresher import Refresher  # noqa: PLC0415

            refresher = Refresher(store)
            refresher.start()
        if watch is not None:
            watcher = watch(store)  # claims its feeds: refuses, before serving, those another watch owns
            app_.state.watcher = watcher
            app_.state.watching = threading.Thread(target=watcher.run, name="diemtin-watch", daemon=True)
            app_.state.watching.start()
        try:
            yield
        finally:
            if watcher is not None:
                watcher.stop.set()
                app_.state.watching.join()
                watcher.close()
            if refresher is not None:
                refresher.stop()

    # No Swagger UI: it loads its scripts from a CDN. /docs is a page of the app's own, under its
    # policy, drawn from the same OpenAPI schema (/openapi.json).
    app = FastAPI(title="diemtin", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Vietnamese news stories with cited summaries. Pages at /, JSON under /api.")
    app.include_router(api_router(service))
    app.include_router(site_router(service))
    app.include_router(metrics_router(service))

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

    return app


def serve(database: str | None = None, host: str = "127.0.0.1", port: int = 8000,
          watch: Callable[[Store], object] | None = None) -> None:
    uvicorn = require("uvicorn", "uvicorn", "service")
    store = Store.open(database)
    print(f"diemtin: serving {store.url} at http://{host}:{port}/ (API docs at /docs)"
          + (", following the outlets" if watch else ""), flush=True)
    # keep-alive longer than a busy client's wait between requests, so a reused connection is
    # not closed under it (seen as read errors with 50 clients at 5 s, uvicorn's default)
    uvicorn.run(create_app(store, watch=watch), host=host, port=port, log_level="warning", timeout_keep_alive=30)
