"""Entry point for `flask --app app ...` and for gunicorn (`app:app`)."""

from snt import create_app

app = create_app()
