"""Placing addresses in the deployment's gazetteer, WeChat pins, the labelled sets, deadlines in
working days: the pure parts, on the shipped Yantian gazetteer and on a grid-level test file."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from actions.place_choice import choose
from bench.location import load_cases
from bench.urgency import TEAM_SET, load_cases as load_urgency_cases
from dispatch.calendar import WorkingCalendar, load_calendar, CalendarError
from dispatch.deadlines import deadlines
from nlu.gazetteer import Gazetteer, GazetteerError, default_gazetteer
from nlu.locate import locate
from nlu.placement import place_pin

GRIDS = """
province: 广东省
city: 深圳市
district: 盐田区
unit: 分拨中心
streets:
  - name: 海山街道
    unit: 海山街道办事处
    communities:
      - name: 海涛社区
        center: [22.5555, 114.2385]
        grids:
          - name: 海涛第一网格
            unit: 张网格员
            polygon: [[22.550, 114.230], [22.550, 114.240], [22.560, 114.240], [22.560, 114.230]]
"""


def test_partial_address_gets_street_district_and_responsible_unit():
    located = locate("海涛社区3栋楼下垃圾桶满了")
    address = located.address
    assert (address.province, address.city, address.district) == ("广东省", "深圳市", "盐田区")
    assert (address.street, address.community, address.building) == ("海山街道", "海涛社区", "3")
    assert address.responsible_unit == "海涛社区工作站" and located.placement.status == "placed"


def test_place_name_resolves_to_its_community():
    address = locate("内湖公园的步道砖松了").address
    assert (address.street, address.community, address.poi) == ("梅沙街道", "大梅沙社区", "内湖公园")


@pytest.mark.parametrize("text,community", [
    ("嗯就是那个大眉沙社区那边有落石", "大梅沙社区"),  # ASR homophone
    ("Dameisha beach has lots of rubbish", "大梅沙社区"),  # typed pinyin
    ("haitao社区3栋漏水", "海涛社区"),
])
def test_homophones_and_pinyin_are_placed(text, community):
    assert locate(text).address.community == community


def test_road_through_several_streets_offers_candidates():
    placement = locate("深盐路上有个井盖没了").placement
    assert placement.status == "choose"
    assert [c.label() for c in placement.candidates] == ["沙头角街道", "海山街道", "盐田街道"]
    offered = placement.to_dict()["candidates"]
    assert choose("2", offered)["street"] == "海山街道"
    assert choose("第三个", offered)["street"] == "盐田街道"
    assert choose("沙头角那段", offered)["street"] == "沙头角街道"
    assert choose("不知道", offered) is None and choose("5", offered) is None


def test_home_and_problem_place_the_problem_wins():
    address = locate("我住在海涛社区，大梅沙海滩上垃圾没人清理").address
    assert address.community == "大梅沙社区"


def test_outside_the_area_is_said():
    located = locate("朝阳区幸福路15号阳光小区3号楼路灯坏了")
    assert located.placement.status == "outside" and "朝阳区" in located.placement.note
    assert not located.address.is_dispatchable()


def test_absurd_numbers_are_not_filled_but_said():
    located = locate("幸福路99999号路灯坏了")
    assert located.address.house_number is None and "99999" in located.doubts[0]


@pytest.mark.parametrize("text,poi", [("梧桐山隧道里面有辆车抛锚了，后面都堵了", "梧桐山隧道"),
                                      ("沙头角码头边上的护栏断了", "沙头角码头"),
                                      ("地铁沙头角站C出口的台阶塌了一块", "地铁沙头角站"),
                                      ("沙头角地铁站门口的护栏倒了", "沙头角地铁站")])
def test_tunnels_bridges_and_piers_are_named_places(text, poi):
    """「梧桐山隧道里面有辆车抛锚了」 was asked where it was: a tunnel, a bridge or a pier is a place a patrol finds."""
    located = locate(text)
    assert located.address.poi == poi and located.address.is_dispatchable()


@pytest.mark.parametrize("text,poi,said", [
    ("地铁2号线光谷广场站C出口旁边的盲道被共享单车全占了", "地铁2号线光谷广场站", "地铁2号线光谷广场站C出口旁边"),
    ("8号线沙头角站A出口的扶梯坏了", "8号线沙头角站", "8号线沙头角站A出口"),
    ("沙头角站C出口的电梯坏了", "沙头角站", "沙头角站C出口"),
    ("海山地铁站B口的共享单车乱停", "海山地铁站", "海山地铁站B口")])
def test_a_metro_station_is_the_place_with_its_exit_said(text, poi, said):
    """「地铁2号线光谷广场站C出口」 was filed at 「号线光谷广场」 (a line's number cut the name) and 「沙头角站C出口」
    at no place but the street: a station is known by its line, the word 地铁 or an exit's letter, and the exit
    is where the worker goes."""
    address = locate(text).address
    assert (address.poi, address.text) == (poi, said)


@pytest.mark.parametrize("text,said", [("海景花园东门的路灯坏了", "海景花园东门"), ("海景花园北门那家店油烟很大", "海景花园北门"),
                                       ("人民公园的3号门有人摆摊", "人民公园的3号门"), ("海景花园门口的垃圾没人清", "海景花园"),
                                       ("海景花园东门卫室的灯坏了", "海景花园")])
def test_the_gate_of_a_place_is_part_of_where(text, said):
    """「海景花园东门的路灯坏了」 was filed at 「海景花园」: the gate is where the worker goes in (a gatehouse, 门卫室,
    is no gate, and 门口 says no more than the place)."""
    assert locate(text).address.text == said


@pytest.mark.parametrize("text,road,poi", [("盐田路天桥上的灯坏了，晚上过桥很黑", "盐田路", "盐田路天桥"),
                                           ("深盐路地下通道积水了，过不去", "深盐路", "深盐路地下通道"),
                                           ("深盐路加油站对面有个大坑", "深盐路", "深盐路加油站"),
                                           ("海山路公交站的顶棚坏了", "海山路", "海山路公交站")])
def test_a_structure_named_after_its_road_is_the_place_on_that_road(text, road, poi):
    """「盐田路天桥」 was read as the road 盐田路, the bridge lost: the structure is the place, on its road."""
    located = locate(text)
    assert (located.address.road, located.address.poi) == (road, poi) and located.address.is_dispatchable()
    assert located.address.display().count(road) == 1 and poi in located.address.display()


def test_no_place_at_all():
    located = locate("路灯坏了好几天了")
    assert not located.found and not located.address.is_dispatchable()


def test_wechat_pin_goes_to_the_nearest_community_or_is_outside():
    gazetteer = default_gazetteer()
    address, placement = place_pin(22.5553, 114.2388, "海景二路附近", gazetteer)
    assert placement.status == "pin" and address.community == "海涛社区" and address.street == "海山街道"
    address, placement = place_pin(39.9087, 116.3975, "天安门", gazetteer)
    assert placement.status == "outside" and not address.is_dispatchable()


def test_pin_inside_a_grid_polygon_names_the_grid(tmp_path: Path):
    path = tmp_path / "gazetteer.yml"
    path.write_text(GRIDS, encoding="utf-8")
    gazetteer = Gazetteer.load(path)
    address, placement = place_pin(22.555, 114.235, "", gazetteer)
    assert (address.community, address.grid, address.responsible_unit) == ("海涛社区", "海涛第一网格", "张网格员")
    assert locate("海涛第一网格这边路灯坏了", gazetteer).address.grid == "海涛第一网格"


@pytest.mark.parametrize("broken,message", [
    (GRIDS.replace("center: [22.5555, 114.2385]", "center: [122.5, 114.2]"), "center"),
    (GRIDS.replace("    unit: 海山街道办事处\n", ""), "street 海山街道: 'unit'"),
    (GRIDS + "places:\n  - {name: 海景花园, community: 不存在社区}\n", "community '不存在社区' is not in the gazetteer"),
    (GRIDS + "places:\n  - {name: 海景花园}\n", "needs 'community', 'street' or 'streets'"),
    (GRIDS.replace("[22.560, 114.230]]", "[22.560, 114.230], [22.550, 114.240]]"), "polygon"),
    ("- just a list", "expected a mapping"),
])
def test_inconsistent_gazetteer_fails_with_a_precise_message(tmp_path: Path, broken: str, message: str):
    path = tmp_path / "gazetteer.yml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(GazetteerError, match=message.replace("[", r"\[")):
        Gazetteer.load(path)


def test_labelled_sets_are_big_enough_and_well_formed():
    cases = load_cases()
    assert len(cases) >= 150
    assert {c.style for c in cases} == {"typed", "wechat", "asr"}
    covered = {f for c in cases for f in c.expected}
    assert covered >= {"province", "city", "district", "street", "community", "estate", "road", "house_number",
                       "poi", "building", "unit", "room"}
    urgency = load_urgency_cases(TEAM_SET)
    assert len(urgency) >= 100 and {u[2] for u in urgency} == {"特急", "紧急", "一般"}


def test_every_top_urgency_message_is_graded_top():
    """特急 recall must be 1.0: a fire or a gas leak never waits in a queue."""
    from nlu.urgency import assess_urgency
    missed = [text for _, text, level, _ in load_urgency_cases(TEAM_SET) if level == "特急"
              and assess_urgency(text).level != "特急"]
    assert missed == []


def test_working_days_skip_weekends_and_official_holidays():
    calendar = WorkingCalendar()
    # 2026-09-30 (Wed) + 5 working days: the National Day holiday (Oct 1-7) is skipped and
    # Saturday Oct 10 is an official make-up working day
    assert calendar.add_working_days(datetime(2026, 9, 30, 18, 0), 5) == datetime(2026, 10, 13, 18, 0)
    # filed on Saturday: the count starts on Monday
    assert calendar.add_working_days(datetime(2026, 11, 28, 10, 0), 1) == datetime(2026, 12, 1, 0, 0)
    local = load_calendar({"calendar": {"extra_holidays": ["2026-12-01"]}})
    assert local.add_working_days(datetime(2026, 11, 30, 9, 0), 1) == datetime(2026, 12, 2, 9, 0)
    with pytest.raises(CalendarError, match="extra_workdays"):
        load_calendar({"calendar": {"extra_workdays": ["next friday"]}})


def test_category_sla_in_working_days():
    created = datetime(2026, 9, 30, 18, 0)
    respond, natural = deadlines(created, "一般", 3, sla_kind="natural")
    _, working = deadlines(created, "一般", 3, sla_kind="working")
    assert respond == datetime(2026, 9, 30, 22, 0)
    assert natural == datetime(2026, 10, 3, 18, 0)
    # 3 working days from Sep 30 evening: Oct 8, 9, 10 (make-up day), but the grade's own
    # 5 natural days (Oct 5) come first
    assert working == datetime(2026, 10, 5, 18, 0)


@pytest.mark.parametrize("text, expected", [
    ("海月社区啊55栋", "海月社区55栋"),
    ("在海月社区啊那个55栋", "海月社区55栋"),
    ("嗯海月社区呃55栋3单元", "海月社区55栋3单元"),
    ("北京市北京市石景山区八角街道", "北京市石景山区八角街道"),
    ("我在北京市石景山区北京市八角街道", "北京市石景山区八角街道"),
    ("盐田区盐田区海山街道海涛社区阳光花园5栋", "盐田区海山街道海涛社区阳光花园5栋"),
    ("青岛市市南区团岛路5号", "青岛市市南区团岛路5号"),
    ("我是海涛社区的 我们阳光花园五栋楼下", "海涛社区阳光花园5栋"),
])
def test_place_text_keeps_no_fillers_and_names_each_unit_once(text, expected):
    assert locate(text).address.text == expected


def test_where_two_roads_meet_is_a_place_in_the_street_both_run_through():
    """「幸福路和海景二路路口」 was the road alone, asked about again; two roads through several
    streets each meet in the one street they share."""
    crossing = locate("深盐路与盐梅路交叉口有个大坑")
    assert (crossing.address.road, crossing.address.poi) == ("深盐路", "深盐路与盐梅路交叉口")
    assert crossing.placement.status == "placed" and crossing.address.street == "盐田街道"
    assert crossing.address.responsible_unit == "盐田街道办事处"
    unknown = locate("幸福路和海景二路路口的红绿灯坏了")
    assert unknown.address.text == "幸福路和海景二路路口" and unknown.address.is_dispatchable()
    assert locate("深盐路上有个大坑").placement.status == "choose"  # one such road alone: which part


@pytest.mark.parametrize("text, named", [("北京朝阳区的路灯坏了", "北京市朝阳区"), ("北京市朝阳区的路灯坏了", "北京市朝阳区"),
                                         ("重庆渝中区解放碑那边", "重庆市渝中区")])
def test_a_municipality_is_named_once_and_whole_when_outside_the_area(text, named):
    """「北京朝阳区」 was district 「京朝阳区」, and the reply named 「北京市北京市朝阳区」."""
    located = locate(text)
    assert (located.address.city, located.address.district) == (named[:3], named[3:])
    assert located.placement.status == "outside" and f"「{named}」不在本平台服务范围" in located.placement.note
    assert locate("北京路12号的路灯坏了").address.road == "北京路"  # a road named after the city


def test_a_name_just_before_the_place_the_extractor_took_is_kept():
    """「另外」 before the estate hid its name from the extractor (it took 「5栋」); the gazetteer
    found 海景花园 right before it, so the resident sees and the ticket keeps the whole place."""
    located = locate("另外海景花园5栋的路灯也坏了")
    assert located.address.text == "海景花园5栋"
    assert (located.address.estate, located.address.building) == ("海景花园", "5")


def test_whose_school_is_not_a_place():
    """「我女儿学校乱收费」 was taken as a place called 「女儿学校」 and never asked about."""
    assert not locate("我女儿学校乱收费").found and not locate("附近的医院排队太久").found
    assert not locate("孩子发烧了社区医院关门了").found
    assert locate("盐田区外国语学校门口").address.poi == "盐田区外国语学校"


def test_the_words_of_a_work_order_before_a_place_noun_are_no_place():
    """Hotline work orders put verbs and 'which' words before place nouns: 「要求社区协助开门」 was a
    community called 要求社区, 「一处老旧小区」 an estate, 「小区公共区域」 a district 区公共区."""
    for text in ("市民来电称其母亲独居，上门发现门反锁，要求社区协助开门", "孩子入学需要的居住证明社区迟迟不开具",
                 "洗车店将污水排入雨水管，流入小区旁边的小河", "周边村民感到眼睛刺痛", "一处老旧小区的消防栓全部无水",
                 "物业在小区公共区域私自设置收费停车位", "海边礁石区涨潮，有游客被困"):
        assert not locate(text).found, (text, locate(text).address)
    assert locate("希望小学门口的路灯坏了").address.poi == "希望小学"
    assert locate("海涛社区要求物业整改").address.community == "海涛社区"


def test_a_request_said_before_a_place_is_no_part_of_its_name():
    """「我要举报隔壁饭店油烟」 named a point of interest 要举报隔壁饭店, taken as the place: the agent asked
    since when instead of where, and filed the answer (a place) as the time."""
    assert not locate("我要举报隔壁饭店油烟").found
    assert locate("我要投诉海景酒店的噪音").address.poi == "海景酒店"
    assert locate("我想反映一下滨海公园的厕所没人打扫").address.poi == "滨海公园"


def test_a_city_said_twice_is_still_placed_in_the_area():
    located = locate("深圳市深圳市盐田区海山街道海涛社区阳光花园5栋")
    assert located.address.district == "盐田区" and located.placement.status == "placed"


@pytest.mark.parametrize("text, community", [
    ("公司不跟我签劳动合同", None),  # dong-he inside 劳动合同 is not 东和社区
    ("我还统计了一下", None),  # hai-tong is not 海桐社区
    ("我住在动和社区", "东和社区"),  # a homophone followed by a place word is
    ("还统那边的路灯坏了", "海桐社区"),
    ("大眉沙那边", "大梅沙社区"),  # three syllables are enough on their own
    ("海滔社区三栋楼下", "海涛社区"),
    ("就在3栋和5栋中间的路上", None),  # dong-he across 「栋和」 is 3栋 and 5栋, not 东和社区
    ("二号楼和三号楼之间", None),
])
def test_short_homophones_are_places_only_where_a_place_is_said(text, community):
    assert locate(text).address.community == community


def test_a_homophone_deep_in_a_long_letter_is_still_heard():
    """Pinyin is read only for runs of characters that could sound like a name; a name's
    homophone after two pages of unrelated text is still one of them."""
    letter = "本人反映劳动合同和工资的问题，公司一直拖欠，我还统计了一下加班时间。" * 40 + "我住在海滔社区三栋楼下"
    assert locate(letter).address.community == "海涛社区"


def test_a_shop_named_twice_is_not_taken_for_a_city_said_twice():
    from nlu.location import said_once

    assert said_once("华润超市旁边的小区，华润超市门口有垃圾") == "华润超市旁边的小区，华润超市门口有垃圾"
    assert said_once("我在北京市石景山区北京市八角街道") == "我在北京市石景山区八角街道"


def test_the_kind_said_before_an_estates_name_is_no_part_of_it():
    """「我们小区东海岸小区三栋」 (a caller naming the kind, then the estate) was placed at 「小区东海岸小区3栋」."""
    from nlu.locate import locate
    from nlu.normalize import normalize_text

    located = locate(normalize_text("喂你好我要反映那个我们小区东海岸小区三栋电梯困人了"))
    assert (located.address.estate, located.address.text) == ("东海岸小区", "东海岸小区3栋")
    assert locate(normalize_text("我们社区海涛社区有人占道经营")).address.text == "海涛社区"


def test_a_province_and_city_said_without_their_suffixes_are_outside_the_area():
    """「老家的房子被强拆了，在湖北荆州」 read as no place and the resident was asked where again: a province's
    short name followed by one of its cities is read, and placed outside. A road named after a province
    (「湖北路」) and a province alone are not."""
    from nlu.locate import locate

    far = locate("老家的房子被强拆了，在湖北荆州")
    assert (far.address.province, far.address.city, far.placement.status) == ("湖北省", "荆州市", "outside")
    assert "不在本平台服务范围" in far.placement.note and not far.address.is_dispatchable()
    assert locate("湖北路12号的路灯坏了").address.road == "湖北路"
    assert locate("我是四川的").placement.status == "unknown"


@pytest.mark.parametrize("text, estate", [
    ("我们楼道里好大一股煤气味海涛花园5栋1单元", "海涛花园"),  # a hotline call: 「大一股煤气味海涛花园」 was the estate
    ("楼上一直漏水锦绣家园3栋", "锦绣家园"),
    ("半夜很吵海景花园2栋", "海景花园"),
    ("华侨城天鹅湖花园门口的路灯坏了", "华侨城天鹅湖花园"),  # a long name of names is kept whole
    ("中信红树湾花园3栋电梯坏了", "中信红树湾花园"),
])
def test_a_report_running_on_into_the_estate_is_no_part_of_its_name(text, estate):
    from nlu.location import extract_location

    assert extract_location(text).address.estate == estate


@pytest.mark.parametrize("text, house_number, building", [
    ("幸福路15号楼下烧烤摊油烟太大", "15", None),  # an analyzer probe: it was filed at a building 15
    ("幸福路15号楼上装修太吵", "15", None),
    ("幸福路15号楼3单元", None, "15"),
    ("海景花园15号楼下有人烧烤", None, "15"),  # in an estate, 15号楼 is its building
])
def test_downstairs_at_a_road_number_is_the_number_not_a_building(text, house_number, building):
    address = locate(text).address
    assert (address.house_number, address.building) == (house_number, building), address


@pytest.mark.parametrize("text, building, said", [
    ("海景花园3栋到5栋之间的路灯全不亮", "3-5", "海景花园3栋到5栋之间"),  # an analyzer probe: it was filed at 3栋
    ("海景花园3栋与5栋中间的空地有人烧垃圾", "3-5", "海景花园3栋与5栋中间"),
    ("海景花园3栋和5栋的电梯都坏了", "3", "海景花园3栋"),  # two buildings named, not a stretch between them
])
def test_the_stretch_between_two_buildings_is_placed_between_them(text, building, said):
    address = locate(text).address
    assert (address.building, address.text) == (building, said), address


@pytest.mark.parametrize("text, said", [
    ("我们楼下些垃圾整天没有人收锦绣家园5栋", "锦绣家园5栋"),  # a WeChat probe: the estate 「人收锦绣家园」
    ("垃圾没人收锦绣家园5栋", "锦绣家园5栋"),
    ("幸福里小区3栋电梯坏了", "幸福里小区3栋"),  # 幸福 is an adjective, and the name is short: kept whole
    ("好大一股煤气味海涛花园5栋", "海涛花园5栋"),
])
def test_a_report_running_into_an_unknown_estate_leaves_its_verb_out_of_the_name(text, said):
    assert locate(text).address.text == said


def test_a_communitys_name_inside_an_estates_name_places_nothing():
    """明珠 is 明珠社区's short name; 「东方明珠花园」 is no estate of 明珠社区. It put the estate there, and beside
    「海月社区」 said before it the two disagreed and the resident's own community was dropped."""
    said = locate("海月社区东方明珠花园门口路灯坏了")
    assert (said.address.community, said.address.street, said.address.estate) == ("海月社区", "海山街道", "东方明珠花园")
    alone = locate("东方明珠花园门口路灯坏了")
    assert alone.address.community is None and alone.address.estate == "东方明珠花园"
    assert alone.placement.status == "unknown"  # an estate the gazetteer does not know: confirmed with the resident
    named_after = locate("明珠花园门口路灯坏了")  # an estate that opens with the community's name says where it is
    assert named_after.address.community == "明珠社区"
    # a known estate at the end of a name taken with the words before it is that estate
    assert locate("还有一个事 海景花园那边").address.estate == "海景花园"
