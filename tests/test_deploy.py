"""The shipped deployment files: valid, least privilege, in line with the code they describe."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from app.core.config import Config, load_config
from app.core.config_docs import END, START, example_yaml, reference_markdown

ROOT = Path(__file__).parents[1]


def load(path: str) -> Any:
    return yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))


def test_app_manifest_asks_for_exactly_what_paperbot_uses() -> None:
    manifest = load("deploy/github-app.yml")
    assert manifest["default_permissions"] == {
        "issues": "write",
        "pull_requests": "write",
        "contents": "write",
        "metadata": "read",
    }
    assert sorted(manifest["default_events"]) == ["issue_comment", "issues", "pull_request", "push"]
    assert manifest["hook_attributes"]["url"].endswith("/webhook") and not manifest["public"]


def test_compose_runs_one_container_by_default_and_scales_on_redis() -> None:
    services = load("deploy/docker-compose.yml")["services"]
    assert [n for n, s in services.items() if "profiles" not in s] == ["paperbot"]
    scale = {n: s for n, s in services.items() if s.get("profiles") == ["scale"]}
    assert sorted(scale) == ["redis", "web", "worker"]
    assert scale["web"]["command"][-2:] == ["--workers", "0"]
    assert scale["worker"]["command"] == ["paperbot", "worker"]
    assert scale["worker"]["environment"]["PAPERBOT_METRICS_PORT"] == "9101"  # job counts
    for name in ("web", "worker"):
        assert scale[name]["environment"]["PAPERBOT_QUEUE"].startswith("redis://redis:")
        assert scale[name]["deploy"]["replicas"] == 2
    assert services["paperbot"]["volumes"] == ["paperbot-data:/data"]


def test_example_config_is_generated_and_valid() -> None:
    text = (ROOT / "deploy" / "paperbot.example.yml").read_text(encoding="utf-8")
    assert text == example_yaml()
    assert load_config(text) == Config()


def test_readme_config_reference_matches_the_model() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shipped = readme[readme.index(START) : readme.index(END) + len(END)] + "\n"
    assert shipped == reference_markdown()
    assert all(
        f"`{name}`" in shipped
        for name in Config.model_fields
        if name not in ("labels", "limits", "template")
    )


def run_lines(doc: Any) -> list[str]:
    found: list[str] = []
    if isinstance(doc, dict):
        found += [str(v) for k, v in doc.items() if k == "run"]
        for v in doc.values():
            found += run_lines(v)
    elif isinstance(doc, list):
        for v in doc:
            found += run_lines(v)
    return found


def test_action_is_composite_and_keeps_event_text_off_the_command_line() -> None:
    action = load("action.yml")
    assert action["runs"]["using"] == "composite"
    runs = run_lines(action)
    assert any("deploy/install.sh" in r for r in runs) and "paperbot action" in runs
    assert not any("${{" in r for r in runs)


def test_workflow_has_a_concurrency_group_per_issue_and_least_privilege() -> None:
    workflow = load("deploy/workflows/paperbot.yml")
    assert "github.event.issue.number" in workflow["concurrency"]["group"]
    assert workflow["permissions"] == {
        "contents": "write",
        "issues": "write",
        "pull-requests": "write",
    }
    events = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert set(events) == {
        "issues",
        "issue_comment",
        "pull_request",
        "push",
        "schedule",
        "workflow_dispatch",
    }
    assert not any("github.event" in r for r in run_lines(workflow))


def test_the_scheduled_run_is_the_weekly_tick_and_shares_the_push_group() -> None:
    from app.service.routes import router

    workflow = load("deploy/workflows/paperbot.yml")
    (cron,) = workflow[True]["schedule"]
    assert cron["cron"].split()[1:] == ["*", "*", "*", "*"]  # hourly: reminders within the hour
    task = router.route("schedule", {"schedule": cron["cron"], "repository": {"full_name": "o/r"}})
    assert task is not None and task.name == "weekly"
    # a scheduled run has no issue or PR: it falls to github.ref, the group of pushes to main
    assert workflow["concurrency"]["group"].endswith("|| github.ref }}")


def test_dockerfile_is_a_non_root_multi_stage_image_with_a_healthcheck() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert len(re.findall(r"^FROM ", text, re.M)) == 2
    assert "RUN sh deploy/install.sh" in text and "USER paperbot" in text
    assert "/healthz" in text.split("HEALTHCHECK", 1)[1]
    assert 'CMD ["paperbot", "serve"' in text and 'VOLUME ["/data"]' in text
    assert "PAPERBOT_DATA_DIR=/data" in text


def test_lock_file_pins_every_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8").lower()
    for requirement in project["dependencies"]:
        name = re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower()
        assert re.search(rf"^{re.escape(name)}==\S+( ;[^\\]*)? \\$", lock, re.M), name
    assert "--hash=sha256:" in lock
