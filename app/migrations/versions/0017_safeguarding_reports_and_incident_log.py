"""Safeguarding: pupils' worries, staff concerns and the DSL's incident log, insert-only

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 23:30:00.000000

What a person wrote about a child is evidence: these tables (and the school's changes to its
sanctions matrices, so a recorded sanction always reads as it did) are only ever added to. An
incident's state is its latest entry of each kind; a correction is a new entry naming the one
it corrects. Triggers refuse every UPDATE and DELETE, as migration 0009 does for acceptances:

- SQLite: one BEFORE UPDATE and one BEFORE DELETE trigger per table, `RAISE(ABORT, ...)`.
- PostgreSQL: the lantern_insert_only() function of migration 0009, called BEFORE UPDATE OR
  DELETE of each row and BEFORE TRUNCATE. NOT yet run against a PostgreSQL server.

A FUTURE MIGRATION THAT REBUILDS ONE OF THESE TABLES (a SQLite batch_alter_table copies the
table and drops the old one, and its triggers with it) MUST CREATE THESE TRIGGERS AGAIN.
tests/unit/test_safeguarding_records.py fails at head when any of them is missing.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

TABLES = (
    'safeguarding_report',
    'safeguarding_report_pupil',
    'safeguarding_report_read',
    'safeguarding_incident',
    'safeguarding_entry',
    'safeguarding_sanction_option',
)


def create_triggers():
    """Create the insert-only triggers for this database's dialect."""
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(sa.text(
                f"CREATE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION lantern_insert_only()"
            ))
            op.execute(sa.text(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION lantern_insert_only()"
            ))
        return
    for table in TABLES:
        for action in ('update', 'delete'):
            op.execute(sa.text(
                f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} rows are insert-only'); END"
            ))


def upgrade():
    op.create_table(
        'safeguarding_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('about', sa.String(length=30), nullable=True),
        sa.Column('text', sa.Text(), nullable=True),
        sa.Column('happened', sa.String(length=200), nullable=True),
        sa.Column('platform', sa.String(length=200), nullable=True),
        sa.Column('action_taken', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['user.id'],
                                name=op.f('fk_safeguarding_report_author_id_user')),
        sa.ForeignKeyConstraint(['school_id'], ['school.id'],
                                name=op.f('fk_safeguarding_report_school_id_school')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguarding_report')),
    )
    with op.batch_alter_table('safeguarding_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safeguarding_report_author_id'), ['author_id'])
        batch_op.create_index(batch_op.f('ix_safeguarding_report_created_at'), ['created_at'])
        batch_op.create_index(batch_op.f('ix_safeguarding_report_school_id'), ['school_id'])

    op.create_table(
        'safeguarding_report_pupil',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('pupil_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['pupil_id'], ['user.id'],
                                name=op.f('fk_safeguarding_report_pupil_pupil_id_user')),
        sa.ForeignKeyConstraint(
            ['report_id'], ['safeguarding_report.id'],
            name=op.f('fk_safeguarding_report_pupil_report_id_safeguarding_report'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguarding_report_pupil')),
        sa.UniqueConstraint('report_id', 'pupil_id',
                            name=op.f('uq_safeguarding_report_pupil_report_id_pupil_id')),
    )
    with op.batch_alter_table('safeguarding_report_pupil', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safeguarding_report_pupil_pupil_id'), ['pupil_id'])
        batch_op.create_index(batch_op.f('ix_safeguarding_report_pupil_report_id'), ['report_id'])

    op.create_table(
        'safeguarding_report_read',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('reader_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['reader_id'], ['user.id'],
                                name=op.f('fk_safeguarding_report_read_reader_id_user')),
        sa.ForeignKeyConstraint(
            ['report_id'], ['safeguarding_report.id'],
            name=op.f('fk_safeguarding_report_read_report_id_safeguarding_report'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguarding_report_read')),
    )
    with op.batch_alter_table('safeguarding_report_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safeguarding_report_read_report_id'), ['report_id'])

    op.create_table(
        'safeguarding_incident',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('opened_by_id', sa.Integer(), nullable=False),
        sa.Column('opened_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['opened_by_id'], ['user.id'],
                                name=op.f('fk_safeguarding_incident_opened_by_id_user')),
        sa.ForeignKeyConstraint(['school_id'], ['school.id'],
                                name=op.f('fk_safeguarding_incident_school_id_school')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguarding_incident')),
    )
    with op.batch_alter_table('safeguarding_incident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safeguarding_incident_opened_at'), ['opened_at'])
        batch_op.create_index(batch_op.f('ix_safeguarding_incident_school_id'), ['school_id'])

    op.create_table(
        'safeguarding_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('incident_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('value', sa.String(length=80), nullable=True),
        sa.Column('text', sa.Text(), nullable=True),
        sa.Column('pupil_id', sa.Integer(), nullable=True),
        sa.Column('report_id', sa.Integer(), nullable=True),
        sa.Column('corrects_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['author_id'], ['user.id'],
                                name=op.f('fk_safeguarding_entry_author_id_user')),
        sa.ForeignKeyConstraint(
            ['corrects_id'], ['safeguarding_entry.id'],
            name=op.f('fk_safeguarding_entry_corrects_id_safeguarding_entry'),
        ),
        sa.ForeignKeyConstraint(
            ['incident_id'], ['safeguarding_incident.id'],
            name=op.f('fk_safeguarding_entry_incident_id_safeguarding_incident'),
        ),
        sa.ForeignKeyConstraint(['pupil_id'], ['user.id'],
                                name=op.f('fk_safeguarding_entry_pupil_id_user')),
        sa.ForeignKeyConstraint(
            ['report_id'], ['safeguarding_report.id'],
            name=op.f('fk_safeguarding_entry_report_id_safeguarding_report'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguarding_entry')),
    )
    with op.batch_alter_table('safeguarding_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safeguarding_entry_incident_id'), ['incident_id'])
        batch_op.create_index(batch_op.f('ix_safeguarding_entry_pupil_id'), ['pupil_id'])

    op.create_table(
        'safeguarding_sanction_option',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('audience', sa.String(length=10), nullable=False),
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=True),
        sa.Column('shown', sa.Boolean(), nullable=False),
        sa.Column('changed_by_id', sa.Integer(), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['changed_by_id'], ['user.id'],
                                name=op.f('fk_safeguarding_sanction_option_changed_by_id_user')),
        sa.ForeignKeyConstraint(['school_id'], ['school.id'],
                                name=op.f('fk_safeguarding_sanction_option_school_id_school')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguarding_sanction_option')),
    )
    with op.batch_alter_table('safeguarding_sanction_option', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_safeguarding_sanction_option_school_id'), ['school_id']
        )

    create_triggers()


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(sa.text(f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table}"))
            op.execute(sa.text(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"))
    for table in reversed(TABLES):
        op.drop_table(table)
