"""TRL GRPO reward function backed by `rubricate serve`.

    from trl import GRPOConfig, GRPOTrainer
    from trl_reward import rubricate_reward
    trainer = GRPOTrainer(model=..., reward_funcs=[rubricate_reward], args=GRPOConfig(...), train_dataset=ds)

Environment: RUBRICATE_URL (default http://127.0.0.1:8787), RUBRICATE_TOKEN (bearer token, if the
server has one), RUBRICATE_TIMEOUT (seconds, default 300), RUBRICATE_RUBRIC (a rubric id the server
serves). Python standard library only.

Conversational datasets give prompts and completions as chat messages (sent as `messages`); standard
ones give text (sent as `prompt` + `response`). The dataset columns `instance_id`, `patch`, `task` and
`resolved`, when present, are sent along. A completion the server could not score gets None, which
TRL leaves out of the reward (rather than a made-up value).
"""

import asyncio
import json
import os
import time
import urllib.error
import urllib.request

_COLUMNS = ("instance_id", "patch", "task", "resolved")


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



def _item(prompt, completion, i, columns):
    if isinstance(completion, list):
        head = prompt if isinstance(prompt, list) else [{"role": "user", "content": prompt}]
        item = {"messages": list(head) + list(completion)}
    else:
        item = {"prompt": prompt, "response": completion}
    for key in _COLUMNS:
        values = columns.get(key)
        if isinstance(values, list) and i < len(values) and values[i] is not None:
            item[key] = values[i]
    return item


def _rewards(prompts, completions, columns):
    body = {"items": [_item(p, c, i, columns) for i, (p, c) in enumerate(zip(prompts, completions))]}
    if os.environ.get("RUBRICATE_RUBRIC"):
        body["rubric"] = os.environ["RUBRICATE_RUBRIC"]
    results = _post("/v1/score", body)["results"]
    return [None if r["failed"] else r["reward"] for r in results]


async def rubricate_reward(prompts, completions, completion_ids=None, **kwargs):
    """GRPOTrainer reward function: one request for the batch; None where the server could not score."""
    return await asyncio.to_thread(_rewards, prompts, completions, kwargs)
