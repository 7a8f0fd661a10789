"""POST /api/analyze and `intake analyze` return one entry per problem in the agreed shape."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
import requests

LOCATION_KEYS = {"province", "city", "district", "street", "community", "estate", "road", "house_number", "poi",
                 "entrance", "building", "unit", "room", "grid", "responsible_unit", "placement", "text", "lat", "lng"}


def test_analyze_shape_and_content(stack, app_url):
    resp = requests.post(f"{app_url}/api/analyze",
                         json={"text": "汉口城市广场二号楼七二一的窗台上有人建花架，很危险！", "channel": "wechat"},
                         timeout=30)
    assert resp.status_code == 200
    body = resp.json()
    assert body["normalized_text"].startswith("汉口城市广场")
    issue = body["issues"][0]
    assert set(issue["category"]) >= {"level1", "level2", "level3", "department", "confidence", "alternatives"}
    assert issue["category"]["level3"] == "违章建筑"
    assert len(issue["category"]["alternatives"]) == 2
    assert issue["urgency"]["level"] in ("特急", "紧急") and issue["urgency"]["reasons"]
    assert set(issue["location"]) == LOCATION_KEYS
    assert issue["location"]["poi"] == "汉口城市广场"
    assert issue["location"]["building"] == "2" and issue["location"]["room"] == "721"
    assert issue["placement"]["status"] == "unknown"  # not a place of the Yantian gazetteer


def test_analyze_places_the_address_in_the_gazetteer(stack, app_url):
    resp = requests.post(f"{app_url}/api/analyze", json={"text": "海滔社区三栋楼下井盖没了", "channel": "voice"},
                         timeout=30)
    issue = resp.json()["issues"][0]
    assert issue["location"]["street"] == "海山街道" and issue["location"]["community"] == "海涛社区"
    assert issue["location"]["responsible_unit"] == "海涛社区工作站"
    # the trigger rule says 安全隐患 (紧急); the urgency model, a missing cover under a building where
    # people pass, 特急 — the higher grade wins and both reasons are shown
    assert issue["urgency"]["level"] == "特急" and "安全隐患" in issue["urgency"]["reasons"]
    assert any("井口或坑洞" in r and "模型" in r for r in issue["urgency"]["reasons"]), issue["urgency"]


def test_two_problems_in_one_message_are_split(stack, app_url):
    resp = requests.post(f"{app_url}/api/analyze",
                         json={"text": "楼下餐馆油烟很大，小区门口路面也被挖坏了"}, timeout=30)
    issues = resp.json()["issues"]
    assert [i["category"]["level3"] for i in issues] == ["大气污染", "基础设施"]


@pytest.mark.parametrize("text,level3", [
    ("楼下的KTV每天晚上放歌到凌晨两点，too noisy，根本睡不着", "噪音污染"),
    ("Street light broken 路灯坏了在幸福路", "城市公共设施"),
    ("快递柜的APP扫码一直fail，取不出包裹", "快递市场管理"),
])
def test_mixed_chinese_and_english_is_understood(stack, app_url, text, level3):
    resp = requests.post(f"{app_url}/api/analyze", json={"text": text}, timeout=30)
    assert resp.status_code == 200
    assert resp.json()["issues"][0]["category"]["level3"] == level3


def test_cli_analyze_reads_lines_from_stdin(stack):
    out = subprocess.run([sys.executable, "-m", "intake.cli", "analyze"], input="我们小区的路灯坏了\n\n😀\n",
                         capture_output=True, text=True, timeout=120, check=True).stdout.splitlines()
    rows = [json.loads(line) for line in out]
    assert [r["line"] for r in rows] == [1, 2, 3]
    assert rows[0]["issues"][0]["category"]["level3"] == "城市公共设施"
    assert "error" in rows[1] and "error" in rows[2]
