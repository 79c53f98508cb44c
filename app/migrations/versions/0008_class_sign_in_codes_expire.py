"""A class's picture sign-in code lasts for a session the teacher opens, then expires

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 21:30:00.000000

The code a KS1 class typed used to be fixed, so anyone who learnt it could list the class's
names at any time. Now a teacher opens picture sign-in from the class page and gets a fresh
code that stops working when it expires or the teacher ends it. Codes from before this
revision are cleared: they had no expiry and must not keep working.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('school_class', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sign_in_code_expires_at', sa.DateTime(), nullable=True))
    op.execute(sa.text('UPDATE school_class SET sign_in_code = NULL'))


def downgrade():
    with op.batch_alter_table('school_class', schema=None) as batch_op:
        batch_op.drop_column('sign_in_code_expires_at')
