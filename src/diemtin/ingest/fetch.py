"""Fetching pages and feeds over http(s) without reaching the server's own network.

Every connection is checked where it is made: the host name is resolved, each address is
checked, and the connection goes to the address that was checked (so a name that resolves to a
public address when checked and to 127.0.0.1 when connecting, DNS rebinding, gets nowhere).
Loopback, private, link-local (169.254.169.254, the cloud metadata service), multicast,
reserved and unspecified addresses are refused, in IPv4, IPv6 and IPv6 forms that carry an IPv4
address (v4-mapped, 6to4, Teredo, NAT64). Redirects are followed by hand, at most
``MAX_REDIRECTS``, and each hop is checked again (its scheme here, its address at connect
time). ``allow_private`` (``--allow-private-urls``, ``DIEMTIN_ALLOW_PRIVATE_URLS``) lets
an operator ingest from their own intranet.

The client is httpx with httpcore's network backend wrapped; proxies from the environment are
not used (a proxy would resolve the name itself, out of reach of the check).

Politeness, on every request: the User-Agent names diemtin and the operator's contact URL
(``DIEMTIN_CONTACT_URL``); robots.txt is read once per host (kept ``ROBOTS_TTL_SECONDS``) and
its rules for diemtin are obeyed; one request at a time per host, ``host_interval`` seconds
apart (or the host's Crawl-delay, if longer); a 5xx answer, a timeout or a broken connection
is retried at most ``retries`` times with doubling waits (a short Retry-After is honoured).
``fetch`` sends an earlier answer's ETag and Last-Modified and says when the server answers
304 Not Modified, so a poller downloads a feed only when it changed.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urljoin, urlparse
from urllib.robotparser import RobotFileParser

from diemtin.config import Network, Settings
from diemtin.errors import require
from diemtin.links import http_url
from diemtin.types import Problem

# A news page or feed is well under this; more is not one article.
MAX_DOWNLOAD_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 20
MAX_REDIRECTS = 5
ROBOT_NAME = "diemtin"
# One request per host at most this often, unless its robots.txt asks for longer.
HOST_INTERVAL_SECONDS = 1.0
RETRIES = 2
RETRY_WAIT_SECONDS = 1.0
# A Retry-After longer than this is not waited for: the request fails and a later poll tries.
MAX_RETRY_AFTER_SECONDS = 30.0
ROBOTS_TTL_SECONDS = 24 * 3600
MAX_ROBOTS_BYTES = 512 * 1024


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("diemtin")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "dev"


def user_agent(contact_url: str = "") -> str:
    """The User-Agent of every request: diemtin, its version and the operator's contact.

    >>> user_agent("https://tin.example.vn/bot").split(" ", 1)[1]
    '(news digest; +https://tin.example.vn/bot)'
    """
    return f"{ROBOT_NAME}/{_version()} (news digest{'; +' + contact_url if contact_url else ''})"


USER_AGENT = user_agent()
ALLOW_HINT = "pass --allow-private-urls (or set DIEMTIN_ALLOW_PRIVATE_URLS=1) to ingest from your own network"
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (v4-mapped, 6to4, Teredo's client, NAT64)."""
    if ip.version == 4:
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_refusal(address: str, allowed: Iterable[Network] | None = ()) -> str | None:
    """Why ``address`` may not be connected to, or None. ``allowed``: private networks let
    through (``None``: all of them).

    >>> address_refusal("169.254.169.254")
    'a link-local address'
    >>> address_refusal("::ffff:127.0.0.1"), address_refusal("8.8.8.8")
    ('a loopback address', None)
    """
    if allowed is None:
        return None
    ip = ipaddress.ip_address(address.split("%")[0])
    ip = _embedded_ipv4(ip) or ip  # an IPv6 form of an IPv4 address goes where the IPv4 one does
    if any(ip.version == network.version and ip in network for network in allowed):
        return None
    for kind, test in (("a loopback", ip.is_loopback), ("a link-local", ip.is_link_local),
                       ("a multicast", ip.is_multicast), ("an unspecified", ip.is_unspecified),
                       ("a private", ip.is_private), ("a reserved", ip.is_reserved), ("a non-public", not ip.is_global)):
        if test:
            return f"{kind} address"
    return None


class RefusedAddress(Exception):
    """A connection to an address that ``address_refusal`` refuses."""

    def __init__(self, host: str, address: str, why: str):
        super().__init__(f"{host} resolves to {address}, {why}; {ALLOW_HINT}" if host != address
                         else f"{address} is {why}; {ALLOW_HINT}")


