"""The migrations build exactly the schema the models describe, with named constraints."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect

from snt import create_app
from snt.extensions import db
from tests.helpers import database_uri


def test_upgrade_from_empty_matches_the_models(tmp_path):
    uri = database_uri(tmp_path)  # a SQLite file, or the emptied PostgreSQL database
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        upgrade()
        engine = create_engine(uri)
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
            assert diff == []
            uniques = inspect(connection).get_unique_constraints("plot_claim")
            assert uniques[0]["name"] == "uq_plot_claim_account_id"
        engine.dispose()
