"""The store on PostgreSQL under a team's load: many processes saving into one client at once,
the server stopped and started under an open store, and what a URL looks like in messages."""

from __future__ import annotations

import multiprocessing
from dataclasses import replace

import pytest

from roi_model import Investment, Scenario
from roi_model.store import ScenarioStore, StoreError, StoreProblem
from roi_model.store.postgres import is_server_url, masked
from tests.postgres_support import Cluster

PROCESSES = 8
SAVES = 100


def _saver(url: str, scenario_id: int, process: int, conflicts: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """Save ``SAVES`` new versions of one scenario, each marked by its ad budget; a save that
    finds someone saved since (the documented conflict) starts again from the newer version."""
    refused = 0
    with ScenarioStore(url, busy_timeout=30.0) as store:
        for save in range(SAVES):
            marker = float(1_000_000 * (process + 1) + save)
            while True:
                summary, scenario = store.load(scenario_id)
                budget = replace(scenario.investment, ad_budget=marker)
                try:
                    store.save(scenario_id, replace(scenario, investment=budget), summary.version)
                    break
                except StoreError as error:
                    if error.problem is not StoreProblem.CONFLICT:
                        raise
                    refused += 1
    conflicts.put(refused)


def test_eight_processes_saving_one_scenario_lose_no_version(
    postgres_url: str, example_scenario: Scenario
) -> None:
    with ScenarioStore(postgres_url) as store:
        client = store.create_client("Acme")
        first = store.save_new(client.id, example_scenario, "Shared plan")
    context = multiprocessing.get_context("spawn")
    conflicts = context.Queue()
    workers = [
        context.Process(target=_saver, args=(postgres_url, first.id, process, conflicts))
        for process in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [worker.exitcode for worker in workers] == [0] * PROCESSES
    with ScenarioStore(postgres_url) as store:
        history = store.history(first.id)
        summaries = store.scenarios(client.id)
    assert len(history) == 1 + PROCESSES * SAVES
    assert sorted(v.version for v in history) == list(range(1, 2 + PROCESSES * SAVES))
    saved = {v.scenario.investment.ad_budget for v in history[:-1]}
    expected = {float(1_000_000 * (p + 1) + s) for p in range(PROCESSES) for s in range(SAVES)}
    assert saved == expected  # every save is there once, none overwritten
    assert [s.version for s in summaries] == [1 + PROCESSES * SAVES]
    refused = sum(conflicts.get(timeout=10) for _ in range(PROCESSES))
    assert refused >= 0  # conflicts are expected and were retried, never lost


def test_a_stopped_server_is_a_clear_refusal_and_its_return_is_found_again(
    postgres_cluster: Cluster, postgres_url: str, example_scenario: Scenario
) -> None:
    with ScenarioStore(postgres_url, busy_timeout=1.0) as store:
        client = store.create_client("Acme")
        postgres_cluster.stop()
        try:
            with pytest.raises(StoreError) as caught:
                store.save_new(client.id, example_scenario, "While down")
            assert caught.value.problem is StoreProblem.UNAVAILABLE
            assert "127.0.0.1" in caught.value.detail
        finally:
            postgres_cluster.start()
        saved = store.save_new(client.id, example_scenario, "Back again")
        assert [s.name for s in store.scenarios(client.id)] == [saved.name]


def test_opening_while_the_server_is_down_is_unavailable(
    postgres_cluster: Cluster, postgres_url: str
) -> None:
    postgres_cluster.stop()
    try:
        with pytest.raises(StoreError) as caught:
            ScenarioStore(postgres_url, busy_timeout=1.0)
        assert caught.value.problem is StoreProblem.UNAVAILABLE
    finally:
        postgres_cluster.start()


def test_a_database_of_a_newer_app_is_refused(postgres_url: str) -> None:
    ScenarioStore(postgres_url).close()
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("UPDATE roi_explorer_schema SET version = 99")
    with pytest.raises(StoreError) as caught:
        ScenarioStore(postgres_url)
    assert caught.value.problem is StoreProblem.FUTURE_SCHEMA


def test_two_stores_opening_a_new_database_at_once_create_it_once(postgres_url: str) -> None:
    with ScenarioStore(postgres_url) as first, ScenarioStore(postgres_url) as second:
        first.create_client("Acme")
        assert [c.name for c in second.clients()] == ["Acme"]


def test_urls_are_told_apart_from_files_and_shown_without_their_password() -> None:
    assert is_server_url("postgresql://ana:secret@db.example/roi")
    assert is_server_url("postgres://db/roi")
    assert not is_server_url("/home/ana/scenarios.sqlite3")
    assert masked("postgresql://ana:secret@db.example:5433/roi") == (
        "postgresql://ana:***@db.example:5433/roi"
    )
    assert masked("postgresql://db.example/roi") == "postgresql://db.example/roi"


def test_an_investment_round_trips_exactly(postgres_url: str, example_scenario: Scenario) -> None:
    odd = replace(example_scenario, investment=Investment(ad_budget=1234.5678, staff_hours=7.25))
    with ScenarioStore(postgres_url) as store:
        saved = store.save_new(store.create_client("Acme").id, odd, "Odd")
        assert store.load(saved.id)[1] == replace(odd, name="Odd")
