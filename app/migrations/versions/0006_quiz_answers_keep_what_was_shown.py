"""Quiz attempts keep what was shown: the text of each answer and the right answers needed

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 20:40:00.000000

A quiz result is shown from what was recorded at hand-in, never regraded against a quiz file
that may have changed since. Rows from before this revision have NULL here and are shown
from the quiz file where its ids still match.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needed', sa.Integer(), nullable=True))

    with op.batch_alter_table('quiz_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shown', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('quiz_answer', schema=None) as batch_op:
        batch_op.drop_column('shown')

    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.drop_column('needed')
