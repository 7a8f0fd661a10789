"""Benchmark: WeChat under a crowd — how many answers make WeChat's five seconds, and whether the
rest arrive through the customer-service path, none twice and none lost.

    python -m bench.wechat_load [--users 200] [--reply-wait 4.5]

Starts the agent on the bench ports with the WeChat channel configured and WeChat's API played by
bench/wechat_api.py (a real HTTP server recording every customer-service message), then lets
--users followers at once each send a signed three-message report (the problem and place, 「确认」,
「谢谢」) to /webhooks/wechat/webhook, the next message after the previous answer, as WeChat does.
An answer is passive (XML within the request) or `success`, in which case the agent must send it
as a customer-service message; after the run every follower's customer-service messages are
counted against their `success` answers. Prints and writes bench/reports/wechat_load.md (+ .json,
a latency histogram .png).
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional

import aiohttp
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from bench.agent import agent_urls  # noqa: E402
from bench.outbox import free_port  # noqa: E402
from bench.stats import percentile  # noqa: E402
from bench.wechat_api import WeChatApi  # noqa: E402

REPORTS = Path(__file__).with_name("reports")
TOKEN, APP_ID, SECRET = "bench-wechat-token", "wxbench0123456789", "bench-app-secret"
MESSAGES = ["海景花园{n}栋楼下的路灯坏了好几天了", "确认", "谢谢"]
LIMIT_S = 5.0


def _signed(timestamp: str, nonce: str) -> str:
    return hashlib.sha1("".join(sorted([TOKEN, timestamp, nonce])).encode()).hexdigest()


async def follower(http: aiohttp.ClientSession, rasa_url: str, n: int, results: List[Dict]) -> None:
    openid = f"o-bench-{uuid.uuid4().hex[:12]}"
    for text in MESSAGES:
        timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:8]
        xml = (f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
               f"<CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
               f"<Content><![CDATA[{text.format(n=n % 30 + 1)}]]></Content><MsgId>{uuid.uuid4().int % 10**18}</MsgId></xml>")
        started = time.perf_counter()
        try:
            async with http.post(f"{rasa_url}/webhooks/wechat/webhook", data=xml.encode(),
                                 params={"timestamp": timestamp, "nonce": nonce, "signature": _signed(timestamp, nonce)},
                                 timeout=aiohttp.ClientTimeout(total=60)) as resp:
                body = await resp.text()
                status = resp.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            body, status = f"{type(exc).__name__}", 0
        seconds = time.perf_counter() - started
        kind = "error" if status != 200 else ("late" if body == "success" else "passive")
        results.append({"openid": openid, "seconds": seconds, "kind": kind, "status": status})


def write_report(summary: Dict, latencies: List[float], command: str) -> None:
    REPORTS.mkdir(exist_ok=True)
    lines = ["# WeChat under a crowd", "", f"Command: `{command}`", "",
             "Followers at once, each sending a three-message report; an answer is passive (within the request) or "
             "`success` followed by a customer-service message (bench/wechat_api.py records them).", "",
             "| figure | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in summary.items()]
    lines += ["", "![answer times](wechat_load.png)"]
    (REPORTS / "wechat_load.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (REPORTS / "wechat_load.json").write_text(json.dumps({"command": command, **summary}, ensure_ascii=False,
                                                         indent=1), encoding="utf-8")
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.hist(latencies, bins=40)
    ax.axvline(LIMIT_S, color="red", linestyle="--", label="WeChat's 5 s")
    ax.set_xlabel("seconds to the webhook's answer")
    ax.set_ylabel("messages")
    ax.legend()
    fig.tight_layout()
    fig.savefig(REPORTS / "wechat_load.png", dpi=120)


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--reply-wait", type=float, default=4.5, help="the channel's reply_wait_s")
    args = parser.parse_args(argv)
    api = WeChatApi(port=free_port(), app_id=APP_ID, secret=SECRET).start()
    os.environ.update({"WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": SECRET,
                       "WECHAT_API_BASE": api.url, "INTAKE_WECHAT_REPLY_WAIT_S": str(args.reply_wait)})
    os.environ.pop("WECHAT_AES_KEY", None)  # 明文模式: the crowd, not the cipher, is measured
    try:
        with agent_urls(None, None, "wechat-load") as (rasa_url, _):
            results: List[Dict] = []

            async def crowd() -> float:
                connector = aiohttp.TCPConnector(limit=0)
                async with aiohttp.ClientSession(connector=connector) as http:
                    started = time.perf_counter()
                    await asyncio.gather(*(follower(http, rasa_url, n, results) for n in range(args.users)))
                    return time.perf_counter() - started

            wall = asyncio.run(crowd())
            late_by_openid: Dict[str, int] = {}
            for r in results:
                if r["kind"] == "late":
                    late_by_openid[r["openid"]] = late_by_openid.get(r["openid"], 0) + 1
            deadline = time.monotonic() + 120  # the late answers are still being sent
            while time.monotonic() < deadline and any(len(api.texts_to(o)) < c for o, c in late_by_openid.items()):
                time.sleep(0.5)
            time.sleep(2)
            sent = {o: len(api.texts_to(o)) for o in {r["openid"] for r in results}}
            passive = [r["seconds"] for r in results if r["kind"] == "passive"]
            total = len(results)
            summary = {
                "followers": args.users, "messages": total, "wall seconds": round(wall, 1),
                "answered passively within 5 s": f"{sum(s <= LIMIT_S for s in passive)} "
                                                  f"({sum(s <= LIMIT_S for s in passive) / max(total, 1):.1%})",
                "answered `success`, then by customer-service message": sum(late_by_openid.values()),
                "customer-service messages received": sum(sent.values()),
                "lost (a `success` without its message)": sum(max(0, c - sent.get(o, 0))
                                                              for o, c in late_by_openid.items()),
                "doubled (messages beyond the `success` answers)": sum(max(0, n - late_by_openid.get(o, 0))
                                                                       for o, n in sent.items()),
                "errors": sum(r["kind"] == "error" for r in results),
                "passive p50 / p95 / p99 ms": " / ".join(f"{percentile(passive, q) * 1000:.0f}" for q in (0.5, 0.95, 0.99))
                if passive else "-",
                "webhook answers over 5 s": sum(r["seconds"] > LIMIT_S for r in results),
            }
            for key, value in summary.items():
                print(f"{key}: {value}")
            write_report(summary, [r["seconds"] for r in results],
                         f"python -m bench.wechat_load --users {args.users} --reply-wait {args.reply_wait}")
    finally:
        api.stop()


if __name__ == "__main__":
    main()
