"""Who the bot is: asked of GitHub (``GET /user``, ``GET /app``) unless named, in Actions too."""

from __future__ import annotations

import pytest

from app.github.fake.server import FakeGitHub
from app.github.pygithub import Clients
from tests.fakes import REPO, settings_for


@pytest.mark.parametrize(
    ("extra", "refused", "login", "asked"),
    [
        ({"GITHUB_ACTIONS": "true"}, False, "lab-bot", 1),  # a machine user's token
        ({"GITHUB_ACTIONS": "true"}, True, "github-actions[bot]", 1),  # Actions' GITHUB_TOKEN
        ({"GITHUB_ACTIONS": "true", "PAPERBOT_BOT_LOGIN": "reading-bot"}, False, "reading-bot", 0),
        ({}, False, "lab-bot", 1),
    ],
)
def test_the_login_is_asked_of_github_unless_refused_or_named(
    gh: FakeGitHub, extra: dict[str, str], refused: bool, login: str, asked: int
) -> None:
    gh.token_user, gh.user_forbidden = "lab-bot", refused
    clients = Clients(settings_for(gh, **extra))
    assert clients.repo(REPO, None).bot_login() == login
    assert gh.requests["GET user"] == asked
    clients.close()
