"""Open311 GeoReport v2 over HTTP against the built-in store."""
from __future__ import annotations

import os
import uuid

import requests


def test_services_list_the_taxonomy(stack, app_url):
    services = requests.get(f"{app_url}/open311/v2/services.json", timeout=10).json()
    codes = {s["service_code"]: s for s in services}
    light = codes["城乡建设/城市建设和市政管理/城市公共设施"]
    assert light["service_name"] == "城市公共设施" and light["department"] == "城市管理局"
    assert light["metadata"] is False and light["type"] == "realtime"


def test_post_form_encoded_request_with_service_code(stack, app_url):
    key = uuid.uuid4().hex
    form = {"service_code": "环境保护/环境污染/噪音污染", "description": "工地晚上十二点还在施工",
            "address_string": "市南区团岛二路三号", "lat": "36.06", "long": "120.30",
            "phone": "13812345678", "idempotency_key": key}
    first = requests.post(f"{app_url}/open311/v2/requests.json", data=form, timeout=10)
    assert first.status_code == 201
    ticket_id = first.json()[0]["service_request_id"]
    again = requests.post(f"{app_url}/open311/v2/requests.json", data=form, timeout=10)
    assert again.status_code == 200 and again.json()[0]["service_request_id"] == ticket_id  # not filed twice
    ticket = requests.get(f"{app_url}/open311/v2/requests/{ticket_id}.json", timeout=10).json()[0]
    assert ticket["service_code"] == "环境保护/环境污染/噪音污染"
    assert ticket["agency_responsible"] == "生态环境局"
    assert ticket["lat"] == 36.06 and ticket["long"] == 120.30
    assert ticket["location"]["district"] == "市南区" and ticket["location"]["road"] == "团岛二路"
    assert "contact" not in ticket and "reporter" not in ticket  # public answers identify nobody
    assert ticket["channel"] == "open311"
    listed = requests.get(f"{app_url}/open311/v2/requests.json", timeout=10).json()
    assert all("contact" not in t and "reporter" not in t for t in listed)
    full = requests.get(f"{app_url}/open311/v2/requests/{ticket_id}.json",
                        params={"api_key": os.environ["INTAKE_OPEN311_FULL_KEYS"]}, timeout=10).json()[0]
    assert full["contact"] == "13812345678"  # a department's key with that right may call back


def test_a_number_written_into_the_description_is_masked_in_public_answers(stack, app_url):
    """A client's description may carry a phone number (「…请联系13812345678」): public answers show it
    masked, as they show no contact; a key with full rights sees the description as filed."""
    resp = requests.post(f"{app_url}/open311/v2/requests.json", timeout=10, json={
        "description": "团岛二路五号门口的垃圾没人清，有事请联系13812345678", "address_string": "团岛二路五号"})
    ticket_id = resp.json()[0]["service_request_id"]
    public = requests.get(f"{app_url}/open311/v2/requests/{ticket_id}.json", timeout=10).json()[0]
    assert public["description"].endswith("请联系138****5678")
    listed = requests.get(f"{app_url}/open311/v2/requests.json", timeout=10).json()
    assert not any("13812345678" in (t["description"] or "") for t in listed)
    full = requests.get(f"{app_url}/open311/v2/requests/{ticket_id}.json",
                        params={"api_key": os.environ["INTAKE_OPEN311_FULL_KEYS"]}, timeout=10).json()[0]
    assert full["description"].endswith("请联系13812345678")


def test_post_json_without_service_code_is_classified(stack, app_url):
    resp = requests.post(f"{app_url}/open311/v2/requests.json",
                         json={"description": "老板拖欠我们三个月工资了，一直不给", "address_string": "和平路88号"},
                         timeout=10)
    assert resp.status_code == 201
    ticket = requests.get(f"{app_url}/open311/v2/requests/{resp.json()[0]['service_request_id']}.json",
                          timeout=10).json()[0]
    assert ticket["category"]["level1"] == "劳动和社会保障"
    assert ticket["agency_responsible"] == "人力资源和社会保障局"


