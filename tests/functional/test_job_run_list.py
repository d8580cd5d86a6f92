"""``GET /v1/admin/jobs/{name}/runs``: a job's runs, latest first, through an index."""

from __future__ import annotations

from tests.functional.conftest import ADMIN, Stack, run_job


def test_a_jobs_runs_are_listed_latest_first_a_page_at_a_time(stack: Stack) -> None:
    for _ in range(3):
        run_job(stack, "deferred-mail")
    run_job(stack, "co-purchases")
    seen: list[dict[str, object]] = []
    cursor = ""
    for _ in range(5):
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = stack.http.get(f"/v1/admin/jobs/deferred-mail/runs{query}", headers=ADMIN)
        assert page.status_code == 200, page.body
        seen += page.json_body["items"]
        cursor = page.json_body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 3 and {run["job"] for run in seen} == {"deferred-mail"}
    requested = [str(run["requested_at"]) for run in seen]
    assert requested == sorted(requested, reverse=True)
    first = seen[0]
    assert first["status"] == "succeeded" and first["result"] == {
        "job": "deferred-mail",
        "requeued": 0,
    }
    assert first["started_at"] and first["finished_at"] and first["attempt"] == 1
    assert first["url"] == f"/v1/admin/jobs/deferred-mail/runs/{first['run_id']}"
    one = stack.http.get("/v1/admin/jobs/co-purchases/runs", headers=ADMIN).json_body
    assert [run["job"] for run in one["items"]] == ["co-purchases"] and not one["next_cursor"]


def test_unknown_jobs_and_foreign_cursors_are_refused(stack: Stack) -> None:
    run_job(stack, "deferred-mail")
    run_job(stack, "deferred-mail")
    cursor = stack.http.get("/v1/admin/jobs/deferred-mail/runs?limit=1", headers=ADMIN).json_body[
        "next_cursor"
    ]
    assert cursor
    foreign = stack.http.get(f"/v1/admin/jobs/co-purchases/runs?cursor={cursor}", headers=ADMIN)
    assert foreign.status_code == 400 and foreign.json_body["error"]["field"] == "cursor"
    unknown = stack.http.get("/v1/admin/jobs/nope/runs", headers=ADMIN)
    assert unknown.status_code == 404 and unknown.json_body["error"]["field"] == "name"
    assert stack.http.get("/v1/admin/jobs/deferred-mail/runs").status_code == 401
