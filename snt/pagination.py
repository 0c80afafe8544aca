"""One kind of page for every paged list: Flask-SQLAlchemy's Pagination, which `db.paginate` gives
for a query filtered in SQL, and `ListPagination` for a list already filtered in Python (the
Cyrillic case-insensitive searches: SQLite's lower() leaves Cyrillic as it is). The templates'
`pager` macro shows either."""

from typing import Any

from flask_sqlalchemy.pagination import Pagination


class ListPagination(Pagination):
    """`ListPagination(items=[...], page=n, per_page=k, error_out=False)`: a page of a list."""

    def _query_items(self) -> list[Any]:
        items = self._query_args["items"]
        return list(items[self._query_offset : self._query_offset + self.per_page])

    def _query_count(self) -> int:
        return len(self._query_args["items"])
