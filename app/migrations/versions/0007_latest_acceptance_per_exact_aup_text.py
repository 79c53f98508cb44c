"""Latest acceptance per person and exact AUP text (its hash), refilled from the acceptance chain

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 21:30:00.000000

Being up to date with an AUP means having accepted the text now shown, not merely its version
label: a text changed under the same label must be accepted again. The summary rows are
therefore kept per text hash, and rebuilt from the chain (the evidence) on the way up and down.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM aup_latest")
    with op.batch_alter_table('aup_latest', schema=None) as batch_op:
        batch_op.drop_constraint('uq_aup_latest_school_id_user_id_subject_id_aup_id_aup_version', type_='unique')
        batch_op.add_column(sa.Column('text_hash', sa.String(length=64), nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_aup_latest_school_id_user_id_subject_id_text_hash'), ['school_id', 'user_id', 'subject_id', 'text_hash'])
    # every acceptance already in the chains: the latest per school, person, subject and text
    op.execute(
        "INSERT INTO aup_latest (school_id, user_id, subject_id, aup_id, aup_version, text_hash,"
        " accepted_at)"
        " SELECT school_id, user_id, COALESCE(on_behalf_of_id, user_id), aup_id, aup_version,"
        " text_hash, MAX(accepted_at) FROM acceptance"
        " GROUP BY school_id, user_id, COALESCE(on_behalf_of_id, user_id), aup_id, aup_version,"
        " text_hash"
    )


def downgrade():
    op.execute("DELETE FROM aup_latest")
    with op.batch_alter_table('aup_latest', schema=None) as batch_op:
        batch_op.drop_constraint('uq_aup_latest_school_id_user_id_subject_id_text_hash', type_='unique')
        batch_op.drop_column('text_hash')
        batch_op.create_unique_constraint(batch_op.f('uq_aup_latest_school_id_user_id_subject_id_aup_id_aup_version'), ['school_id', 'user_id', 'subject_id', 'aup_id', 'aup_version'])
    op.execute(
        "INSERT INTO aup_latest (school_id, user_id, subject_id, aup_id, aup_version, accepted_at)"
        " SELECT school_id, user_id, COALESCE(on_behalf_of_id, user_id), aup_id, aup_version,"
        " MAX(accepted_at) FROM acceptance"
        " GROUP BY school_id, user_id, COALESCE(on_behalf_of_id, user_id), aup_id, aup_version"
    )
