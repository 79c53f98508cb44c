"""Roster uploads kept in the database between the admin's preview and applying them

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 23:30:00.000000

Several app servers sit behind the load balancer, so an uploaded roster cannot wait on one
server's disk or memory between its preview and the admin pressing Apply: it waits here, and
expires.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'roster_upload',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['school_id'], ['school.id'], name=op.f('fk_roster_upload_school_id_school')
        ),
        sa.ForeignKeyConstraint(
            ['uploaded_by_id'], ['user.id'],
            name=op.f('fk_roster_upload_uploaded_by_id_user'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_upload')),
    )
    with op.batch_alter_table('roster_upload', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_roster_upload_school_id'), ['school_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('roster_upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_upload_school_id'))
    op.drop_table('roster_upload')
