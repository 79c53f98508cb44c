"""Latest acceptance per person and AUP version, filled from the acceptance chain

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 20:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('aup_latest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('aup_id', sa.String(length=60), nullable=False),
    sa.Column('aup_version', sa.String(length=30), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aup_latest')),
    sa.UniqueConstraint('school_id', 'user_id', 'subject_id', 'aup_id', 'aup_version', name=op.f('uq_aup_latest_school_id_user_id_subject_id_aup_id_aup_version'))
    )
    # every acceptance already in the chains: the latest per school, person, subject and version
    op.execute(
        "INSERT INTO aup_latest (school_id, user_id, subject_id, aup_id, aup_version, accepted_at)"
        " SELECT school_id, user_id, COALESCE(on_behalf_of_id, user_id), aup_id, aup_version,"
        " MAX(accepted_at) FROM acceptance"
        " GROUP BY school_id, user_id, COALESCE(on_behalf_of_id, user_id), aup_id, aup_version"
    )


def downgrade():
    op.drop_table('aup_latest')
