"""Where the site keeps files: one folder (FILES_DIR, by default instance/) for documents, uploads
waiting for confirmation, mail saved without a server, and members' meter photos. Several app
processes or machines share it when it is shared storage (an NFS mount, for example); the
database is never kept there."""

from pathlib import Path

from flask import current_app


def files_dir(part: str) -> Path:
    """The subfolder `part` of FILES_DIR, created on first use."""
    path = Path(current_app.config.get("FILES_DIR") or current_app.instance_path) / part
    path.mkdir(parents=True, exist_ok=True)
    return path
