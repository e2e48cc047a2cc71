"""verl custom reward function backed by `rubricate serve`.

verl config:
    custom_reward_function.path=integrations/verl_reward.py
    custom_reward_function.name=compute_score          # or compute_score_async (reward loop),
                                                      # or compute_score_batch (reward_manager=batch)

Environment: RUBRICATE_URL (default http://127.0.0.1:8787), RUBRICATE_TOKEN (bearer token, if the
server has one), RUBRICATE_TIMEOUT (seconds, default 300), RUBRICATE_RUBRIC (a rubric id the server
serves). Python standard library only.

`solution_str` is the decoded response. `extra_info` may carry `messages` or `prompt` (the prompt as
chat messages or text), and `instance_id`, `patch`, `task`, `resolved`, `group`; they are sent along.
Each call returns {"score": reward, "p_resolved", "behaviour_score", "failed"}: verl logs the extra
keys. A rollout the server could not score gets the server's fallback reward and failed = 1.
"""

import asyncio
import json
import os
import time
import urllib.error
import urllib.request

_FIELDS = ("instance_id", "patch", "task", "resolved", "group", "tools", "exit_status")


def _post(path, body):
    """POST JSON to the server; retries 429/503 (after Retry-After) and connection errors until the timeout."""
    url = os.environ.get("RUBRICATE_URL", "http://127.0.0.1:8787").rstrip("/") + path
    headers = {"content-type": "application/json"}
    if os.environ.get("RUBRICATE_TOKEN"):
        headers["authorization"] = "Bearer " + os.environ["RUBRICATE_TOKEN"]
    deadline = time.monotonic() + float(os.environ.get("RUBRICATE_TIMEOUT", "300"))
    data = json.dumps(body).encode()
    wait = 1.0
    while True:
        try:
            req = urllib.request.Request(url, data=data, headers=headers, method="POST")
            with urllib.request.urlopen(req, timeout=max(1.0, deadline - time.monotonic())) as res:
                return json.loads(res.read())
        except urllib.error.HTTPError as e:
            if e.code not in (429, 503) or time.monotonic() + wait > deadline:
                raise RuntimeError("rubricate %s answered %d: %s" % (path, e.code, e.read()[:500])) from None
            wait = float(e.headers.get("retry-after") or wait)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() + wait > deadline:
                raise
        time.sleep(wait)
        wait = min(wait * 2, 30.0)


def _item(solution_str, extra_info):
    extra = extra_info if isinstance(extra_info, dict) else {}
    item = {"response": solution_str}
    prompt = extra.get("messages", extra.get("prompt"))
    if isinstance(prompt, (str, list)):
        item["prompt"] = prompt
    for key in _FIELDS:
        if extra.get(key) is not None:
            item[key] = extra[key]
    return item


def _result(r):
    return {
        "score": r["reward"],
        "p_resolved": r["reward"] if r["p_resolved"] is None else r["p_resolved"],
        "behaviour_score": r["reward"] if r["behaviour_score"] is None else r["behaviour_score"],
        "failed": 1 if r["failed"] else 0,
    }


def _score(items):
    body = {"items": items}
    if os.environ.get("RUBRICATE_RUBRIC"):
        body["rubric"] = os.environ["RUBRICATE_RUBRIC"]
    return [_result(r) for r in _post("/v1/score", body)["results"]]


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    """verl's naive / dapo / prime reward managers: one rollout."""
    return _score([_item(solution_str, extra_info)])[0]


async def compute_score_async(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    """verl's reward loop: the same, awaited without blocking the event loop."""
    return await asyncio.to_thread(compute_score, data_source, solution_str, ground_truth, extra_info)


def compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos, **kwargs):
    """verl's batch reward manager: one request for the whole batch."""
    infos = extra_infos if extra_infos is not None else [None] * len(solution_strs)
    return _score([_item(s, e) for s, e in zip(solution_strs, infos)])
