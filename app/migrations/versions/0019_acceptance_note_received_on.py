"""The day a paper or phone agreement reached the school, on the note beside its record.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    """Add acceptance_note.received_on (None on notes written before it)."""
    with op.batch_alter_table('acceptance_note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_on', sa.Date(), nullable=True))


def downgrade():
    """Drop acceptance_note.received_on."""
    with op.batch_alter_table('acceptance_note', schema=None) as batch_op:
        batch_op.drop_column('received_on')
