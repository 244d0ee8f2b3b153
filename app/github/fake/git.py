"""A bare git repository driven through the ``git`` CLI: blobs, trees, commits, refs, merges."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

_ENV = {
    "GIT_AUTHOR_NAME": "fake",
    "GIT_AUTHOR_EMAIL": "fake@example.invalid",
    "GIT_COMMITTER_NAME": "fake",
    "GIT_COMMITTER_EMAIL": "fake@example.invalid",
}


class GitError(Exception):
    """A git command failed."""


class GitRepo:
    """One bare repository; every object and ref is real, so SHAs behave as on GitHub."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not (path / "HEAD").exists():
            path.mkdir(parents=True, exist_ok=True)
            self._git("init", "-q", "--bare", "-b", "main")

    def _git(
        self,
        *args: str,
        data: bytes | None = None,
        env: dict[str, str] | None = None,
        ok: tuple[int, ...] = (0,),
    ) -> str:
        run = subprocess.run(
            ["git", *args],
            cwd=self.path,
            input=data,
            capture_output=True,
            env={**os.environ, **_ENV, **(env or {})},
            check=False,
        )
        if run.returncode not in ok:
            raise GitError(run.stderr.decode(errors="replace").strip())
        return run.stdout.decode().strip()

    def blob(self, data: bytes) -> str:
        return self._git("hash-object", "-w", "--stdin", data=data)

    def read(self, ref: str, path: str) -> tuple[bytes, str] | None:
        """(content, blob sha) of ``path`` at ``ref``; None when absent."""
        sha = self._git("rev-parse", "-q", "--verify", f"{ref}:{path}", ok=(0, 1, 128))
        if not sha:
            return None
        out = subprocess.run(
            ["git", "cat-file", "blob", sha], cwd=self.path, capture_output=True, check=True
        )
        return out.stdout, sha

    def commit_file(self, *, parent: str | None, path: str, data: bytes, message: str) -> str:
        """A new commit on ``parent`` whose tree has ``path`` set to ``data``."""
        with tempfile.TemporaryDirectory() as tmp:
            env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
            if parent:
                self._git("read-tree", f"{parent}^{{tree}}", env=env)
            blob = self.blob(data)
            self._git("update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
            tree = self._git("write-tree", env=env)
        return self._git("commit-tree", tree, *(["-p", parent] if parent else []), "-m", message)

    def head(self, branch: str) -> str | None:
        return (
            self._git(
                "rev-parse", "-q", "--verify", f"refs/heads/{branch}^{{commit}}", ok=(0, 1, 128)
            )
            or None
        )

    def set_ref(self, branch: str, sha: str) -> None:
        self._git("update-ref", f"refs/heads/{branch}", sha)

    def is_ancestor(self, older: str, newer: str) -> bool:
        run = subprocess.run(
            ["git", "merge-base", "--is-ancestor", older, newer],
            cwd=self.path,
            capture_output=True,
            check=False,
        )
        return run.returncode == 0

    def count(self, base: str, head: str) -> int | None:
        """Commits reachable from ``head`` but not from ``base``; None for an unknown sha."""
        out = self._git("rev-list", "--count", f"{base}..{head}", ok=(0, 128))
        return int(out) if out.isdigit() else None

    def changed(self, base: str, head: str) -> list[tuple[str, str, str]]:
        """(path, blob sha at ``head``, GitHub's status) of each file differing, as compare."""
        out = self._git("diff-tree", "-r", "--no-renames", base, head)
        names = {"A": "added", "D": "removed", "M": "modified"}
        rows = [line.split("\t", 1) for line in out.splitlines() if "\t" in line]
        return [
            (path, meta.split()[3], names.get(meta.split()[4], "changed")) for meta, path in rows
        ]

    def merge(self, base: str, head: str, *, message: str) -> str | None:
        """A merge commit of ``head`` into ``base``; None when they conflict."""
        run = subprocess.run(
            ["git", "merge-tree", "--write-tree", base, head],
            cwd=self.path,
            capture_output=True,
            check=False,
            env={**os.environ, **_ENV},
        )
        if run.returncode != 0:
            return None
        tree = run.stdout.decode().split("\n", 1)[0].strip()
        return self._git("commit-tree", tree, "-p", base, "-p", head, "-m", message)

    def message(self, sha: str) -> str | None:
        """The commit message of ``sha``; None when there is no such commit."""
        if not self._git("cat-file", "-t", sha, ok=(0, 128)) == "commit":
            return None
        return self._git("log", "-1", "--format=%B", sha)

    def blob_by_sha(self, sha: str) -> bytes | None:
        run = subprocess.run(
            ["git", "cat-file", "blob", sha], cwd=self.path, capture_output=True, check=False
        )
        return run.stdout if run.returncode == 0 else None
