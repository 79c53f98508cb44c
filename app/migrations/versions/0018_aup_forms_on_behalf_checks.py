"""AUP forms, agreements recorded on someone's behalf, and once-a-term understanding checks

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 02:20:00.000000

Acceptances gain hash rule 3 (app/services/acceptance.py HASH_RULES): which form of the text
was shown (full or short) and its hash, and, for an agreement a member of staff entered from a
paper slip or a call, who entered it and how it was obtained. Existing records keep their rule
and verify as before. The columns are added with ALTER TABLE ADD COLUMN (no table rebuild), so
the insert-only triggers of migration 0009 stay in place.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def _triggers(create):
    """Drop or make again 0009's insert-only triggers on acceptance (as 0013 does)."""
    postgres = op.get_bind().dialect.name == 'postgresql'
    if postgres and create:
        op.execute(sa.text(
            "CREATE TRIGGER acceptance_insert_only BEFORE UPDATE OR DELETE ON acceptance "
            "FOR EACH ROW EXECUTE FUNCTION lantern_insert_only()"
        ))
        op.execute(sa.text(
            "CREATE TRIGGER acceptance_no_truncate BEFORE TRUNCATE ON acceptance "
            "FOR EACH STATEMENT EXECUTE FUNCTION lantern_insert_only()"
        ))
    elif postgres:
        op.execute(sa.text("DROP TRIGGER IF EXISTS acceptance_insert_only ON acceptance"))
        op.execute(sa.text("DROP TRIGGER IF EXISTS acceptance_no_truncate ON acceptance"))
    else:
        for action in ('update', 'delete'):
            op.execute(sa.text(f"DROP TRIGGER IF EXISTS acceptance_no_{action}"))
            if create:
                op.execute(sa.text(
                    f"CREATE TRIGGER acceptance_no_{action} BEFORE {action.upper()} ON acceptance "
                    "BEGIN SELECT RAISE(ABORT, 'acceptance rows are insert-only'); END"
                ))


def upgrade():
    op.add_column('acceptance', sa.Column(
        'form', sa.String(length=10), server_default='full', nullable=False
    ))
    op.add_column('acceptance', sa.Column(
        'form_hash', sa.String(length=64), server_default='', nullable=False
    ))
    op.add_column('acceptance', sa.Column('recorded_by_id', sa.Integer(), nullable=True))
    op.add_column('acceptance', sa.Column(
        'method', sa.String(length=20), server_default='', nullable=False
    ))
    op.create_index(
        op.f('ix_acceptance_recorded_by_id'), 'acceptance', ['recorded_by_id'], unique=False
    )
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'aup_full_every_time', sa.Boolean(), server_default=sa.false(), nullable=False
        ))
    op.create_table(
        'acceptance_note',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('acceptance_id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ['acceptance_id'], ['acceptance.id'],
            name=op.f('fk_acceptance_note_acceptance_id_acceptance'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_acceptance_note')),
        sa.UniqueConstraint('acceptance_id', name=op.f('uq_acceptance_note_acceptance_id')),
    )
    op.create_index(
        op.f('ix_acceptance_note_school_id'), 'acceptance_note', ['school_id'], unique=False
    )
    op.create_table(
        'aup_check',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('aup_id', sa.String(length=60), nullable=False),
        sa.Column('aup_version', sa.String(length=30), nullable=False),
        sa.Column('statement', sa.Integer(), nullable=False),
        sa.Column('chosen', sa.Integer(), nullable=False),
        sa.Column('correct', sa.Boolean(), nullable=False),
        sa.Column('answered_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['school_id'], ['school.id'], name=op.f('fk_aup_check_school_id_school')
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user.id'], name=op.f('fk_aup_check_user_id_user'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_aup_check')),
    )
    op.create_index(op.f('ix_aup_check_school_id'), 'aup_check', ['school_id'], unique=False)
    op.create_index(op.f('ix_aup_check_user_id'), 'aup_check', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_aup_check_user_id'), table_name='aup_check')
    op.drop_index(op.f('ix_aup_check_school_id'), table_name='aup_check')
    op.drop_table('aup_check')
    op.drop_index(op.f('ix_acceptance_note_school_id'), table_name='acceptance_note')
    op.drop_table('acceptance_note')
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_column('aup_full_every_time')
    op.drop_index(op.f('ix_acceptance_recorded_by_id'), table_name='acceptance')
    _triggers(create=False)
    with op.batch_alter_table('acceptance', schema=None) as batch_op:
        for name in ('method', 'recorded_by_id', 'form_hash', 'form'):
            batch_op.drop_column(name)
    _triggers(create=True)
