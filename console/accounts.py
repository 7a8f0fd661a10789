"""Console accounts: operators review intakes, trainers turn corrections into training data,
admins do both and manage accounts. Passwords are stored as argon2id hashes only; wrong
passwords in a row lock the account for a while (settings/console.yml), so a password cannot be
guessed online, and an unknown name costs the same time as a known one."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import List, Optional, Tuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel
from sqlalchemy import Boolean, Column, DateTime, Integer, String, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from common import clock
from console.settings import ConsoleSettings, console_settings
from dispatch.database import Base

ROLES = ("operator", "trainer", "admin")
NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")
_HASHER = PasswordHasher()
# verified against when the name is unknown, so that both cost one argon2 verification
_DUMMY_HASH = _HASHER.hash("not a password of anyone")


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message says why."""


class LoginRefused(Exception):
    """Wrong name or password, a disabled or locked account; ``message`` is what the login page shows."""

    def __init__(self, message: str, locked_until: Optional[datetime] = None) -> None:
        super().__init__(message)
        self.message, self.locked_until = message, locked_until


class AccountRow(Base):
    __tablename__ = "console_accounts"

    pk = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(64), unique=True, nullable=False)
    role = Column(String(16), nullable=False)
    password_hash = Column(String(200), nullable=False)
    disabled = Column(Boolean, nullable=False, default=False)
    created_at = Column(DateTime, nullable=False)
    password_changed_at = Column(DateTime, nullable=False)
    failures = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime)
    last_login_at = Column(DateTime)


class Account(BaseModel):
    username: str
    role: str
    disabled: bool
    created_at: datetime
    last_login_at: Optional[datetime] = None
    locked_until: Optional[datetime] = None

    @classmethod
    def from_row(cls, row: AccountRow) -> "Account":
        return cls(username=row.username, role=row.role, disabled=row.disabled, created_at=row.created_at,
                   last_login_at=row.last_login_at, locked_until=row.locked_until)

    def may(self, roles: Tuple[str, ...]) -> bool:
        """Admins may do everything; the others what one of ``roles`` may."""
        return self.role == "admin" or self.role in roles


class Accounts:
    def __init__(self, engine: Engine, settings: Optional[ConsoleSettings] = None) -> None:
        Base.metadata.create_all(engine, tables=[AccountRow.__table__])
        self.session = sessionmaker(engine, future=True, expire_on_commit=False)
        self.settings = settings or console_settings()

    def _check_password(self, password: str) -> None:
        if len(password) < self.settings.passwords.min_length:
            raise AccountError(f"the password must have at least {self.settings.passwords.min_length} characters")
        if password.strip() != password:
            raise AccountError("the password must not start or end with spaces")

    def add(self, username: str, role: str, password: str) -> Account:
        username = username.strip().lower()
        if not username or len(username) > 64 or set(username) - NAME_CHARS:
            raise AccountError("a user name is 1–64 characters of a–z, 0–9, '.', '_' and '-'")
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        self._check_password(password)
        now = clock.now()
        try:
            with self.session.begin() as session:
                row = AccountRow(username=username, role=role, password_hash=_HASHER.hash(password),
                                 disabled=False, created_at=now, password_changed_at=now, failures=0)
                session.add(row)
                session.flush()
                return Account.from_row(row)
        except IntegrityError:
            raise AccountError(f"user {username} exists already") from None

    def list(self) -> List[Account]:
        with self.session() as session:
            return [Account.from_row(r) for r in session.execute(select(AccountRow).order_by(AccountRow.username)).scalars()]

    def get(self, username: str) -> Optional[Account]:
        with self.session() as session:
            row = self._row(session, username)
            return Account.from_row(row) if row else None

    @staticmethod
    def _row(session, username: str) -> Optional[AccountRow]:
        return session.execute(select(AccountRow).where(AccountRow.username == username.strip().lower())).scalars().first()

    def _change(self, username: str, **values) -> Account:
        with self.session.begin() as session:
            row = self._row(session, username)
            if row is None:
                raise AccountError(f"no user {username}")
            for name, value in values.items():
                setattr(row, name, value)
            return Account.from_row(row)

    def disable(self, username: str) -> Account:
        return self._change(username, disabled=True)

    def enable(self, username: str) -> Account:
        return self._change(username, disabled=False, failures=0, locked_until=None)

    def reset_password(self, username: str, password: str) -> Account:
        """A new password; also lifts a lock from failed sign-ins."""
        self._check_password(password)
        return self._change(username, password_hash=_HASHER.hash(password), password_changed_at=clock.now(),
                            failures=0, locked_until=None)

    def authenticate(self, username: str, password: str, now: Optional[datetime] = None) -> Account:
        """The account, or LoginRefused saying only what a person at the login page may know."""
        now = now or clock.now()
        refused: Optional[LoginRefused] = None
        with self.session.begin() as session:  # a failure is counted even though sign-in is refused
            row = self._row(session, username or "")
            if row is None:
                _verify(_DUMMY_HASH, password)
                refused = LoginRefused("用户名或密码错误")
            elif row.locked_until and row.locked_until > now:
                refused = LoginRefused(f"连续输错密码次数过多，账号已锁定至{row.locked_until:%H:%M}，请稍后再试或联系管理员",
                                       row.locked_until)
            elif not _verify(row.password_hash, password):
                row.failures = (row.failures or 0) + 1
                refused = LoginRefused("用户名或密码错误")
                if row.failures >= self.settings.login.max_failures:
                    row.locked_until, row.failures = now + timedelta(minutes=self.settings.login.lock_minutes), 0
                    refused = LoginRefused(f"连续输错密码次数过多，账号已锁定至{row.locked_until:%H:%M}", row.locked_until)
            elif row.disabled:
                refused = LoginRefused("该账号已停用，请联系管理员")
            else:
                if _HASHER.check_needs_rehash(row.password_hash):
                    row.password_hash = _HASHER.hash(password)
                row.failures, row.locked_until, row.last_login_at = 0, None, now
                account = Account.from_row(row)
        if refused is not None:
            raise refused
        return account

def _verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        return False
