"""Acceptances keep a network, browser family and keyed digest, not the address and browser
string (hash rule 2); people who left can be erased (user.erased_at)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 23:40:00.000000

Issue 15 finding 9: a child's full IP address and browser string were inside each acceptance's
hash, so they could never be minimised. Records now carry a hash rule (1: the old fields; 2:
network, browser family and a keyed digest instead, app/services/acceptance.py HASH_RULES).

For each school this migration first recomputes the whole rule-1 chain. A sound chain is moved
record by record to rule 2: the address is cut to its network, the browser string to its family,
both kept only as a keyed digest (app/services/minimise.py), the full values are blanked and the
chain's hashes are made again by rule 2. Each moved record keeps `legacy_mac`, the HMAC that
`flask aup verify` printed for its old hash under the chain key, so a heads file kept before the
move is still checked (the old hashes themselves are not kept: a plain hash over an IPv4 address
and otherwise known fields could be reversed by trying every address). RUN THIS UPGRADE WITH THE
CHAIN KEY `aup verify` USES (LANTERN_CHAIN_KEY, or the same instance/chain_key), or heads kept
before it will be reported as not matching.

A chain that does not verify is left exactly as it was, at rule 1 with its addresses, and named
on standard error: it is evidence of a problem to look into, which this migration must not hide.
`aup verify` checks every record by its own rule.

The insert-only triggers of 0009 on `acceptance` are dropped for the move and made again
(SQLite drops a rebuilt table's triggers, so the downgrade makes them again too).

Downgrade drops the new columns: records moved to rule 2 can no longer verify with the older
code, and the full addresses and browser strings are not restored (they are gone).
"""
import hashlib
import hmac
import json
import sys
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from flask import current_app


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

GENESIS = "0" * 64
CORE = (
    "seq", "school_id", "user_id", "on_behalf_of_id", "login_session_id", "audience", "aup_id",
    "aup_version", "locale", "text_hash",
)
RULE_1 = CORE + ("ip_address", "user_agent")


def _hash(fields):
    """SHA-256 over canonical JSON, as app/services/acceptance.record_hash (frozen here)."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _stamp(value):
    """A stored time as the hash has it (SQLite hands back text, PostgreSQL a datetime)."""
    if isinstance(value, str):
        from datetime import datetime
        value = datetime.fromisoformat(value)
    return value.isoformat(timespec="microseconds")


def _rule_1(row, prev):
    """A record's fields as hash rule 1 covered them."""
    fields = {name: row[name] for name in RULE_1}
    fields["accepted_at"] = _stamp(row["accepted_at"])
    fields["prev_hash"] = prev
    return fields


def _triggers(create):
    """Drop or make again 0009's insert-only triggers on acceptance."""
    postgres = op.get_bind().dialect.name == 'postgresql'
    if postgres and create:
        op.execute(sa.text(
            "CREATE TRIGGER acceptance_insert_only BEFORE UPDATE OR DELETE ON acceptance "
            "FOR EACH ROW EXECUTE FUNCTION lantern_insert_only()"
        ))
        op.execute(sa.text(
            "CREATE TRIGGER acceptance_no_truncate BEFORE TRUNCATE ON acceptance "
            "FOR EACH STATEMENT EXECUTE FUNCTION lantern_insert_only()"
        ))
    elif postgres:
        op.execute(sa.text("DROP TRIGGER IF EXISTS acceptance_insert_only ON acceptance"))
        op.execute(sa.text("DROP TRIGGER IF EXISTS acceptance_no_truncate ON acceptance"))
    else:
        for action in ('update', 'delete'):
            op.execute(sa.text(f"DROP TRIGGER IF EXISTS acceptance_no_{action}"))
            if create:
                op.execute(sa.text(
                    f"CREATE TRIGGER acceptance_no_{action} BEFORE {action.upper()} ON acceptance "
                    "BEGIN SELECT RAISE(ABORT, 'acceptance rows are insert-only'); END"
                ))


def _move_records():
    """Check each school's rule-1 chain; move every record of a sound one to rule 2."""
    from app.config import instance_key
    from app.services import minimise

    bind = op.get_bind()
    rows = [dict(row._mapping) for row in bind.execute(sa.text(
        "SELECT * FROM acceptance WHERE hash_rule = 1 ORDER BY school_id, seq"
    ))]
    if not rows:
        return
    chain_key = current_app.config.get("LANTERN_CHAIN_KEY") or instance_key(
        Path(current_app.instance_path), "chain_key"
    )
    digest_key = minimise.digest_key(current_app.config["SECRET_KEY"])
    schools = {}
    for row in rows:
        schools.setdefault(row["school_id"], []).append(row)
    _triggers(create=False)
    for school_id, chain in schools.items():
        prev = GENESIS
        for expected, row in enumerate(chain, start=1):
            sound = row["seq"] == expected and row["prev_hash"] == prev
            if not sound or _hash(_rule_1(row, prev)) != row["record_hash"]:
                print(
                    f"migration 0013: school {school_id}'s AUP acceptance chain does not verify at "
                    f"seq {row['seq']} (acceptance {row['id']}): left as it was, with its "
                    "addresses; run `flask aup verify` and look into it",
                    file=sys.stderr,
                )
                break
            prev = row["record_hash"]
        else:
            _move_chain(bind, chain, chain_key, digest_key, minimise)
    _triggers(create=True)


def _move_chain(bind, chain, chain_key, digest_key, minimise):
    """Rewrite one sound chain's records by hash rule 2 (see the module docstring)."""
    prev = GENESIS
    for row in chain:
        message = f"lantern-chain-head:{row['school_id']}:{row['seq']}:{row['record_hash']}"
        moved = {
            "network": minimise.network(row["ip_address"]),
            "browser": minimise.browser(row["user_agent"]),
            "client_digest": minimise.client_digest(
                row["ip_address"], row["user_agent"], digest_key
            ),
            "legacy_mac": hmac.new(
                chain_key.encode(), message.encode(), hashlib.sha256
            ).hexdigest(),
        }
        fields = {name: row[name] for name in CORE} | moved
        fields |= {
            "accepted_at": _stamp(row["accepted_at"]), "prev_hash": prev, "hash_rule": 2,
        }
        new_hash = _hash(fields)
        bind.execute(
            sa.text(
                "UPDATE acceptance SET hash_rule = 2, ip_address = '', user_agent = '', "
                "network = :network, browser = :browser, client_digest = :client_digest, "
                "legacy_mac = :legacy_mac, prev_hash = :prev, record_hash = :hash WHERE id = :id"
            ),
            {**moved, "prev": prev, "hash": new_hash, "id": row["id"]},
        )
        prev = new_hash


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(), nullable=True))
    op.add_column('acceptance', sa.Column(
        'hash_rule', sa.Integer(), server_default='1', nullable=False
    ))
    op.add_column('acceptance', sa.Column(
        'network', sa.String(length=49), server_default='', nullable=False
    ))
    op.add_column('acceptance', sa.Column(
        'browser', sa.String(length=40), server_default='', nullable=False
    ))
    op.add_column('acceptance', sa.Column(
        'client_digest', sa.String(length=64), server_default='', nullable=False
    ))
    op.add_column('acceptance', sa.Column('legacy_mac', sa.String(length=64), nullable=True))
    _move_records()


def downgrade():
    _triggers(create=False)
    with op.batch_alter_table('acceptance', schema=None) as batch_op:
        for name in ('legacy_mac', 'client_digest', 'browser', 'network', 'hash_rule'):
            batch_op.drop_column(name)
    _triggers(create=True)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