def _guarded_backend(allowed: tuple[Network, ...] | None):
    httpcore = require("httpcore", "httpx", "service")

    class GuardedBackend(httpcore.NetworkBackend):
        """httpcore's own socket backend, connecting only to addresses that were checked."""

        def __init__(self):
            self.inner = httpcore.SyncBackend()

        def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            try:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except OSError as exc:
                raise httpcore.ConnectError(f"cannot resolve the host {host} ({exc})") from None
            refused, failed = None, None
            for *_, sockaddr in infos:
                address = sockaddr[0]
                why = address_refusal(address, allowed)
                if why:
                    refused = refused or RefusedAddress(host, address, why)
                    continue
                try:
                    return self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
                except httpcore.ConnectError as exc:
                    failed = exc
            raise failed or refused

        def connect_unix_socket(self, path, timeout=None, socket_options=None):
            raise httpcore.ConnectError("only TCP connections are made")

        def sleep(self, seconds):
            self.inner.sleep(seconds)

    return GuardedBackend()


def scheme_refusal(url: str) -> str | None:
    if not http_url(url):
        return "only http:// and https:// addresses can be fetched"
    return None


@dataclass(slots=True)
class Fetched:
    """What one ``Fetcher.fetch`` got: a body, or ``not_modified``, or a ``problem``."""

    url: str
    body: bytes | None = None
    not_modified: bool = False
    problem: Problem | None = None
    etag: str = ""  # the validators to send next time
    last_modified: str = ""
    status: int = 0
    attempts: int = 0


