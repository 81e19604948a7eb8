"""How current the figures a request reads are ("số liệu tính đến HH:MM", the API's `as_of`).

On the primary the figures are current the moment they are read. A read replica is a moment
behind: its figures are as of the last transaction it replayed, unless it has nothing left to
replay. `config.routers` decides where a request's reads go; this asks the database the roll-up
totals are read from.
"""

from __future__ import annotations

import datetime as dt

from django.db import DatabaseError, connections, router
from django.utils import timezone

from .models import RollupTotal

# On a standby: now when everything received has been replayed, else the last replayed commit.
# On a primary pg_last_wal_receive_lsn() is NULL and the CASE falls through to now().
REPLAYED_AT_SQL = """
    SELECT CASE WHEN pg_is_in_recovery()
                     AND pg_last_wal_receive_lsn() IS DISTINCT FROM pg_last_wal_replay_lsn()
                THEN pg_last_xact_replay_timestamp() ELSE now() END
"""


def figures_as_of() -> dt.datetime:
    """The moment the figures this request reads were current (aware, UTC)."""
    alias = router.db_for_read(RollupTotal) or "default"
    now = timezone.now()
    if alias == "default" or connections[alias].vendor != "postgresql":
        return now
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(REPLAYED_AT_SQL)
            row = cursor.fetchone()
    except DatabaseError:
        return now
    moment = row[0] if row else None
    return min(moment, now) if isinstance(moment, dt.datetime) else now
