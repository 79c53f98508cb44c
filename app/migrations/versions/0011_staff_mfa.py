"""Staff MFA: authenticator (TOTP) secrets, recovery codes, and the school's teacher setting

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 22:00:00.000000

Coordinators and admins (and teachers, where the school asks) sign in with a code from an
authenticator app after their password. The secret is stored encrypted, the ten recovery codes
with the slow password hash, and each sign-in session notes when its code was accepted: sessions
open before this revision have none, so their staff are asked for a code (or to set one up).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mfa_secret', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('mfa_enabled_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('mfa_last_step', sa.Integer(), nullable=True))
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('mfa_for_teachers', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('second_factor_at', sa.DateTime(), nullable=True))
    op.create_table(
        'mfa_recovery_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=255), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user.id'], name=op.f('fk_mfa_recovery_code_user_id_user'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mfa_recovery_code')),
    )
    with op.batch_alter_table('mfa_recovery_code', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_mfa_recovery_code_user_id'), ['user_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('mfa_recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mfa_recovery_code_user_id'))
    op.drop_table('mfa_recovery_code')
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.drop_column('second_factor_at')
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_column('mfa_for_teachers')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('mfa_last_step')
        batch_op.drop_column('mfa_enabled_at')
        batch_op.drop_column('mfa_secret')
