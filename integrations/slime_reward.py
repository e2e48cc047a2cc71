"""slime custom reward function backed by `rubricate serve`.

    --custom-rm-path integrations.slime_reward.reward_func                  # one sample at a time
    --group-rm --custom-rm-path integrations.slime_reward.batched_reward_func   # a group at once

(the module must be importable: put `integrations/` on PYTHONPATH or copy the file into your package.)
Each sample is sent as its prompt (text or chat messages) and response to POST /v1/score; the
metadata keys `instance_id`, `patch`, `task` and `resolved`, when present, are sent along, and the
group index as the group. A sample the server could not score gets the server's fallback reward.

Environment: RUBRICATE_URL (default http://127.0.0.1:8787), RUBRICATE_TOKEN (bearer token, if the
server has one), RUBRICATE_TIMEOUT (seconds, default 300), RUBRICATE_RUBRIC (a rubric id the server
serves). Python standard library only.
"""

import asyncio
import json
import os
import time
import urllib.error
import urllib.request

_FIELDS = ("instance_id", "patch", "task", "resolved")


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



def _item(sample):
    item = {"prompt": sample.prompt, "response": sample.response}
    meta = sample.metadata if isinstance(getattr(sample, "metadata", None), dict) else {}
    for key in _FIELDS:
        if meta.get(key) is not None:
            item[key] = meta[key]
    if getattr(sample, "group_index", None) is not None:
        item["group"] = sample.group_index
    return item


def _rewards(samples):
    body = {"items": [_item(s) for s in samples]}
    if os.environ.get("RUBRICATE_RUBRIC"):
        body["rubric"] = os.environ["RUBRICATE_RUBRIC"]
    return [r["reward"] for r in _post("/v1/score", body)["results"]]


async def reward_func(args, sample, **kwargs):
    """One sample: its reward."""
    return (await asyncio.to_thread(_rewards, [sample]))[0]


async def batched_reward_func(args, samples, **kwargs):
    """A group of samples (--group-rm): their rewards, in order, from one request."""
    return await asyncio.to_thread(_rewards, list(samples))