def test_same_problem_same_place_is_linked(stack, app_url):
    form = {"service_code": "城乡建设/城市建设和市政管理/环境卫生", "description": "垃圾好几天没人清运了",
            "address_string": "滨江花园9栋"}
    first = requests.post(f"{app_url}/open311/v2/requests.json", data=form, timeout=10).json()[0]
    second = requests.post(f"{app_url}/open311/v2/requests.json",
                           data={**form, "description": "滨江花园9栋楼下垃圾堆成山"}, timeout=10).json()[0]
    assert second["duplicate_of"] == first["service_request_id"]
    original = requests.get(f"{app_url}/open311/v2/requests/{first['service_request_id']}.json",
                            timeout=10).json()[0]
    assert original["reporters_count"] == 2


def test_the_same_resident_reporting_their_open_problem_again_urges_it(stack, app_url):
    """A city app's resident is known by their phone (their name may be anyone's): the same problem again
    from the same phone is a 催办 on their open ticket; from another phone under the same name, a new report."""
    form = {"service_code": "城乡建设/城市建设和市政管理/环境卫生", "description": "垃圾好几天没人清运了",
            "address_string": "滨江花园10栋", "first_name": "伟", "last_name": "王", "phone": "13900001111"}
    first = requests.post(f"{app_url}/open311/v2/requests.json", data=form, timeout=10).json()[0]
    again = requests.post(f"{app_url}/open311/v2/requests.json",
                          data={**form, "description": "滨江花园10栋的垃圾还是没人清"}, timeout=10)
    assert again.status_code == 200 and again.json()[0]["service_request_id"] == first["service_request_id"]
    assert "催办" in again.json()[0]["service_notice"] and again.json()[0]["created"] is False
    namesake = requests.post(f"{app_url}/open311/v2/requests.json", data={**form, "phone": "13900002222"},
                             timeout=10).json()[0]
    assert namesake["duplicate_of"] == first["service_request_id"]


def test_list_filters(stack, app_url):
    listed = requests.get(f"{app_url}/open311/v2/requests.json",
                          params={"service_code": "环境保护", "status": "open"}, timeout=10).json()
    assert listed and all(t["service_code"].startswith("环境保护") for t in listed)
    closed = requests.get(f"{app_url}/open311/v2/requests.json", params={"status": "closed"}, timeout=10).json()
    assert all(t["status"] == "closed" for t in closed)  # other tests close tickets of their own


def test_a_report_the_model_thinks_may_be_top_urgency_is_filed_for_a_person_to_confirm(stack, app_url):
    """Bare copper showing in a stairwell's wiring, a little warm: graded 紧急, but the urgency model's P(特急)
    is above settings/urgency.yml review_top_at, so the ticket says so and carries the reason an operator reads."""
    resp = requests.post(f"{app_url}/open311/v2/requests.json",
                         json={"description": "楼道里的电线外皮破了，露出里面的铜线，还有点发热",
                               "address_string": "滨江花园3栋"}, timeout=10)
    assert resp.status_code == 201
    ticket = requests.get(f"{app_url}/open311/v2/requests/{resp.json()[0]['service_request_id']}.json",
                          timeout=10).json()[0]
    assert ticket["urgency"] == "紧急" and ticket["urgency_review"] is True
    assert any(r.startswith("可能特急，请人工核实") for r in ticket["urgency_reasons"]), ticket["urgency_reasons"]
    calm = requests.post(f"{app_url}/open311/v2/requests.json",
                         json={"description": "楼上装修太吵了", "address_string": "滨江花园5栋"}, timeout=10).json()[0]
    calm = requests.get(f"{app_url}/open311/v2/requests/{calm['service_request_id']}.json", timeout=10).json()[0]
    assert calm["urgency_review"] is False
