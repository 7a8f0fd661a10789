"""Rule-based extraction of a Chinese address from free text.

Finds administrative levels (省/市/区县/街道), the estate or community, road and house number,
a point of interest, and building/unit/room, after turning spoken numerals into digits. Names
are bounded by function characters (的, 在, 我们 …) because Chinese has no spaces.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import List, Optional, Tuple

from dispatch.location import Address
from nlu.normalize import normalize_text
from nlu.numerals import digits_in_address
from nlu.words import tagged

# characters that never belong to a place name: they start or end the name
_STOP = "的在于到是住我们你他她这那个有了和与及跟就都也还把被给从向往对说请帮麻烦啊吧呢吗哦嗯家旁附近对面楼下上"
# 和 is a conjunction (「海涛社区和大梅沙社区」) except inside names such as 东和, 祥和, 人和
_N = rf"(?:(?![{_STOP}])[\u4e00-\u9fffA-Za-z]|(?<=[东西南北中平太祥永人协融颐怡])和)"

_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
# structures a road passes through or over, or that stand on it named after it, are named places a patrol finds
# (「梧桐山隧道」「盐田路天桥」「深盐路加油站」「海山路公交站」: 「深盐路加油站对面有个大坑」 was placed on the whole road)
_STRUCTURES = "人行天桥|天桥|隧道|立交桥|高架桥|大桥|地下通道|加油站|公交站|收费站"
_PATTERNS: List[Tuple[str, re.Pattern]] = [
    ("province", re.compile(rf"({_N}{{2,3}}?(?:省|自治区))")),
    ("city", re.compile(rf"({_N}{{2,4}}?市)(?!场|民|政|容|区)")),
    # 「翠苑三区」「华侨城一区」: a 区 after a number is a phase of an estate, never a district
    ("district", re.compile(rf"({_N}{{2,3}}?(?:(?<![一二三四五六七八九十\dA-Za-z])区|县))")),
    ("street", re.compile(rf"({_N}{{2,6}}?(?:街道|镇|乡))")),
    ("community", re.compile(rf"({_N}{{2,6}}?社区)")),
    # 「东海道2号」: 道 names a road only before a house number (not 楼道, 知道, 街道)
    ("road", re.compile(rf"({_N}{{1,6}}?(?:(?:大道|大街|路|街|巷|胡同)(?![道口灯面况子线费])|道(?=\d+号)))")),
    # 「地铁海山站」 as often as 「海山地铁站」
    ("poi", re.compile(
        rf"(地铁{_N}{{2,6}}?站(?![路街])|{_N}{{2,8}}?(?:公园|广场|小学|中学|大学|学校|幼儿园|医院|卫生院|体育馆|游泳馆|图书馆|"
        r"菜市场|农贸市场|超市|商场|地铁站|公交站|火车站|派出所|银行|酒店|饭店|餐馆|菜场|"
        rf"{_STRUCTURES}|停车场|汽车站|客运站|码头))(?!舞)")),  # 「广场舞」 is a dance, not a square
    ("estate", re.compile(
        rf"({_N}{{2,8}}?(?:小区|花园|家园|新村|公寓|大厦|宿舍|苑|府|庭|村|院)(?:[A-Za-z\d一二三四五六七八九十]+区|[一二三四五六七八九\d]期)?"
        rf"|{_N}{{2,6}}?[一二三四五六七八九十]区)"
        r"(?![长子落])")),
]
_NOT_DISTRICT = ("小区", "社区", "园区", "校区", "片区", "景区", "城区", "市区", "郊区", "辖区", "厂区", "营业区", "公共区",
                 # 「盐田港保税区」 read as the district 「港保税区」, outside the platform's area
                 "保税区", "港区", "工业区", "开发区", "产业区", "作业区", "码头区", "服务区", "商业区", "住宅区")
# a district's name never opens with a word of position (「海边礁石区」 is rocks by the sea)
_NOT_DISTRICT_START = ("边", "里", "内", "外", "旁", "侧", "岸")
# words that come before a place noun without being its name: which or whose (「附近的医院」「一处老旧小区」),
# or a verb a work order puts there (「要求社区协助」「居住证明社区不给开」「污水流入小区旁边的河」)
_NOT_NAME_START = ("女儿", "儿子", "孩子", "小孩", "孙子", "孙女", "外孙", "家里", "自己", "附近", "一个", "一家", "一所",
                   "一处", "这个", "那个", "这家", "那家", "这所", "那所", "某", "隔壁", "旁边", "周边", "周围", "所在",
                   "要求", "证明", "流入", "排入", "联系", "通知", "协调")
# 「15号」 after a road or a village; 「3号楼」 is a building, but 「3号楼道」 the corridor at No. 3,
# 「1028号楼上」 the flat above No. 1028 and 「幸福路15号楼下」 downstairs at No. 15 (it was filed at a building 15)
_HOUSE_NUMBER = re.compile(r"(?:(\d{3,}(?:-\d+)?)号(?!院)|(\d+(?:-\d+)?)号(?!院)(?!楼(?![道上下])))")
#: 「田心村3巷5号」「新村二坊12号」: a village's houses are numbered along its lanes (巷, 坊, 排, 弄); the lane is the road
#: a worker walks (the ticket read 「田心社区田心村」, the house lost)
#: — 排 and 弄 only with the house's number (「田心村一排房子都停电了」 is a row of houses)
_VILLAGE_LANE = re.compile(r"((?:\d+|[一二三四五六七八九十]{1,3})\s*(?:[巷坊排弄](?=\d+号)|[巷坊](?![巷坊排弄])))"
                           r"(?:(\d+(?:-\d+)?)号(?!楼(?![道上下])))?")
#: 「东和路那家湘菜馆」「海涛路上的金色年华KTV」: a shop on the road said is the landmark a worker finds (the road alone was
#: asked about again, 「那家湘菜馆」 taken for more about the problem); a generic shop said alone (「楼下的早餐店」) is none
_SHOP_ON_ROAD = re.compile(rf"(?:\d+号)?(?:上|边上|旁边|边)?(?:的|那家|这家|那个|这个|一家|有家|有一家)?"
                           rf"({_N}{{1,8}}?(?:店|馆|餐厅|酒楼|茶楼|大排档|小卖部|网吧|网咖|KTV|ktv|超市|药房|诊所|公司|厂"
                           # a shop named by what it sells (「海涛路那家老王烧烤」)
                           r"|烧烤|火锅|麻辣烫|奶茶|酒吧|足浴|洗浴|棋牌室|麻将馆|废品站))")
_CLAUSE_MARK = re.compile(r"[，,。；;！!？?\n]")
_DISTRICT = dict(_PATTERNS)["district"]
#: 「幸福路和海景二路路口」「深盐路与盐梅路交叉口」: where two roads meet is a place as exact as a house number
_CROSSING = re.compile(rf"({_N}{{1,6}}?(?:大道|大街|路|街))(?:和|与|跟|、|交)({_N}{{1,6}}?(?:大道|大街|路|街))的?"
                       r"(?:十字路口|丁字路口|交叉路口|交叉口|交汇处|交界处|路口)")
#: 「盐田路天桥」「深盐路地下通道」: a structure named after the road it serves is on that road, and is the place
_ROAD_STRUCTURE = re.compile(rf"({_N}{{1,6}}?(?:大道|大街|路|街))(?:{_STRUCTURES})")
#: 「地铁2号线光谷广场站」「8号线沙头角站」「沙头角地铁站」「沙头角站C出口」: a metro station, by its line, the word 地铁
#: or an exit's letter (a line's number read the station as 「号线光谷广场」, and 「沙头角站」 named no place)
_METRO_STATION = re.compile(rf"((?:地铁)?\d+号线{_N}{{2,6}}?站|地铁{_N}{{2,6}}?站|{_N}{{2,6}}?地铁站"
                            rf"|{_N}{{2,6}}?站(?=\s?[A-Za-z]\d?(?:出入口|出口|口)))(?![路街])")
#: the gate or exit of the place just named (「海景花园东门」「沙头角站C出口」「人民公园的3号门」, 「沙头角站 A出口」 as
#: speech recognition spaces a letter): where a worker goes in, part of the place's text (「海景花园东门的路灯坏了」
#: was filed at 「海景花园」)
#: a gate said by where it faces (东门, 北大门, 后门), in every reader of places
GATE_WORD = r"[东南西北正后侧]大?门"
_GATE = re.compile(rf"的?\s?({GATE_WORD}|[A-Za-z]\d?(?:出入口|出口|口)|\d+号(?:门|出入口|出口))(?![卫店面市])")
#: a gate said alone, as a correction or an answer says it (「不是东门，是西门」 → 「西门」, 「在北门那边」)
_GATE_ALONE = re.compile(rf"(?:就?在|是)?{_GATE.pattern}(?:那边|那里|这边|这里|那儿)?")
#: a spot inside an estate said after its name (「锦绣家园中心花园」「锦绣家园地下车库B区」「海景花园篮球场」): where in it a
#: worker goes — answering where, 「锦绣家园中心花园」 was filed at 「锦绣家园」, the spot in neither the place nor the
#: words. Not 「广场舞」 (a dance, not a square)
_ESTATE_SPOT = re.compile(r"(?:的|里的?|里面的?|内的?)?((?:中心|东|西|南|北|小|儿童|室内|露天|地下|地面)?"
                          r"(?:花园|广场|车库|停车场|篮球场|羽毛球场|网球场|足球场|球场|游泳池|泳池|会所|健身区|健身场|"
                          r"游乐场|游乐区|草坪|架空层|天台|水池|喷泉|凉亭|垃圾站|垃圾房|快递柜|充电桩)(?:[A-Za-z\d]{1,3}区)?)(?!舞)")
#: 「海景花园旁边的小广场」「盐田区政府对面那个公交站」「锦绣家园后面的空地」: a place beside the one named, and what stands
#: there — where a worker goes (the ticket read 「海景花园」 and 「盐田区政府」). Not 门口 (the gate is the place's own: _GATE)
_BESIDE = re.compile(rf"的?((?:斜对面|对面|旁边|附近|后面|背后|隔壁|边上|外面)(?:(?:的|那个|那家|这个|一个)?{_N}{{0,6}}?"
                     r"(?:小广场|广场|公交站|车站|站台|停车场|空地|菜市场|市场|工地|公园|绿地|草坪|路口|球场|学校|小学|中学|幼儿园|"
                     r"超市|商场|店|馆|餐厅|垃圾站|公厕|厕所|河道|河|天桥|桥|加油站|医院|银行|大厦|小区|巷子|马路))?)")
#: the fields that name a place itself; the first one found sets the window for the rest
_SITE_KEYS = ("street", "community", "estate", "road", "poi")
#: 「海山街道办事处」「海涛社区工作站」「街道办」: an office is a place a ticket is filed at (a complaint about its
#: staff was asked where again and again: the street alone names no place a worker can find); a district's
#: government too (「盐田区政府对面的人行道砖松了」 was told 「还没能确定具体位置」 again and again)
_OFFICE = re.compile(rf"({_N}{{2,6}}?(街道|社区|镇|乡|区))(?:办事处|工作站|居委会|居民委员会|党群服务中心|人民政府|政府|办(?![理事公法]))")
#: the field an office's owner fills (a street's office by default)
_OFFICE_OWNER = {"社区": "community", "区": "district"}
_BUILDING = re.compile(r"(\d+(?:[至到-]\d+)?|[A-Za-z])\s*(?:号楼|栋|幢|座|#楼|号院)")
#: 「3栋到5栋之间」「3栋和5栋中间」: the buildings on either side, as a range (it was filed at 3栋 alone)
_BETWEEN_BUILDINGS = re.compile(r"(\d+)\s*(?:号楼|栋|幢|座)\s*(?:(?:到|至)\s*(\d+)\s*(?:号楼|栋|幢|座)(?:之间|中间)?"
                                r"|(?:和|与|跟)\s*(\d+)\s*(?:号楼|栋|幢|座)(?:之间|中间))")
_UNIT = re.compile(r"(\d+)\s*单元")
_ROOM = re.compile(r"(\d{3,4})\s*(?:室|房|号房|户)")
_BARE_ROOM = re.compile(r"(?:号楼|栋|幢|座|单元)\s*(\d{3,4})(?![\d号栋]|楼(?![上下]))")
_CITY_DISTRICT = ("南区", "北区", "中区")  # 「青岛市南区」 is 青岛 + 市南区


# beyond these a number is not a real house/building/room number (「99999号」): not filled, said
_LIMITS = {"house_number": 9999, "building": 999, "unit": 99, "room": 9999}
_LABELS = {"house_number": "门牌号", "building": "楼栋号", "unit": "单元号", "room": "房号"}


@dataclass
class LocationMatch:
    address: Address
    start: int
    end: int
    doubts: List[str] = field(default_factory=list)  # what could not be taken, for the reply


#: a request said before a place noun is no part of its name: 「我要投诉海景酒店的噪音」 names 海景酒店, and in
#: 「我要举报隔壁饭店油烟」 what is left (隔壁饭店) names no place at all
_REQUEST_LEAD = re.compile(r"(?:要|想|来)?(?:投诉|举报|反映|反馈|报修|求助|咨询)(?:一下)?"
                           # 「另外东和路那边…」 read the road 「另外东和路」: a connective joining the next problem
                           r"|(?:另外|还有|然后|而且|并且|此外|同时)")


#: 「我们小区东海岸小区3栋」: the kind said before the name (「我们」 is no name) is no part of it — the place
#: read 「小区东海岸小区3栋」
_KIND_BEFORE_NAME = ("小区", "社区")


def _name_start(key: str, work: str, match: re.Match) -> int:
    """Where the name of the place ``match`` found starts: after a request verb said before it, and after
    the kind of place said before an estate's or a community's own name."""
    lead = _REQUEST_LEAD.match(work, match.start(1), match.end(1)) if key in _SITE_KEYS else None
    start = lead.end() if lead else match.start(1)
    if key in ("estate", "community") and work.startswith(_KIND_BEFORE_NAME, start) and match.end(1) - start >= 6:
        return start + 2
    return start


#: places of the poi kind the estate pattern finds (「社区医院」): no estate, and the poi pattern judged them
_POI_AS_ESTATE = ("医院", "卫生院", "学院", "法院", "影院")
#: what the estate pattern finds that is no estate's name, though the place reader may keep it as the place
#: (「区政府门口」): an institution or a word (「农村」「首府」)
_NOT_AN_ESTATE = _POI_AS_ESTATE + ("政府", "检察院", "研究院", "设计院", "保健院", "敬老院", "养老院", "福利院", "书院",
                                   "国务院", "首府", "农村", "乡村")


def _generic(key: str, value: str) -> bool:
    if key == "district":
        return value.endswith(_NOT_DISTRICT) or value.startswith(_NOT_DISTRICT_START)
    if key == "road":
        return any(w in value for w in ("门口", "小区", "马路", "道路", "公路", "这条", "那条", "一条", "跑路", "走路",
                                         "带路", "过路", "让路", "上路", "问路", "修路", "迷路", "半路", "一路", "绕路", "近路",
                                         "远路", "错路", "找路", "认路", "挡路", "拦路", "赶路", "领路", "引路",
                                         "逛街", "上街", "沿街", "临街", "过街", "线路", "条路", "电路", "思路",
                                         "套路", "销路", "网路", "门路", "退路", "活路", "出路"))
    if key == "city":
        return value.endswith(("城市", "夜市", "超市", "菜市", "早市", "门市", "集市", "街市", "股市", "上市"))
    if key == "poi":
        # 「我女儿学校」「孩子幼儿园」「附近的医院」「社区医院」 say whose or which, not the school's name
        return value.startswith((*_NOT_NAME_START, "社区", "小区"))
    if key == "estate" and value.endswith(_POI_AS_ESTATE):
        return True  # a place of the poi kind its own pattern judged (「社区医院」 is no estate either)
    if key in ("community", "estate"):
        return value in ("小区", "社区", "我们小区", "我们社区", "老旧小区") or value.startswith(
            (*_NOT_NAME_START, "整个", "另外", "还有", "其他", "别的"))
    return False


#: jieba's tags of words no place's name holds: verbs, adjectives, adverbs, numerals and measures, set phrases,
#: idioms, particles, prepositions, conjunctions, pronouns, interjections
_NOT_NAME_TAGS = ("v", "a", "d", "m", "q", "l", "i", "u", "p", "c", "r", "y", "e", "o", "z")
#: an estate's name and the suffix saying it is one
_ESTATE_PARTS = re.compile(r"(.+?)(?:小区|花园|家园|新村|公寓|大厦|宿舍|苑|府|庭|村|院)")


@lru_cache(maxsize=1)
def _hazard_words() -> frozenset:
    from nlu.hazard import default_lexicon

    lexicon = default_lexicon()
    return frozenset(w for c in lexicon.concepts if c.kind in ("hazard", "severity") for w in c.words)


def _estate_name_start(work: str, start: int, end: int) -> int:
    """Where the estate's own name starts in ``work[start:end]`` when the report runs on into it without a pause,
    as in a speech transcript (「好大一股煤气味海涛花园5栋」 was filed at the estate 「大一股煤气味海涛花园」): after the
    last word no name holds — a verb, an adjective, a measure … (_NOT_NAME_TAGS) or a hazard's word of
    settings/hazards.yml (气味, 漏水); in a name of three or four characters only after a verb (「幸福里」 stays whole)."""
    parts = _ESTATE_PARTS.match(work, start, end)
    name = parts.group(1) if parts else ""
    if len(name) <= 2:
        return start
    cut = position = 0
    for word, tag in tagged(name):
        position += len(word)
        # a short name (「幸福里」: 幸福 is an adjective) is cut only after a verb: 「垃圾没人收锦绣家园5栋」, the
        # pause the recogniser wrote dropped by normalising, was filed at the estate 「人收锦绣家园」
        if (tag.startswith(_NOT_NAME_TAGS) if len(name) > 4 else tag.startswith("v")) or word in _hazard_words():
            cut = position
    if not cut or len(name) - cut < 2:
        return start
    # what is left is read again on its own: jieba cuts 「垃圾没人收锦绣」 as 垃圾/没人/收锦绣…, 「收锦绣」 as 收/锦绣
    return _estate_name_start(work, start + cut, end)


def extract_location(text: str) -> Optional[LocationMatch]:
    """Return the address found in ``text`` with its span, or None when no place is named."""
    if not text:
        return None
    work = said_once(digits_in_address(text))
    # digits_in_address and said_once shorten the text; spans are kept in ``work`` and mapped back by search.
    address = Address()
    taken = [False] * len(work)
    spans: List[Tuple[int, int]] = []

    def claim(start: int, end: int) -> bool:
        if any(taken[start:end]):
            return False
        for i in range(start, end):
            taken[i] = True
        spans.append((start, end))
        return True

    for municipality in _MUNICIPALITIES:
        pos = work.find(municipality)
        if pos >= 0 and claim(pos, pos + len(municipality)):
            address.province, address.city = municipality, municipality
        elif pos < 0:
            # 「北京朝阳区」: the city said without 市 before one of its districts (「北京路」 is a road)
            bare = municipality[:-1]
            pos = work.find(bare)
            if pos >= 0 and _DISTRICT.match(work, pos + len(bare)) and claim(pos, pos + len(bare)):
                address.province, address.city = municipality, municipality
    crossing = _CROSSING.search(work)
    if crossing and not any(_generic("road", crossing.group(k)) for k in (1, 2)) and claim(*crossing.span()):
        address.road, address.poi = crossing.group(1), crossing.group(0)
    structure = None if crossing else _ROAD_STRUCTURE.search(work)
    if structure and not _generic("road", structure.group(1)) and claim(*structure.span()):
        address.road, address.poi = structure.group(1), structure.group(0)
    station = _METRO_STATION.search(work)
    if station and not _generic("poi", station.group(1)) and claim(*station.span(1)):
        address.poi = station.group(1)
    office = _OFFICE.search(work)
    start = _name_start("poi", work, office) if office else 0  # 「我要投诉海山街道办」: not 「要投诉…」
    if office and not _generic("community", work[start:office.end(1)]) and claim(start, office.end()):
        setattr(address, _OFFICE_OWNER.get(office.group(2), "street"), work[start:office.end(1)])
        address.poi = work[start:office.end()]
    # the place is read from the clause of the first place named (building, unit and room also
    # from the clause after it: 「海景花园，3栋2单元」): 「海景花园3栋的路灯坏了，还有幸福路上的
    # 井盖丢了」 names two places, not one spanning both
    first_site = _first_site(work)
    window = _site_window(work, first_site, clauses=1)
    for key, pattern in _PATTERNS:
        if getattr(address, key):
            continue
        for seg_start, seg_end in _free_segments(taken, window if key in _SITE_KEYS else None):
            found = [m for m in pattern.finditer(work, seg_start, seg_end)
                     if not _generic(key, work[_name_start(key, work, m):m.end(1)])]
            if not found:
                continue
            # a road with a house number is the address; another road named before it is context
            numbered = [m for m in found if _HOUSE_NUMBER.match(work, m.end(1), seg_end)] if key == "road" else []
            m = (numbered or found)[0]
            start = _name_start(key, work, m)
            if key == "estate":
                start = _estate_name_start(work, start, m.end(1))
            if m.end(1) - start < 2:
                continue  # nothing but the noun is left of the name (「投诉小区」)
            claim(start, m.end(1))
            value = work[start:m.end(1)]
            if key == "poi" and address.district \
                    and work[max(0, start - len(address.district)):start] == address.district:
                value = address.district + value
            if key == "community":
                # 「后湖大道汉广社区」 is a road and a community; 「八角北路社区」 one community
                split = re.fullmatch(r"(.+?(?:大道|路|街))(.{2,}社区)", value)
                if split:
                    address.road, value = split.group(1), split.group(2)
            setattr(address, key, value)
            if key == "city" and work.startswith(_CITY_DISTRICT, m.end(1)) and not address.district:
                address.district = "市" + work[m.end(1):m.end(1) + 2]
                claim(m.end(1), m.end(1) + 2)
            lane = _VILLAGE_LANE.match(work, m.end(1), seg_end) if key == "estate" and value.endswith("村") else None
            if lane and claim(m.end(1), lane.end()):
                address.road, address.house_number = value + lane.group(1), lane.group(2)
            elif key == "road" or (key == "estate" and value.endswith("村")):
                hn = _HOUSE_NUMBER.match(work, m.end(1), seg_end)
                if hn:
                    address.house_number = hn.group(1) or hn.group(2)
                    claim(m.end(1), hn.end())
            shop = _SHOP_ON_ROAD.match(work, _claimed_end(work, value, spans) or m.end(1), seg_end) \
                if key == "road" and not address.poi else None
            if shop and claim(*shop.span(1)):
                address.poi = shop.group(1)
            break
    for key in ("estate", "poi"):
        end = _claimed_end(work, getattr(address, key), spans)
        gate = _GATE.match(work, end) if end is not None else None
        if gate and claim(*gate.span()):
            address.entrance = gate.group(1)
            break
    if address.estate and not address.entrance:
        end = _claimed_end(work, address.estate, spans)
        spot = _ESTATE_SPOT.match(work, end) if end is not None else None
        if spot:
            claim(spot.start(1), spot.end(1))
    ends = [e for e in (_claimed_end(work, v, spans) for v in (address.entrance, address.estate, address.poi)) if e]
    beside = _BESIDE.match(work, max(ends)) if ends else None
    if beside:
        claim(beside.start(1), beside.end(1))
    alone = None if spans else _GATE_ALONE.fullmatch(work)
    if alone:  # 「是西门」 correcting 「海景花园东门」, or answering which gate
        address.entrance = alone.group(1)
        spans.append(alone.span(1))
    lo, hi = _site_window(work, first_site, clauses=2) or (0, len(work))
    between = _BETWEEN_BUILDINGS.search(work, lo, hi)
    if between and claim(between.start(), between.end()):
        address.building = f"{between.group(1)}-{between.group(2) or between.group(3)}"
    for key, pattern in (("building", _BUILDING), ("unit", _UNIT), ("room", _ROOM)):
        if getattr(address, key):
            continue
        m = pattern.search(work, lo, hi)
        if m and claim(m.start(), m.end()):
            setattr(address, key, re.sub(r"[至到]", "-", m.group(1).upper()))
    if not address.room:
        m = _BARE_ROOM.search(work, lo, hi)
        if m:
            address.room = m.group(1)
            spans.append((m.start(1), m.end(1)))
    if not spans:
        return None
    doubts = _drop_absurd(address)
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    address.text = _without_gap_fillers(work, sorted(spans))
    # map the span back onto the original text when the numerals were converted
    if work != text:
        start, end = _span_in_original(text, work, start, end)
    return LocationMatch(address=address, start=start, end=end, doubts=doubts)


# the same unit said twice in a row (「北京市北京市」, a caller repeating themselves)
_REPEATED_UNIT = re.compile(r"([\u4e00-\u9fff]{1,7}?(?:省|市|区|县|街道|镇|乡))\1+")
# a province or city followed by a lower unit: its later repetitions say nothing new
_HIGHER_UNIT = re.compile(r"([\u4e00-\u9fff]{1,6}?[省市])(?=[\u4e00-\u9fff]{1,6}?(?:区|县|市|街道))")
# what a speaker says between two parts of an address: 「海月社区啊55栋」「海月社区那个55栋」「海涛社区的我们阳光花园」
_GAP_FILLERS = re.compile(r"(?:嗯|啊|呃|额|哦|噢|唉|诶|哎|那个|这个|就是|的话|呢|吧|嘛|呀|的|我们|咱们|我家|我|[，,、\s])+")


def said_once(text: str) -> str:
    """An administrative unit named again is named once: 「北京市北京市石景山区」 and
    「北京市石景山区北京市八角街道」 → 「北京市石景山区(八角街道)」, 「深圳市深圳市盐田区」 → 「深圳市盐田区」."""
    text = _REPEATED_UNIT.sub(r"\1", text)
    first = _HIGHER_UNIT.search(text)
    if first:
        name = first.group(1)
        # the shortest ending of the match that is a name said again later: 「我在北京市」 → 「北京市」
        for cut in range(max(0, len(name) - 3), -1, -1):
            said = name[cut:]
            # only where it is again followed by a lower unit: 「华润超市…华润超市门口」 keeps both
            again = re.compile(re.escape(said) + r"(?=[\u4e00-\u9fff]{1,6}?(?:区|县|市|街道))")
            rest = text[first.end():]
            if len(said) >= 3 and again.search(rest):
                return text[:first.end()] + again.sub("", rest)
    return text


def _without_gap_fillers(work: str, spans: List[Tuple[int, int]]) -> str:
    """The address text from its first part to its last, without fillers said between parts, nor a clause said
    between them (「海景花园的路灯坏了，还有5栋的电梯也坏了」 read 「海景花园的路灯坏了，还有5栋」 and the lift's ticket was
    filed there)."""
    pieces: List[str] = []
    cursor: Optional[int] = None
    for start, end in spans:
        if cursor is not None:
            gap = work[cursor:start]
            pieces.append("" if _GAP_FILLERS.fullmatch(gap) or _CLAUSE_MARK.search(gap) else gap)
            start = max(start, cursor)
        pieces.append(work[start:end])
        cursor = max(end, cursor if cursor is not None else end)
    return "".join(pieces)


def _claimed_end(work: str, value: Optional[str], spans: List[Tuple[int, int]]) -> Optional[int]:
    """Where the claimed span ending in ``value`` (a place's name) ends in ``work``; None when there is none."""
    return next((end for _, end in spans if value and work.endswith(value, 0, end)), None)


def _drop_absurd(address: Address) -> List[str]:
    doubts = []
    for name, limit in _LIMITS.items():
        value = getattr(address, name)
        numbers = [int(n) for n in re.findall(r"\d+", value or "")]
        if numbers and (max(numbers) > limit or min(numbers) == 0):
            doubts.append(f"{_LABELS[name]}「{value}」不像真实的{_LABELS[name]}")
            setattr(address, name, None)
    return doubts


def _free_segments(taken: List[bool], window: Optional[Tuple[int, int]] = None) -> List[Tuple[int, int]]:
    """Maximal runs of characters that no field has claimed yet (inside ``window`` if given)."""
    lo, hi = window or (0, len(taken))
    segments, start = [], None
    for i, used in enumerate(taken[lo:hi] + [True], start=lo):
        if not used and start is None:
            start = i
        elif used and start is not None:
            segments.append((start, i))
            start = None
    return segments


def _first_site(work: str) -> Optional[int]:
    """Where the first place (street, community, road, landmark, estate) is named; None when no
    place is. Each pattern's scan stops at its first match (matches come in order of position)."""
    firsts = [next((m.start(1) for m in pattern.finditer(work) if not _generic(key, m.group(1))), None)
              for key, pattern in _PATTERNS if key in _SITE_KEYS]
    return min((f for f in firsts if f is not None), default=None)


def _site_window(work: str, pos: Optional[int], clauses: int) -> Optional[Tuple[int, int]]:
    """From the clause of ``pos`` (the first place named), ``clauses`` clauses on; None when no
    place is named."""
    if pos is None:
        return None
    marks = [m.start() for m in _CLAUSE_MARK.finditer(work)]
    start = max((i + 1 for i in marks if i < pos), default=0)
    after = [i for i in marks if i >= pos]
    return start, after[clauses - 1] if len(after) >= clauses else len(work)


def _span_in_original(original: str, work: str, start: int, end: int) -> Tuple[int, int]:
    """Approximate the span in the original text: same start prefix, proportional end."""
    prefix = work[:start]
    o_start = original.find(prefix[-4:]) + len(prefix[-4:]) if prefix else 0
    o_start = max(0, min(o_start, len(original)))
    suffix = work[end:]
    o_end = len(original) - len(suffix) if suffix and original.endswith(suffix) else len(original)
    if not suffix:
        o_end = len(original)
    return o_start, max(o_start, o_end)


#: what is said around a place and names nothing else: 「就在…门口」, and the thing pointed at (「海景花园北门那家」)
_FILLERS = re.compile(r"就在|在|位于|地址是?|位置是?|就是|是|的|这里|那里|那边|门口|旁边|附近|对面|楼下|楼上|[东南西北]门|"
                      r"[这那](?:家|个|儿)|[，,。！？!?：:\s]")


def text_around_place(text: str) -> str:
    """The (normalised) message with the place it names cut out and every other word kept
    (「我家楼上天天往下扔垃圾，我家在海景花园6栋」→「我家楼上天天往下扔垃圾，我家在」): what the
    problem-type model reads when the place's name would only dilute the problem."""
    work = digits_in_address(normalize_text(text))
    match = extract_location(work)
    return work[:match.start] + work[match.end:] if match else work


#: an estate whose name says what kind of housing it is (「回迁小区」「廉租房小区」): that is no mere name
_HOUSING_KIND = re.compile(r"回迁|廉租|公租|保障|安置|经适|经济适用|拆迁|老旧|城中村|宿舍|单位|职工|商品房")
#: an estate's name before its suffix, as long as names go (「交房时发现小区」 is a clause, not a name)
_ESTATE_NAME = re.compile(r"^(.{1,4}?)(小区|花园|家园|新村|公寓|大厦|苑|府|庭|村|院)(.*)$")
_ESTATE = dict(_PATTERNS)["estate"]
#: where a longer place's parts end before its estate (「…海涛社区阳光花园」: the estate is 阳光花园)
_PART_END = re.compile(r"区|县|街道|社区|镇|乡|大道|路|街|巷|号")
#: the number of a building, unit, floor or room (「3栋」「1102室」); before 「楼上」「楼下」「楼道」 only the
#: number goes (「702楼上漏水」 was read 「上漏水」)
_UNIT_NUMBER = re.compile(r"\d+(?:栋|幢|座|单元|室|层|号?(?=楼[上下道梯顶])|号楼|楼)")
#: how much of a message place_as_kind reads for its estate (where a report names its place), with the
#: estate pattern alone: the whole place reader on every text and clause the model reads cost real
#: letters' analysis 3–4 ms more at p95 (25 → 29 ms)
_KIND_READS = 120


def _estate_in(opening: str) -> Optional["re.Match[str]"]:
    """The first estate ``opening`` names, without the district, street or community said before it,
    as _ESTATE_NAME reads it (its name, suffix and phase); None when it names none that is a name."""
    match = _ESTATE.search(opening)
    if not match:
        return None
    name = match.group(1)
    return next(filter(None, (_ESTATE_NAME.match(name[start:]) for start in
                              reversed([0] + [part.end() for part in _PART_END.finditer(name)]))), None)


@lru_cache(maxsize=512)
def place_as_kind(text: str) -> str:
    """The (normalised) message with its estate's name said as 「小区」, the gazetteer's streets and communities
    as 「街道」「社区」 (_admin_names), and without building, unit or room numbers (「锦绣家园3栋楼道灯坏了」 →
    「小区楼道灯坏了」): what the problem-type model reads. Neither is evidence of a category — the model had
    learnt the names and numbers its examples happened to use (锦绣家园's corridor light read 消防安全 0.60,
    阳光花园's 物业服务; 「3栋」 leaned to fire safety) — while the kind of place may be (an estate's lift is the
    property company's). A road's or a school's name says its kind (「地铁站」「幼儿园」) and stays, and an estate
    named for its kind of housing (回迁小区) keeps its name; a village's name (「盐田一村」, homes in most cities)
    is an estate's. A hospital or a government office the estate pattern finds (「人民医院」「区政府」) and the word
    「农村」 are no estate and stay as said: they were read as 「小区」 (in 26 of train.csv's letters 「政府」, in 9
    「农村」, in 6 「人民医院」), which is what tells a letter's category. Numbers are left out rather than said as
    「某栋」: that one token, in most examples naming a building, read a bare 「翠堤雅居8栋」 as 物业服务 0.56 and
    the place answer as a report."""
    work = normalize_text(text)
    named = _estate_in(work[:_KIND_READS])
    if named and not _HOUSING_KIND.search(named.string) and not (named.group(1) + named.group(2)).endswith(_NOT_AN_ESTATE):
        work = work.replace(named.string, "小区" + named.group(3), 1)
    admin = _admin_names()
    if admin is not None:
        work = admin.sub(lambda m: m.group(0)[-2:], work)  # the kind the name ends with
    return _UNIT_NUMBER.sub("", work)


#: the kinds of the gazetteer's administrative units (two characters each), said instead of their names
_ADMIN_KINDS = ("街道", "社区")


@lru_cache(maxsize=1)
def _admin_names() -> Optional["re.Pattern[str]"]:
    """The gazetteer's streets and communities by their full names (「海山街道」「田东社区」, longest first): said as
    their kind for the problem-type model. 「海山街道田东社区东和路12号路灯不亮」 went to 社区建设 (民政局) while
    「东和路12号路灯不亮」 read 城市公共设施 0.93: the model had learnt the names of the few places its examples
    used. Aliases (「沙头角」) stay: they are words of other things too."""
    from nlu.gazetteer import default_gazetteer  # the gazetteer loads its pinyin tables: only when asked

    names = sorted({u.name for u in default_gazetteer().units
                    if u.level in ("street", "community") and u.name.endswith(_ADMIN_KINDS)}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names))) if names else None


def text_without_place(text: str) -> str:
    """What a message says besides naming a place: 「海景花园2栋门口」→「」,
    「人民公园东门的路灯不亮了」→「路灯不亮了」. Used to tell a report from a bare address."""
    return _FILLERS.sub("", text_around_place(text))
