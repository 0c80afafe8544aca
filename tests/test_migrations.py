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


def test_after_0009_a_deleted_rows_id_is_never_reused_and_no_data_is_lost(tmp_path):
    """0009 recreates tables on SQLite (issue 11): the rows and the rows pointing at them survive,
    and a deleted claim's id is not given to the next claim."""
    uri = database_uri(tmp_path)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        upgrade(revision="0007")
        engine = create_engine(uri)
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO plot (id, number, sort_key, street, area, electrified, two_tariff, owner_name,"
                " email, phone) VALUES (1, '250', '0000000250', '', 0, true, false, '', '', ''),"
                " (2, '251', '0000000251', '', 0, true, false, '', '', ''), (3, '269', '0000000269', '', 0, true, false, '', '', '')"
            )
            conn.exec_driver_sql(
                "INSERT INTO account (id, login_plot_id, email, password_hash, session_token, role, full_name,"
                " contact_persons, phone, sms_consent, email_notices, is_blocked, created_at)"
                " VALUES (1, 1, 'a@example.ru', 'x', 't', 'member', '', '', '', false, false, false, '2026-01-01')"
            )
            conn.exec_driver_sql(
                "INSERT INTO plot_claim (account_id, plot_id, status, reason, created_at)"
                " VALUES (1, 1, 'pending', '', '2026-01-01'), (1, 2, 'pending', '', '2026-01-01')"
            )
        upgrade()
        with db.engine.begin() as conn:  # the connection the migration used, back in the pool
            claims = conn.exec_driver_sql("SELECT id, plot_id FROM plot_claim ORDER BY id").all()
            assert [plot_id for _, plot_id in claims] == [1, 2]
            assert conn.exec_driver_sql("SELECT email FROM account").all() == [("a@example.ru",)]
            conn.exec_driver_sql(f"DELETE FROM plot_claim WHERE id = {claims[1][0]}")
            conn.exec_driver_sql(
                "INSERT INTO plot_claim (account_id, plot_id, status, reason, created_at)"
                " VALUES (1, 3, 'pending', '', '2026-01-02')"
            )
            assert conn.exec_driver_sql("SELECT id FROM plot_claim WHERE plot_id = 3").scalar() > claims[1][0]
            if conn.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
        engine.dispose()