class _Host:
    """A host's robots.txt rules and the time of its last request, behind its own lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.robots: RobotFileParser | None = None
        self.robots_problem = ""  # robots.txt could not be read: nothing is fetched from the host
        self.robots_read = -1e18
        self.last_request = -1e18


class Fetcher:
    """GET requests under the rules above, on one kept-alive client."""

    def __init__(self, allow_private: tuple[Network, ...] | None = (), timeout: float = TIMEOUT_SECONDS,
                 max_bytes: int = MAX_DOWNLOAD_BYTES, host_interval: float = HOST_INTERVAL_SECONDS,
                 retries: int = RETRIES, retry_wait: float = RETRY_WAIT_SECONDS, contact_url: str | None = None):
        httpx = require("httpx", "httpx", "service")
        httpcore = require("httpcore", "httpx", "service")
        transport = httpx.HTTPTransport(retries=0)
        # httpx builds its connection pool with no way to pass httpcore's network backend: the
        # pool is made again here with the guarded one (the same settings as httpx's defaults).
        transport._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), max_connections=10,
                                                  max_keepalive_connections=5, keepalive_expiry=5.0,
                                                  network_backend=_guarded_backend(allow_private))
        contact = Settings.from_env().contact_url if contact_url is None else contact_url
        self.client = httpx.Client(transport=transport, trust_env=False, follow_redirects=False,
                                   timeout=timeout, headers={"User-Agent": user_agent(contact)})
        self.max_bytes = max_bytes
        self.host_interval, self.retries, self.retry_wait = host_interval, retries, retry_wait
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._httpx = httpx

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_) -> None:
        self.close()

    def get(self, url: str) -> bytes | Problem:
        """The body at ``url`` (redirects followed), or a Problem naming the URL and what to do."""
        fetched = self.fetch(url)
        return fetched.problem if fetched.problem is not None else fetched.body

    def fetch(self, url: str, etag: str = "", last_modified: str = "") -> Fetched:
        """GET ``url`` under the rules above, redirects followed; with an earlier answer's
        validators, a 304 answer is ``not_modified`` and carries no body."""
        httpx = self._httpx
        current = url
        conditional = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        attempts = 0
        for hop in range(MAX_REDIRECTS + 1):
            where = "" if hop == 0 else f"redirected to {current}: "
            why = scheme_refusal(current)
            if why:
                return Fetched(url, problem=Problem(url, where + why), attempts=attempts)
            host = self._host(current)
            try:
                why = self._robots_refusal(host, current)
                if why:
                    return Fetched(url, problem=Problem(url, where + why), attempts=attempts)
                retry_after = None
                for attempt in range(self.retries + 1):
                    attempts += 1
                    wait = 0.0 if attempt == 0 else (retry_after if retry_after is not None
                                                     else self.retry_wait * 2 ** (attempt - 1))
                    try:
                        with self._turn(host, wait), self.client.stream("GET", current, headers=conditional) as response:
                            status = response.status_code
                            if status == 304 and conditional:
                                return Fetched(url, not_modified=True, etag=response.headers.get("etag", etag),
                                               last_modified=response.headers.get("last-modified", last_modified),
                                               status=status, attempts=attempts)
                            if response.has_redirect_location:
                                current = urljoin(current, response.headers["location"])
                                break
                            if 300 <= status < 400:  # a 3xx that names nowhere to go
                                return Fetched(url, status=status, attempts=attempts, problem=Problem(
                                    url, f"{where}the server answered {status} {response.reason_phrase} with no "
                                         "address to go to; check the address"))
                            if status >= 500 and attempt < self.retries:
                                retry_after = _retry_after(response.headers.get("retry-after"))
                                continue
                            if status >= 400:
                                return Fetched(url, status=status, attempts=attempts, problem=Problem(
                                    url, f"{where}the server answered {status} {response.reason_phrase}"
                                         + (f" after {attempts} tries; try again later" if status >= 500
                                            else "; check the address")))
                            body = self._body(url, response)
                            if isinstance(body, Problem):
                                return Fetched(url, problem=body, status=status, attempts=attempts)
                            return Fetched(url, body=body, etag=response.headers.get("etag", ""),
                                           last_modified=response.headers.get("last-modified", ""),
                                           status=status, attempts=attempts)
                    except (httpx.TimeoutException, httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError):
                        if attempt == self.retries:
                            raise
                        retry_after = None
            except RefusedAddress as exc:
                return Fetched(url, problem=Problem(url, f"{where}refused: {exc}"), attempts=attempts)
            except httpx.TimeoutException:
                return Fetched(url, attempts=attempts, problem=Problem(
                    url, f"{where}no answer within {self.client.timeout.read or TIMEOUT_SECONDS:.0f} s "
                         f"({attempts} tries); try again later"))
            except (httpx.HTTPError, httpx.InvalidURL, ValueError, OSError) as exc:
                return Fetched(url, attempts=attempts, problem=Problem(
                    url, f"{where}cannot fetch the page ({exc}); check the address and the network"))
        return Fetched(url, attempts=attempts,
                       problem=Problem(url, f"more than {MAX_REDIRECTS} redirects; give the final address"))

    def _host(self, url: str) -> _Host:
        parts = urlparse(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._hosts_lock:
            return self._hosts.setdefault(key, _Host())

    @contextmanager
    def _turn(self, host: _Host, wait: float) -> Iterator[None]:
        """Hold the host's lock for one request, ``host_interval`` (or its Crawl-delay) after the last."""
        with host.lock:
            delay = self.host_interval
            if host.robots is not None:
                delay = max(delay, float(host.robots.crawl_delay(ROBOT_NAME) or 0))
            pause = max(wait, host.last_request + delay - time.monotonic())
            if pause > 0:
                time.sleep(pause)
            try:
                yield
            finally:
                host.last_request = time.monotonic()

    def _robots_refusal(self, host: _Host, url: str) -> str | None:
        """Why robots.txt forbids ``url`` to diemtin, or None. Read once per host and kept."""
        if time.monotonic() - host.robots_read > ROBOTS_TTL_SECONDS:
            self._read_robots(host, url)
        if host.robots_problem:
            return host.robots_problem
        if host.robots is not None and not host.robots.can_fetch(ROBOT_NAME, url):
            return "the site's robots.txt does not allow diemtin to fetch this address; it is skipped"
        return None

    def _read_robots(self, host: _Host, url: str) -> None:
        """RFC 9309: a missing robots.txt (4xx) allows everything; one the server fails to give
        (5xx, no answer) allows nothing until it is read again."""
        httpx = self._httpx
        parts = urlparse(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        host.robots, host.robots_problem = None, ""
        host.robots_read = time.monotonic()
        current = robots_url
        try:
            for _ in range(MAX_REDIRECTS + 1):
                if scheme_refusal(current):
                    return
                with self._turn(host, 0.0), self.client.stream("GET", current) as response:
                    if response.has_redirect_location:
                        current = urljoin(current, response.headers["location"])
                        continue
                    if response.status_code >= 500:
                        host.robots_problem = (f"the site's robots.txt is unavailable ({response.status_code}); "
                                               "nothing is fetched from it until it answers; try again later")
                        host.robots_read = time.monotonic() - ROBOTS_TTL_SECONDS + 300  # read again in 5 min
                        return
                    if response.status_code >= 400:
                        return
                    body = self._body(robots_url, response, MAX_ROBOTS_BYTES)
                    if isinstance(body, bytes):
                        rules = RobotFileParser()
                        rules.parse(body.decode("utf-8", errors="replace").splitlines())
                        host.robots = rules
                    return
        except RefusedAddress:
            raise
        except (httpx.HTTPError, httpx.InvalidURL, ValueError, OSError):
            host.robots_problem = "the site's robots.txt could not be read; nothing is fetched from it; try again later"
            host.robots_read = time.monotonic() - ROBOTS_TTL_SECONDS + 300

    def _body(self, url: str, response, limit: int | None = None) -> bytes | Problem:
        limit = limit or self.max_bytes
        chunks, size = [], 0
        # decoded bytes are counted, so a small gzip body that inflates past the limit stops too
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                return Problem(url, f"the page is larger than {limit // 2**20} MB; not a news article")
            chunks.append(chunk)
        return b"".join(chunks)


def _retry_after(value: str | None) -> float | None:
    """A Retry-After in seconds, if it is a number no longer than ``MAX_RETRY_AFTER_SECONDS``."""
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    return seconds if seconds is not None and 0 <= seconds <= MAX_RETRY_AFTER_SECONDS else None
