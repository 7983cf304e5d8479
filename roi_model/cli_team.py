"""The command line's team administration: ``users`` and ``scenarios`` of a team store.

``python -m roi_model users add ana`` and the like manage who may sign in and which clients
each user belongs to; ``scenarios save`` and ``scenarios list`` act as one user, who reaches
only their own clients. Every refusal is a :class:`~roi_model.store.StoreError` (or a
ValueError) raised before anything is stored, which :func:`roi_model.cli.main` prints as one
line and exit code 2.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from roi_model.files.scenario_file import load_scenario
from roi_model.store import (
    Client,
    Role,
    ScenarioStore,
    ScenarioSummary,
    StoreError,
    StoreProblem,
    User,
    default_db_path,
)

Output = dict[str, Any] | list[Any] | str
Action = Callable[[argparse.Namespace], Output]


def add_team_parsers(commands: Any) -> None:
    """Add ``users`` and ``scenarios`` to the command line's subparsers."""
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="the database file (default: $ROI_EXPLORER_DB or the user's data folder)",
    )
    _add_users_parser(commands, database)
    _add_scenarios_parser(commands, database)


def _add_users_parser(commands: Any, database: argparse.ArgumentParser) -> None:
    users = commands.add_parser("users", help="team mode: add, list and remove users; grant")
    actions = users.add_subparsers(dest="action", required=True)
    _add_password_stdin(_user_action(actions, database, "add", "add a user"))
    _add_password_stdin(_user_action(actions, database, "password", "set a new password"))
    listing = actions.add_parser("list", parents=[database], help="print the users as JSON")
    listing.add_argument("--json", action="store_true", help="print JSON (the default)")
    _user_action(actions, database, "remove", "remove a user (what they saved stays)")
    grant = _user_action(actions, database, "grant", "add a user to a client (made if new)")
    revoke = _user_action(actions, database, "revoke", "take a user out of a client")
    for parser in (grant, revoke):
        parser.add_argument("--client", required=True, help="the client's name or id")
    roles = [role.value for role in Role]
    grant.add_argument("--role", choices=roles, default=Role.MEMBER, help="default: member")


def _user_action(
    actions: Any, database: argparse.ArgumentParser, action: str, help_text: str
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = actions.add_parser(action, parents=[database], help=help_text)
    parser.add_argument("name", metavar="NAME", help="the user's name")
    return parser


def _add_password_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from stdin's first line instead of asking twice",
    )


def _add_scenarios_parser(commands: Any, database: argparse.ArgumentParser) -> None:
    scenarios = commands.add_parser("scenarios", help="team mode: save and list as one user")
    actions = scenarios.add_subparsers(dest="action", required=True)
    save = actions.add_parser(
        "save", parents=[database], help="store a scenario file; print the new scenario's id"
    )
    save.add_argument("file", help="a scenario file (JSON, schema_version 1 to 4)")
    save.add_argument("--user", required=True, help="whose save it is")
    save.add_argument("--client", required=True, help="one of the user's clients, name or id")
    save.add_argument("--name", help="the scenario's name (default: the file's)")
    listing = actions.add_parser(
        "list", parents=[database], help="print the scenarios a user may see, as JSON"
    )
    listing.add_argument("--user", required=True)
    listing.add_argument("--client", help="only this client's (name or id)")
    listing.add_argument("--json", action="store_true", help="print JSON (the default)")


@contextmanager
def _opened(args: argparse.Namespace) -> Iterator[ScenarioStore]:
    with ScenarioStore(args.db or default_db_path()) as store:
        yield store


# -- users ------------------------------------------------------------------------------------


def _users_command(args: argparse.Namespace) -> Output:
    return _USER_ACTIONS[args.action](args)


def _add_user(args: argparse.Namespace) -> Output:
    password = _new_password(args)  # asked before the file is opened: a typo creates nothing
    with _opened(args) as store:
        user = store.add_user(args.name, password)
    return {"name": user.name, "created_at": user.created_at.isoformat()}


def _set_password(args: argparse.Namespace) -> Output:
    password = _new_password(args)
    with _opened(args) as store:
        store.set_password(args.name, password)
        return {"name": store.find_user(args.name).name}


