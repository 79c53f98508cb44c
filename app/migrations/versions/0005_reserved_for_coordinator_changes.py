"""Coordinator work: a school's own published AUP versions

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'published_aup',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('audience', sa.String(length=20), nullable=False),
        sa.Column('version', sa.String(length=30), nullable=False),
        sa.Column('effective', sa.Date(), nullable=False),
        sa.Column('body', sa.JSON(), nullable=False),
        sa.Column('text_hash', sa.String(length=64), nullable=False),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        sa.Column('published_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['school_id'], ['school.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('school_id', 'audience', 'version'),
    )
    with op.batch_alter_table('published_aup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_aup_school_id'), ['school_id'], unique=False)


def downgrade():
    with op.batch_alter_table('published_aup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_aup_school_id'))
    op.drop_table('published_aup')
