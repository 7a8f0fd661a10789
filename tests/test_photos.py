"""Photos attached to reports (「随手拍」): checked and stored once, uploaded on the web page or
sent on WeChat, shown in the summary, carried by the ticket (GeoReport media_url) and served back;
files that are not images, and 50 MB files, refused with the reason."""
from __future__ import annotations

import io
import uuid

import pytest
import requests
from PIL import Image

from dispatch.media import MediaStore, PhotoRefused
from tests.conftest import say
from tests.test_conversation import TICKET, confirmed
from tests.test_wechat import _xml, reply_text, send
from tests.test_web_page import confirm_on_page


def png(colour: str = "red", size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def jpeg(colour: str = "blue") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(out, "JPEG")
    return out.getvalue()


def test_photos_are_checked_stored_once_and_wait_for_the_report(tmp_path, new_db):
    from dispatch.database import engine_for

    store = MediaStore(engine_for(new_db()), directory=tmp_path / "media")
    first = store.add(png(), "resident-1", "web")
    again = store.add(png(), "resident-1", "web")  # sent twice (a retry): one photo
    assert first.name == again.name and first.name.endswith(".png") and (first.width, first.height) == (64, 48)
    second = store.add(jpeg(), "resident-1", "web")
    assert store.waiting("resident-1", "web") == [f"/media/{first.name}", f"/media/{second.name}"]
    assert store.waiting("resident-1", "wechat") == []
    store.attach("resident-1", "web", ["20261129000001"])
    assert store.waiting("resident-1", "web") == []
    with pytest.raises(PhotoRefused, match="不是照片") as not_image:
        store.add("路灯坏了".encode() * 100, "resident-1", "web")
    assert not_image.value.status == 415
    with pytest.raises(PhotoRefused, match="照片太大") as too_big:
        store.add(b"\xff\xd8" + b"0" * (11 * 1024 * 1024), "resident-1", "web")
    assert too_big.value.status == 413
    assert store.path_of("../../etc/passwd") is None and store.path_of(first.name).read_bytes() == png()


def upload(app_url: str, sender: str, data: bytes, filename: str = "photo.png") -> requests.Response:
    return requests.post(f"{app_url}/api/chat/photo", data={"sender": sender},
                         files={"photo": (filename, data, "application/octet-stream")}, timeout=60)


def test_a_web_photo_goes_with_the_report_and_is_served(stack, rasa_url, app_url):
    sender = f"web-{uuid.uuid4().hex[:12]}"
    answer = upload(app_url, sender, png("green"))
    assert answer.status_code == 200 and "照片已收到（共1张）" in answer.json()["messages"][0]["text"]
    url = answer.json()["photo"]["url"]
    served = requests.get(app_url + url, timeout=10)
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/png" and served.content == png("green")
    summary = say(rasa_url, sender, "海景花园9栋楼下的路灯坏了好几天了")
    assert any("照片：1张" in text for text in summary), summary
    filed = confirmed(rasa_url, sender, summary)
    ticket_id = next(m.group(1) for m in map(TICKET.search, filed) if m)
    ticket = requests.get(f"{app_url}/open311/v2/requests/{ticket_id}.json", timeout=10).json()[0]
    assert ticket["media_url"] == url and ticket["media"] == [url]
    second = say(rasa_url, sender, "另外海景花园9栋门口的垃圾桶也坏了")  # the next report starts without it
    assert not any("照片" in text for text in second), second


def test_files_that_are_not_photos_or_too_big_are_refused(stack, app_url):
    sender = f"web-{uuid.uuid4().hex[:12]}"
    text_file = upload(app_url, sender, b"%PDF-1.4 not a photo", "report.pdf")
    assert text_file.status_code == 415 and "不是照片" in text_file.json()["error"]
    huge = upload(app_url, sender, b"\xff\xd8\xff" + b"\0" * (50 * 1024 * 1024), "huge.jpg")
    assert huge.status_code == 413 and "照片太大" in huge.json()["error"]
    assert requests.post(f"{app_url}/api/chat/photo", json={"sender": sender}, timeout=10).status_code == 400
    assert requests.get(f"{app_url}/media/{'0' * 40}.png", timeout=10).status_code == 404


def test_a_wechat_photo_goes_with_the_report(stack, rasa_url, app_url, wechat_api):
    openid = f"o-{uuid.uuid4().hex[:16]}"
    wechat_api.pictures["leak.jpg"] = jpeg("gray")
    image = f"<PicUrl><![CDATA[{wechat_api.url}/pic/leak.jpg]]></PicUrl><MediaId><![CDATA[m9]]></MediaId>"
    assert "照片已收到（共1张）" in reply_text(send(rasa_url, _xml(openid, "image", image)))
    wechat_api.media["only-by-id"] = jpeg("white")  # a PicUrl that fails: fetched by MediaId instead
    by_id = "<PicUrl><![CDATA[http://127.0.0.1:9/x.jpg]]></PicUrl><MediaId><![CDATA[only-by-id]]></MediaId>"
    assert "照片已收到（共2张）" in reply_text(send(rasa_url, _xml(openid, "image", by_id)))
    summary = reply_text(send(rasa_url, _xml(openid, "text", "<Content><![CDATA[海涛花园4栋楼道水管漏水了]]></Content>")))
    assert "照片：2张" in summary, summary
    filed = reply_text(send(rasa_url, _xml(openid, "text", "<Content><![CDATA[确认]]></Content>")))
    ticket = requests.get(f"{app_url}/open311/v2/requests/{TICKET.search(filed).group(1)}.json", timeout=10).json()[0]
    assert len(ticket["media"]) == 2 and requests.get(app_url + ticket["media_url"], timeout=10).status_code == 200


def test_the_page_sends_a_photo(stack, app_url, browser, tmp_path):  # noqa: F811
    photo = tmp_path / "light.png"
    photo.write_bytes(png("yellow"))
    page = browser.new_page()
    page.goto(app_url + "/")
    page.set_input_files("#photo-file", str(photo))
    page.wait_for_selector(".bot >> text=照片已收到", timeout=30000)
    assert page.locator(".user img").count() == 1
    page.fill("#text", "阳光花园5栋楼下的路灯坏了")
    page.click("#send")
    page.wait_for_selector(".bot >> text=照片：1张", timeout=60000)
    confirm_on_page(page)
    page.reload()
    page.wait_for_selector(".user img", timeout=10000)
