"""OpenRLHF reward function backed by `rubricate serve`, for set-ups that load a Python file:

    --reward.remote_url integrations/openrlhf_reward_func.py     (older releases: --remote_rm_url ...)

(OpenRLHF can also call the server itself: --reward.remote_url http://host:8787/get_reward.)
OpenRLHF calls reward_func(queries, prompts, labels) with the decoded prompt + response (special
tokens kept), the templated prompts and the label column; this sends them to POST /get_reward and
returns its rewards, scores and extra_logs (as tensors when torch is importable, as OpenRLHF's own
example does). Errors of samples that got the fallback reward are logged.

Environment: RUBRICATE_URL (default http://127.0.0.1:8787), RUBRICATE_TOKEN (bearer token, if the
server has one), RUBRICATE_TIMEOUT (seconds, default 300), RUBRICATE_RUBRIC (a rubric id the server
serves). Python standard library only.
"""

import logging
import urllib.parse
import json
import os
import time
import urllib.error
import urllib.request


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



def _tensor(values):
    try:
        import torch
    except ImportError:
        return list(values)
    return torch.tensor(values, dtype=torch.float)


def reward_func(queries, prompts, labels, **kwargs):
    path = "/get_reward"
    if os.environ.get("RUBRICATE_RUBRIC"):
        path += "?rubric=" + urllib.parse.quote(os.environ["RUBRICATE_RUBRIC"])
    labels = list(labels) if labels is not None else [None] * len(queries)
    out = _post(path, {"query": list(queries), "prompts": list(prompts), "labels": labels})
    for i, error in enumerate(out.get("errors") or []):
        if error:
            logging.getLogger("rubricate").warning("sample %d got the fallback reward: %s", i, error)
    return {
        "rewards": _tensor(out["rewards"]),
        "scores": _tensor(out["scores"]),
        "extra_logs": {k: _tensor(v) for k, v in out["extra_logs"].items()},
    }
