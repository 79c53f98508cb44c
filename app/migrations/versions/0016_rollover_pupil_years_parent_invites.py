"""Year rollover (school's last year, when it last rolled over, pupils' years kept), parent letters

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 23:30:00.000000

At the year rollover every pupil moves up a year group and the school's last year leaves; the
year group each pupil was in is kept per school year (pupil_year) so last year's reports stay as
they were, and the school notes the school year it moved into so it never moves twice. A parent
letter carries a one-time code (only its hash is stored) that makes the parent's account.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rolled_over_on', sa.Date(), nullable=True))
    op.create_table(
        'pupil_year',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('pupil_id', sa.Integer(), nullable=False),
        sa.Column('year_start', sa.Date(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['pupil_id'], ['user.id'], name=op.f('fk_pupil_year_pupil_id_user'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['school_id'], ['school.id'], name=op.f('fk_pupil_year_school_id_school')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pupil_year')),
        sa.UniqueConstraint(
            'pupil_id', 'year_start', name=op.f('uq_pupil_year_pupil_id_year_start')
        ),
    )
    with op.batch_alter_table('pupil_year', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pupil_year_pupil_id'), ['pupil_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pupil_year_school_id'), ['school_id'], unique=False)
    op.create_table(
        'parent_invite',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.Column('used_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['child_id'], ['user.id'], name=op.f('fk_parent_invite_child_id_user'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['user.id'], name=op.f('fk_parent_invite_created_by_id_user'),
            ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['school_id'], ['school.id'], name=op.f('fk_parent_invite_school_id_school')
        ),
        sa.ForeignKeyConstraint(
            ['used_by_id'], ['user.id'], name=op.f('fk_parent_invite_used_by_id_user'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_parent_invite')),
        sa.UniqueConstraint('code_hash', name=op.f('uq_parent_invite_code_hash')),
    )
    with op.batch_alter_table('parent_invite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parent_invite_child_id'), ['child_id'], unique=False)
        batch_op.create_index(
            batch_op.f('ix_parent_invite_school_id'), ['school_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('parent_invite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parent_invite_school_id'))
        batch_op.drop_index(batch_op.f('ix_parent_invite_child_id'))
    op.drop_table('parent_invite')
    with op.batch_alter_table('pupil_year', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pupil_year_school_id'))
        batch_op.drop_index(batch_op.f('ix_pupil_year_pupil_id'))
    op.drop_table('pupil_year')
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_column('rolled_over_on')
        batch_op.drop_column('last_year')
