"""School URN, roster ids for people and classes, when people left and classes ended, DSL flag

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 23:15:00.000000

A real school moves in through a roster import (OneRoster or the simple CSV): people and classes
keep their roster id so the next import updates them in place, and a person missing from a full
import has left (active False, left_at set) with every record kept. The URN names the school on
the command line. The DSL flag marks the safeguarding team, who read the incident log.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.add_column(sa.Column('urn', sa.String(length=12), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_school_urn'), ['urn'])
    with op.batch_alter_table('school_class', schema=None) as batch_op:
        batch_op.add_column(sa.Column('roster_id', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('ended_at', sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_school_class_school_id_roster_id'), ['school_id', 'roster_id']
        )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('roster_id', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('left_at', sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column('dsl', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_unique_constraint(
            batch_op.f('uq_user_school_id_roster_id'), ['school_id', 'roster_id']
        )


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_school_id_roster_id'), type_='unique')
        batch_op.drop_column('dsl')
        batch_op.drop_column('left_at')
        batch_op.drop_column('roster_id')
    with op.batch_alter_table('school_class', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('uq_school_class_school_id_roster_id'), type_='unique'
        )
        batch_op.drop_column('ended_at')
        batch_op.drop_column('roster_id')
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_school_urn'), type_='unique')
        batch_op.drop_column('urn')
