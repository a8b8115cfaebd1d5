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
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urljoin

from diemtin.config import Network
from diemtin.errors import require
from diemtin.links import http_url
from diemtin.types import Problem

# A news page or feed is well under this; more is not one article.
MAX_DOWNLOAD_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 20
MAX_REDIRECTS = 5
USER_AGENT = "diemtin/0.1 (+news digest)"
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


class Fetcher:
    """GET requests under the rules above, on one kept-alive client."""

    def __init__(self, allow_private: tuple[Network, ...] | None = (), timeout: float = TIMEOUT_SECONDS,
                 max_bytes: int = MAX_DOWNLOAD_BYTES):
        httpx = require("httpx", "httpx", "service")
        httpcore = require("httpcore", "httpx", "service")
        transport = httpx.HTTPTransport(retries=0)
        # httpx builds its connection pool with no way to pass httpcore's network backend: the
        # pool is made again here with the guarded one (the same settings as httpx's defaults).
        transport._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), max_connections=10,
                                                  max_keepalive_connections=5, keepalive_expiry=5.0,
                                                  network_backend=_guarded_backend(allow_private))
        self.client = httpx.Client(transport=transport, trust_env=False, follow_redirects=False,
                                   timeout=timeout, headers={"User-Agent": USER_AGENT})
        self.max_bytes = max_bytes
        self._httpx = httpx

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_) -> None:
        self.close()

    def get(self, url: str) -> bytes | Problem:
        """The body at ``url`` (redirects followed), or a Problem naming the URL and what to do."""
        httpx = self._httpx
        current = url
        for hop in range(MAX_REDIRECTS + 1):
            where = "" if hop == 0 else f"redirected to {current}: "
            why = scheme_refusal(current)
            if why:
                return Problem(url, where + why)
            try:
                with self.client.stream("GET", current) as response:
                    if response.is_redirect:
                        current = urljoin(current, response.headers["location"])
                        continue
                    if response.status_code >= 400:
                        return Problem(url, f"{where}the server answered {response.status_code} "
                                            f"{response.reason_phrase}; check the address")
                    return self._body(url, response)
            except RefusedAddress as exc:
                return Problem(url, f"{where}refused: {exc}")
            except httpx.TimeoutException:
                return Problem(url, f"{where}no answer within {self.client.timeout.read or TIMEOUT_SECONDS:.0f} s; "
                                    "try again later")
            except (httpx.HTTPError, httpx.InvalidURL, ValueError, OSError) as exc:
                return Problem(url, f"{where}cannot fetch the page ({exc}); check the address and the network")
        return Problem(url, f"more than {MAX_REDIRECTS} redirects; give the final address")

    def _body(self, url: str, response) -> bytes | Problem:
        chunks, size = [], 0
        # decoded bytes are counted, so a small gzip body that inflates past the limit stops too
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                return Problem(url, f"the page is larger than {self.max_bytes // 2**20} MB; not a news article")
            chunks.append(chunk)
        return b"".join(chunks)
