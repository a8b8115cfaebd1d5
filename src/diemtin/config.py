"""Settings read from the environment (``DIEMTIN_*``) and the defaults every layer shares, in one place.

Commands and the web app read ``Settings.from_env()`` once when they start; a flag given on
the command line wins over the environment.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass

from diemtin.errors import DiemtinError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Summary budget in syllables: a typical Vietnamese news summary (ViMs and AbMuSu medians are 200-230).
DEFAULT_LENGTH = 200
# Articles per store transaction: large enough that word segmentation runs over all cores and
# the story layer's state is saved rarely, small enough that a crash costs a minute or two of work.
CHUNK = 5000
# Articles ``diemtin batch`` clusters at a time on its driver. The driver holds one window's texts
# and terms (about 40 KB an article) besides the stories still open, so its memory follows this,
# not the archive's size (docs/SCALING.md).
BATCH_WINDOW = 10000
DEFAULT_DATABASE = "diemtin.db"
# How a digest orders the stories of its window: by rank (the default), newest news first, or
# most outlets first. Here, not in ``digest``, so the CLI names them without importing the store.
DIGEST_ORDERS = ("rank", "newest", "outlets")

# Private, loopback and link-local addresses are refused by default: a fetch would reach the
# server's own network (an intranet page, a cloud metadata service at 169.254.169.254).
# "all" (or 1, true, yes) lets every address through; a list of networks only those.
ALLOW_PRIVATE_ENV = "DIEMTIN_ALLOW_PRIVATE_URLS"
_ALL = {"1", "true", "yes", "all", "*"}
_NONE = {"", "0", "false", "no", "none"}


def private_networks(value: str | None) -> tuple[Network, ...] | None:
    """The private networks a setting allows fetching from: ``()`` none, ``None`` all.

    >>> private_networks("10.1.0.0/16, 192.168.5.7")
    (IPv4Network('10.1.0.0/16'), IPv4Network('192.168.5.7/32'))
    >>> private_networks("1") is None, private_networks("")
    (True, ())
    """
    text = (value or "").strip().lower()
    if text in _NONE:
        return ()
    if text in _ALL:
        return None
    networks = []
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError:
            raise DiemtinError(f"cannot read '{part.strip()}' as a network in {ALLOW_PRIVATE_ENV} or "
                               "--allow-private-urls; give 'all', or networks like 10.0.0.0/8,192.168.1.20") from None
    return tuple(networks)


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str | None = None  # DIEMTIN_DATABASE_URL; None: diemtin.db here
    api_token: str = ""  # DIEMTIN_API_TOKEN; empty: POST /api/articles is disabled
    # DIEMTIN_ALLOW_PRIVATE_URLS: () refuses every private address, None allows all
    allow_private: tuple[Network, ...] | None = ()
    # DIEMTIN_CONTACT_URL: where an outlet's webmaster can reach whoever runs this diemtin; it
    # goes in the User-Agent of every request
    contact_url: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        return cls(
            database_url=environ.get("DIEMTIN_DATABASE_URL") or None,
            api_token=environ.get("DIEMTIN_API_TOKEN", ""),
            allow_private=private_networks(environ.get(ALLOW_PRIVATE_ENV)),
            contact_url=environ.get("DIEMTIN_CONTACT_URL", "").strip(),
        )
