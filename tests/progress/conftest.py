"""Fixtures for the progress tests, including a real PostgreSQL server.

`postgres_server` (session scope) starts one server from the Debian binaries on 127.0.0.1 on a
free port in a temporary directory and stops it after the run; `postgres_url` gives each test
a fresh empty database on it. Tests are skipped (with the reason) only when the server
binaries are not installed. Other rooms can start their own with
`tests/progress/pg_server.py: start_postgres(tmpdir) -> (url, stop)`.
"""

from __future__ import annotations

import itertools
import os

import pytest

from pg_server import PostgresServer, PostgresUnavailable, create_database


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """A running PostgresServer for the whole test session."""
    try:
        server = PostgresServer(tmp_path_factory.mktemp("pg"))
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    try:
        server.start()
        yield server
    finally:
        server.destroy()


@pytest.fixture
def postgres_url(postgres_server, request):
    """The URL of a new, empty database on the session's server (one per test)."""
    name = f"t{os.getpid()}_{next(_database_numbers)}"
    return create_database(postgres_server.url(), name)


_database_numbers = itertools.count(1)
