"""The paper lookups the service runs with: from the environment, remembered in the queue."""

from __future__ import annotations

from app.lookup.cache import Cached, KeyValue
from app.lookup.http import SharedPacer
from app.lookup.port import Lookup
from app.lookup.resolve import from_env
from app.lookup.settings import LookupSettingsError
from app.service.settings import SettingsError


def cached_lookup(store: KeyValue, *, pacer: SharedPacer | None = None) -> Lookup:
    """``PAPERBOT_METADATA`` and the endpoints' lookups, cached 30 days in ``store`` and
    paced through ``pacer`` (shared by every process) when given; a bad variable is a
    SettingsError naming it."""
    try:
        return Cached(from_env(shared=pacer), store)
    except LookupSettingsError as exc:
        raise SettingsError(str(exc)) from None
