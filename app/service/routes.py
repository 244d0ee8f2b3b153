"""The one routing table: every flow module's routes, merged (a clash is an error at import)."""

from __future__ import annotations

from app.flows import lifecycle, normalize, onboarding, submission, weekly
from app.flows.routing import Router

router = Router(
    submission.router, lifecycle.router, weekly.router, normalize.router, onboarding.router
)