def _new_password(args: argparse.Namespace) -> str:
    """The password from stdin's first line, or typed twice without echo."""
    if args.password_stdin:
        return sys.stdin.readline().removesuffix("\n")
    try:
        first = getpass.getpass(f"Password for {args.name}: ")
        again = getpass.getpass("The same password again: ")
    except EOFError as error:
        raise ValueError(f"no password given for {args.name!r}") from error
    if first != again:
        raise ValueError(f"the two passwords given for {args.name!r} differ")
    return first


def _list_users(args: argparse.Namespace) -> Output:
    with _opened(args) as store:
        return [_user_entry(store, user) for user in store.users()]


def _user_entry(store: ScenarioStore, user: User) -> dict[str, Any]:
    clients = [
        {"client": m.client_name, "role": m.role.value} for m in store.memberships(user.name)
    ]
    return {"name": user.name, "created_at": user.created_at.isoformat(), "clients": clients}


def _remove_user(args: argparse.Namespace) -> Output:
    with _opened(args) as store:
        user = store.find_user(args.name)
        store.remove_user(user.name)
    return {"removed": user.name}


def _grant(args: argparse.Namespace) -> Output:
    with _opened(args) as store:
        membership = store.grant(args.name, args.client, Role(args.role))
    return {
        "user": membership.user,
        "client": membership.client_name,
        "client_id": membership.client_id,
        "role": membership.role.value,
    }


def _revoke(args: argparse.Namespace) -> Output:
    with _opened(args) as store:
        user = store.find_user(args.name)
        client = _client_among(store.clients(), args.client)
        if client is None:
            raise StoreError(StoreProblem.NOT_FOUND, f"client {args.client!r}")
        store.revoke(user.name, str(client.id))
    return {"user": user.name, "client": client.name}


_USER_ACTIONS: dict[str, Action] = {
    "add": _add_user,
    "password": _set_password,
    "list": _list_users,
    "remove": _remove_user,
    "grant": _grant,
    "revoke": _revoke,
}


# -- scenarios --------------------------------------------------------------------------------


def _scenarios_command(args: argparse.Namespace) -> Output:
    return _SCENARIO_ACTIONS[args.action](args)


def _save_scenario(args: argparse.Namespace) -> Output:
    """Store the file as the user's new scenario; only its id is printed, for scripts."""
    scenario = load_scenario(args.file)
    with _opened(args) as store:
        user = store.find_user(args.user)
        view = store.as_user(user)
        client = _users_client(view, user, args.client)
        summary = view.save_new(client.id, scenario, args.name)
    return str(summary.id)


def _list_scenarios(args: argparse.Namespace) -> Output:
    with _opened(args) as store:
        user = store.find_user(args.user)
        view = store.as_user(user)
        client_id = None if args.client is None else _users_client(view, user, args.client).id
        return [_scenario_entry(summary) for summary in view.scenarios(client_id)]


def _scenario_entry(summary: ScenarioSummary) -> dict[str, Any]:
    return {
        "id": summary.id,
        "client": summary.client_name,
        "name": summary.name,
        "saved_by": summary.saved_by,
        "saved_at": summary.updated_at.isoformat(),
    }


def _users_client(view: ScenarioStore, user: User, text: str) -> Client:
    """One of the viewing user's clients; a client they are not in is refused as if it did
    not exist, so that the message is the same either way."""
    client = _client_among(view.clients(), text)
    if client is None:
        detail = f"{user.name} is not a member of client {text!r}"
        raise StoreError(StoreProblem.FORBIDDEN, detail)
    return client


def _client_among(clients: Sequence[Client], text: str) -> Client | None:
    """The client named ``text`` (stripped, case aside) or with ``text`` as its id."""
    wanted = text.strip()
    for client in clients:
        if client.name.casefold() == wanted.casefold() or str(client.id) == wanted:
            return client
    return None


_SCENARIO_ACTIONS: dict[str, Action] = {"save": _save_scenario, "list": _list_scenarios}

#: The commands this module adds, for :data:`roi_model.cli._COMMANDS`.
TEAM_COMMANDS: dict[str, Action] = {"users": _users_command, "scenarios": _scenarios_command}
