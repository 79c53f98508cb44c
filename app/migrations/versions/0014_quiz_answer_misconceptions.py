"""Quiz answers keep the misconceptions they revealed, by id, so schools can count them

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 23:40:00.000000

Every wrong quiz option names one misconception from quizzes/misconceptions.yaml. At hand-in,
each answer keeps the ids its wrong choices revealed, one row each, so a class's and a year
group's most common misconceptions are counted in SQL. Answers from before this revision have
none (the free-text labels they were shown with cannot be counted across lessons).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'quiz_misconception',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('misconception_id', sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ['answer_id'], ['quiz_answer.id'], name=op.f('fk_quiz_misconception_answer_id_quiz_answer'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_misconception')),
        sa.UniqueConstraint(
            'answer_id', 'misconception_id',
            name=op.f('uq_quiz_misconception_answer_id_misconception_id'),
        ),
    )
    with op.batch_alter_table('quiz_misconception', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_quiz_misconception_answer_id'), ['answer_id'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_quiz_misconception_misconception_id'), ['misconception_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('quiz_misconception', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_misconception_misconception_id'))
        batch_op.drop_index(batch_op.f('ix_quiz_misconception_answer_id'))
    op.drop_table('quiz_misconception')
