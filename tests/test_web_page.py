"""The web chat page in a real browser (Debian chromium driven by playwright)."""
from __future__ import annotations

import re


def confirm_on_page(page) -> str:
    """Wait for the summary (nothing filed yet), tap 确认提交, return the ticket number."""
    page.wait_for_selector(".bot >> text=请核对", timeout=60000)
    assert page.locator(".bot >> text=工单号").count() == 0
    page.click("button.choice >> text=确认提交")
    page.wait_for_selector(".bot >> text=工单号", timeout=60000)
    return re.search(r"工单号：(\d+)", page.locator(".bot", has_text="工单号").last.inner_text()).group(1)


def test_resident_files_a_report_on_the_web_page(stack, app_url, browser, tmp_path):
    page = browser.new_page()
    page.goto(app_url + "/")
    assert "12345" in page.title()
    page.fill("#text", "我们小区的路灯坏了好几天了")
    page.click("#send")
    page.wait_for_selector(".bot >> text=请问问题发生在哪里", timeout=60000)
    page.fill("#text", "盐田区海山街道海涛社区阳光花园3号楼")
    page.keyboard.press("Enter")
    confirm_on_page(page)
    assert page.input_value("#text") == ""
    page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)


def test_resident_taps_a_choice_on_the_web_page(stack, app_url, browser):
    page = browser.new_page()
    page.goto(app_url + "/")
    page.fill("#text", "盐梅路上晚上路灯全黑了")
    page.click("#send")
    page.wait_for_selector("button.choice >> text=梅沙街道", timeout=60000)
    page.click("button.choice >> text=梅沙街道")
    page.wait_for_selector(".bot >> text=请核对", timeout=60000)
    page.fill("#text", "对的，提交吧")
    page.keyboard.press("Enter")
    page.wait_for_selector(".bot >> text=工单号", timeout=60000)
    assert "梅沙街道" in page.locator(".bot").last.inner_text()


def test_empty_input_is_refused_on_the_page(stack, app_url, browser):
    page = browser.new_page()
    page.goto(app_url + "/")
    page.click("#send")
    assert page.locator(".error").first.inner_text() == "请先输入要反映的内容。"


def test_the_page_shows_the_satisfaction_question_when_the_ticket_closes(stack, app_url, browser):
    from tests.test_conversation_paths import post_status

    page = browser.new_page()
    page.goto(app_url + "/?poll_ms=500")
    page.fill("#text", "阳光花园7栋楼下的垃圾桶坏了")
    page.click("#send")
    ticket_id = confirm_on_page(page)
    assert post_status(app_url, ticket_id, {"status": "closed", "note": "已更换"}).json()["satisfaction_asked"]
    page.wait_for_selector(".bot >> text=满意吗", timeout=30000)
    page.click("button.choice >> text=基本满意")
    page.wait_for_selector(".bot >> text=感谢您的评价", timeout=60000)


def test_a_filed_ticket_is_a_card_and_the_conversation_survives_a_reload(stack, app_url, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(app_url + "/")
    page.fill("#text", "海景花园6栋楼下的路灯坏了好几天了")
    page.click("#send")
    ticket_id = confirm_on_page(page)
    card = page.wait_for_selector(f".card[data-ticket='{ticket_id}']", timeout=30000)
    shown = card.inner_text()
    assert f"工单号 {ticket_id}" in shown and "承办部门" in shown and "办结时限" in shown and "办理中" in shown
    page.reload()
    page.wait_for_selector(f".card[data-ticket='{ticket_id}']", timeout=30000)
    assert page.locator(".user", has_text="海景花园6栋楼下的路灯坏了好几天了").count() == 1
    assert page.locator(".bot", has_text="工单号").count() >= 1
    page.click(f".card[data-ticket='{ticket_id}'] button.progress")
    page.wait_for_selector(f".bot >> text=工单 {ticket_id}", timeout=60000)
    assert "办理中" in page.locator(".bot").last.inner_text()
    context.close()


def test_the_browsers_location_is_sent_as_a_pin(stack, app_url, browser):
    context = browser.new_context(geolocation={"latitude": 22.5960, "longitude": 114.3061},
                                  permissions=["geolocation"])
    page = context.new_page()
    page.goto(app_url + "/")
    page.fill("#text", "路边的垃圾桶倒了没人管")
    page.click("#send")
    page.wait_for_selector(".bot >> text=在哪里", timeout=60000)
    page.click("#locate")
    page.wait_for_selector(".user >> text=我的位置", timeout=10000)
    page.wait_for_selector(".bot >> text=请核对", timeout=60000)
    assert "大梅沙社区" in page.locator(".bot", has_text="请核对").last.inner_text()
    context.close()
    denied = browser.new_context(permissions=[])
    page = denied.new_page()
    page.goto(app_url + "/")
    page.click("#locate")
    page.wait_for_selector(".error >> text=无法获取您的位置", timeout=20000)
    denied.close()
