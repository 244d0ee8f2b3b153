"""The fake GitHub's App side: installation tokens minted for a JWT signed by the App's key,
the App itself (``GET /app``) and a token's user (``GET /user``)."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time
from typing import TYPE_CHECKING, Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

if TYPE_CHECKING:
    from app.github.fake.server import FakeGitHub

_TOKENS = re.compile(r"^/app/installations/(?P<id>\d+)/access_tokens$")


BOT = "paperbot[bot]"  # the login of the fake's App, unless ``gh.slugs`` names another


def keypair() -> tuple[str, str]:
    """A new App key as GitHub hands it out (PEM, ``BEGIN RSA PRIVATE KEY``), and its public
    half, which the fake checks the App's JWTs with."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public.decode()


def app_route(gh: FakeGitHub, path: str, *, authorization: str | None) -> tuple[int, Any]:
    """GET /app (the App the JWT names) or POST /app/installations/{id}/access_tokens."""
    if path != "/app":
        return create_token(gh, path, authorization=authorization)
    claims = _verify(gh, (authorization or "").removeprefix("Bearer ").strip())
    if isinstance(claims, str):
        return 401, {"message": claims}
    app = int(claims["iss"])
    slug = gh.slugs.get(app, "paperbot")
    return 200, {"id": app, "slug": slug, "name": slug, "owner": {"login": "group"}}


def user(gh: FakeGitHub) -> tuple[int, Any]:
    """GET /user: whom a token belongs to; an installation token may not ask (as on GitHub)."""
    me = gh.caller()
    if me["type"] == "Bot" or gh.user_forbidden:
        return 403, {"message": "Resource not accessible by integration"}
    return 200, me


def create_token(gh: FakeGitHub, path: str, *, authorization: str | None) -> tuple[int, Any]:
    """POST /app/installations/{id}/access_tokens, checked as GitHub checks it."""
    m = _TOKENS.match(path)
    if m is None:
        return 404, {"message": "Not Found"}
    claims = _verify(gh, (authorization or "").removeprefix("Bearer ").strip())
    if isinstance(claims, str):
        return 401, {"message": claims}
    if int(m["id"]) not in gh.installations:
        return 404, {"message": "Not Found"}
    token = "ghs_" + secrets.token_hex(18)
    expires = time.time() + gh.token_lifetime
    with gh.lock:
        gh.tokens[token] = expires
        gh.token_apps[token] = int(claims["iss"])
        gh.token_installs[token] = int(m["id"])
        gh.issued += 1
    at = dt.datetime.fromtimestamp(expires, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return 201, {"token": token, "expires_at": at, "permissions": {}}


UNDECODED = "A JSON web token could not be decoded"
# GitHub's words for a JWT whose times its own clock refuses (probot/probot#967, #942)
FUTURE_IAT = (
    "'Issued at' claim ('iat') must be an Integer representing the time that the assertion "
    "was issued"
)
EXPIRED = (
    "'Expiration time' claim ('exp') must be a numeric value representing the future time at "
    "which the assertion expires"
)
TOO_FAR = "'Expiration time' claim ('exp') is too far in the future"


def _verify(gh: FakeGitHub, token: str) -> dict[str, Any] | str:
    """The claims of a JWT signed by the key of the App it names, living at most 10 min by
    GitHub's clock (``gh.clock_skew`` seconds ahead of ours, a minute's leeway); else
    GitHub's reason."""
    try:
        issuer = int(jwt.decode(token, options={"verify_signature": False})["iss"])
        claims: dict[str, Any] = jwt.decode(
            token,
            gh.apps[issuer],
            algorithms=["RS256"],
            options={"verify_exp": False, "verify_iat": False},
        )
        iat, exp = float(claims["iat"]), float(claims["exp"])
    except (jwt.PyJWTError, KeyError, ValueError, TypeError):
        return UNDECODED
    now = time.time() + gh.clock_skew
    if iat > now + 60:
        return FUTURE_IAT
    if exp < now - 60:
        return EXPIRED
    return claims if exp - iat <= 660 else TOO_FAR
