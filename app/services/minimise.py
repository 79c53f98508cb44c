"""What an acceptance keeps of where it was made: a network, a browser family, a keyed digest.

Issue 15 finding 9: a child's full address and browser string were inside an acceptance's hash,
so they could never be minimised. An acceptance now keeps only what proof needs:

- the network, not the address: an IPv4 address cut to its /24, an IPv6 one to its /48 (enough
  to tell "in school" from "at home" without naming a household's connection);
- the browser family and platform ("Chrome on Windows"), not the full browser string (which,
  with its version numbers, helps single a device out);
- a keyed digest (HMAC-SHA256) of the full address and browser string, under a key derived from
  SECRET_KEY for this purpose only. Whoever holds the key and a claimed address and browser
  string (from the school's firewall log, say) can confirm they match; nobody holding only the
  database can recover them or test guesses (a plain hash of an IPv4 address is reversed by
  trying all four billion).

Change SECRET_KEY and older digests can no longer be compared (the record's hash still holds).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

DIGEST_INFO = b"lantern acceptance client digest"

_BROWSERS = (
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\bOPR/|\bOpera\b")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Firefox", re.compile(r"\b(Firefox|FxiOS)/")),
    ("Chrome", re.compile(r"\b(Chrome|CriOS|Chromium)/")),
    ("Safari", re.compile(r"\bSafari/")),
)
_PLATFORMS = (
    ("iPadOS", re.compile(r"\biPad\b")),
    ("iOS", re.compile(r"\biPhone\b|\biPod\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("macOS", re.compile(r"\bMacintosh\b|\bMac OS X\b")),
    ("Linux", re.compile(r"\bLinux\b")),
)


def network(address: str) -> str:
    """The address's network: IPv4 to its /24, IPv6 to its /48; '' when it is no address."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def browser(user_agent: str) -> str:
    """The browser family and platform of a browser string, e.g. 'Chrome on Windows'."""
    agent = user_agent or ""
    family = next((name for name, pattern in _BROWSERS if pattern.search(agent)), "other")
    platform = next((name for name, pattern in _PLATFORMS if pattern.search(agent)), "")
    return f"{family} on {platform}" if platform else family


def digest_key(secret_key: str) -> bytes:
    """The digest key: derived from SECRET_KEY (HKDF), for acceptance client digests only."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=DIGEST_INFO).derive(
        str(secret_key).encode()
    )


def client_digest(address: str, user_agent: str, key: bytes | None = None) -> str:
    """HMAC-SHA256 of the full address and browser string; compare one with a claimed pair."""
    key = key if key is not None else digest_key(current_app.config["SECRET_KEY"])
    message = f"{(address or '').strip()}\n{user_agent or ''}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
