"""The endpoint label of paperbot_github_requests_total: one series per REST route."""

from __future__ import annotations

import pytest

from app.service.metrics import endpoint

SHA, OTHER = "a" * 40, "b" * 40


@pytest.mark.parametrize(
    ("path", "label"),
    [
        (f"/repos/g/log/compare/{SHA}...{OTHER}", "/repos/{repo}/compare/{basehead}"),
        (
            "/repos/g/log/collaborators/li-ming/permission",
            "/repos/{repo}/collaborators/{username}/permission",
        ),
        ("/repos/g/log/issues/7/labels/needs%20fix", "/repos/{repo}/issues/{id}/labels/{name}"),
        ("/repos/g/log/git/refs/heads/paperbot/issue-7", "/repos/{repo}/git/refs/{path}"),
        (f"/repos/g/log/git/blobs/{SHA}", "/repos/{repo}/git/blobs/{id}"),
    ],
)
def test_names_and_commits_in_a_path_become_its_template(path: str, label: str) -> None:
    assert endpoint(path) == label  # a login, a label or two commits never make a new series
