"""Each distinct AUP text anyone has accepted, kept by its hash

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 02:30:00.000000

AUP files hold only the current version, so once a new version is deployed the words of an
older one are gone; a school's own versions are kept in published_aup. aup_text keeps every
text the first time it is accepted (app/services/agreements.py), so My agreements and receipts
can show what someone agreed to years later. Texts accepted before this migration are shown
from the files or published_aup while they still match, and kept at their next acceptance.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'aup_text',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('text_hash', sa.String(length=64), nullable=False),
        sa.Column('body', sa.JSON(), nullable=False),
        sa.Column('kept_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_aup_text')),
        sa.UniqueConstraint('text_hash', name=op.f('uq_aup_text_text_hash')),
    )


def downgrade():
    op.drop_table('aup_text')
