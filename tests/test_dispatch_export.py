"""The export adapter: one spreadsheet per department and day for departments without an API —
each ticket once, in its latest state, safe to open in Excel — and the files served to a key
with full rights by a real app server; hotline callers to ring back, served the same way."""
from __future__ import annotations

import asyncio
import csv
import io

import aiohttp
from openpyxl import load_workbook

from dispatch.delivery_worker import DeliveryWorker
from dispatch.outbox import Outbox
from dispatch.routing import DispatchSettings
from dispatch.store import TicketStore
from tests.app_in_process import app_server
from tests.test_dispatch_delivery import report, run_worker


def export_store(tmp_path, db_url: str) -> TicketStore:
    routing = DispatchSettings.parse_obj({
        "adapters": {"sheets": {"type": "export", "directory": str(tmp_path / "exports")}},
        "routes": [{"adapters": ["sheets"], "when": {"department": ["城市管理局"]}}],
        "outbox": {"base_delay_s": 0.05, "poll_s": 0.05}})
    return TicketStore(db_url, routing=routing)


def deliver(store: TicketStore) -> Outbox:
    outbox = Outbox(store.session, store.routing.outbox)
    run_worker(DeliveryWorker(store, store.routing), lambda: outbox.counts()["pending"] == 0)
    return outbox


def test_a_day_file_holds_each_ticket_once_in_its_latest_state(tmp_path, new_db):
    store = export_store(tmp_path, new_db())
    first, _ = store.file(report(1))
    second, _ = store.file(report(2, description="=HYPERLINK(\"http://x\")路灯坏了"))
    store.file(report(3, department="生态环境局"))  # routed elsewhere
    store.amend(first.id, "operator", urgency="紧急", urgency_reasons=["夜间无照明"])
    outbox = deliver(store)
    assert outbox.counts() == {"pending": 0, "delivered": 3, "dead": 0}
    day = f"{first.created_at:%Y-%m-%d}"
    folder = tmp_path / "exports" / "城市管理局"
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock")) == [f"{day}.csv", f"{day}.xlsx"]
    raw = (folder / f"{day}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads Chinese CSV only with the mark
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["工单编号"] for r in rows] == [first.id, second.id]
    assert rows[0]["紧急程度"] == "紧急" and rows[0]["联系电话"] == "13812345678"
    assert rows[1]["问题描述"].startswith("'=HYPERLINK")  # text, not a formula
    sheet = load_workbook(folder / f"{day}.xlsx").active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "工单编号" and [v[0] for v in values[1:]] == [first.id, second.id]
    assert sheet.cell(row=3, column=6).data_type == "s"


def test_export_files_are_served_only_to_a_key_with_full_rights(tmp_path):
    store = export_store(tmp_path, f"sqlite:///{tmp_path / 'tickets.db'}")
    ticket, _ = store.file(report(4))
    deliver(store)
    day = f"{ticket.created_at:%Y-%m-%d}"
    key = {"X-Api-Key": "department-test-key"}

    async def main() -> None:
        async with app_server(store) as url, aiohttp.ClientSession() as http:
            base = f"{url}/api/exports"
            async with http.get(base) as resp:
                assert resp.status == 401
            async with http.get(base, headers={"X-Api-Key": "guess"}) as resp:
                assert resp.status == 403
            async with http.get(base, headers=key) as resp:
                files = (await resp.json())["files"]
            assert {(f["department"], f["day"], f["format"]) for f in files} == {
                ("城市管理局", day, "csv"), ("城市管理局", day, "xlsx")}
            async with http.get(f"{base}/sheets/城市管理局/{day}.csv", headers=key) as resp:
                assert resp.status == 200 and ticket.id in (await resp.read()).decode("utf-8-sig")
            async with http.get(f"{base}/sheets/城市管理局/{day}.xlsx", headers=key) as resp:
                assert resp.status == 200 and resp.content_type.endswith("spreadsheetml.sheet")
            async with http.get(f"{base}/sheets/城市管理局/1999-01-01.csv", headers=key) as resp:
                assert resp.status == 404
            async with http.get(f"{base}/sheets/城市管理局/passwd", headers=key) as resp:
                assert resp.status == 400
            async with http.get(f"{base}/sheets/..%2F..%2Fetc/{day}.csv", headers=key) as resp:
                assert resp.status == 404

    asyncio.run(asyncio.wait_for(main(), 60))


def test_hotline_callers_wait_on_the_callback_list(tmp_path):
    store = TicketStore(f"sqlite:///{tmp_path / 'tickets.db'}", routing=DispatchSettings())
    key = {"X-Api-Key": "department-test-key"}

    async def main() -> None:
        async with app_server(store) as url, aiohttp.ClientSession() as http:
            from appserver.notifications import Notifications
            queue = Notifications(store.engine)
            queue.add("13812345678", "voice", [{"text": "您反映的路灯问题已办结，您满意吗？",
                                                 "buttons": [{"title": "满意"}, {"title": "不满意"}]}])
            queue.add("o-wechat", "wechat", [{"text": "微信的不在回拨名单上"}])
            async with http.get(f"{url}/api/callbacks") as resp:
                assert resp.status == 401
            async with http.get(f"{url}/api/callbacks", headers=key) as resp:
                [call] = (await resp.json())["callbacks"]
            assert call["caller"] == "13812345678" and call["say"].endswith("满意吗？\n满意\n不满意")
            async with http.post(f"{url}/api/callbacks/{call['id']}/done", headers=key) as resp:
                assert resp.status == 200
            async with http.post(f"{url}/api/callbacks/{call['id']}/done", headers=key) as resp:
                assert resp.status == 404
            async with http.get(f"{url}/api/callbacks", headers=key) as resp:
                assert (await resp.json())["callbacks"] == []

    asyncio.run(asyncio.wait_for(main(), 60))
