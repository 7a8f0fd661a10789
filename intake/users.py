"""`intake users`: console accounts from a shell — the first admin of a deployment is made here.

Passwords come from standard input (--password-stdin, for scripts) or a hidden prompt, never
from the command line, where other users of the machine and the shell history would see them."""
from __future__ import annotations

import sys
from typing import Optional

import typer
from rich.console import Console

users_app = typer.Typer(help="Console accounts (operator, trainer, admin).", no_args_is_help=True)
console = Console(soft_wrap=True)
DB_URL = typer.Option(None, "--db-url", envvar="INTAKE_DB_URL", help="the product's database (default var/tickets.db)")


def _accounts(db_url: Optional[str]):
    from console.accounts import Accounts
    from dispatch.database import engine_for

    return Accounts(engine_for(db_url))


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("password", hide_input=True, confirmation_prompt=True)


def _run(action):
    from console.accounts import AccountError

    try:
        return action()
    except AccountError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)


@users_app.command("add")
def add(name: str, role: str = typer.Option(..., help="operator | trainer | admin"),
        password_stdin: bool = typer.Option(False, "--password-stdin", help="read the password from standard input"),
        db_url: Optional[str] = DB_URL) -> None:
    account = _run(lambda: _accounts(db_url).add(name, role, _password(password_stdin)))
    console.print(f"added {account.username} ({account.role})")


@users_app.command("list")
def list_users(db_url: Optional[str] = DB_URL) -> None:
    for account in _accounts(db_url).list():
        state = "disabled" if account.disabled else ("locked" if account.locked_until else "active")
        last = f"{account.last_login_at:%Y-%m-%d %H:%M}" if account.last_login_at else "never"
        typer.echo(f"{account.username}\t{account.role}\t{state}\tlast sign-in {last}")  # tab-separated for scripts


@users_app.command("disable")
def disable(name: str, db_url: Optional[str] = DB_URL) -> None:
    """The account can no longer sign in; its open sessions end at their next request."""
    account = _run(lambda: _accounts(db_url).disable(name))
    console.print(f"disabled {account.username}")


@users_app.command("enable")
def enable(name: str, db_url: Optional[str] = DB_URL) -> None:
    account = _run(lambda: _accounts(db_url).enable(name))
    console.print(f"enabled {account.username}")


@users_app.command("reset-password")
def reset_password(name: str, password_stdin: bool = typer.Option(False, "--password-stdin"),
                   db_url: Optional[str] = DB_URL) -> None:
    """A new password; also unlocks an account locked by wrong passwords."""
    account = _run(lambda: _accounts(db_url).reset_password(name, _password(password_stdin)))
    console.print(f"new password set for {account.username}")
