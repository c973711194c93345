"""The Xiangtan scenario that `manage.py load_demo` loads.

The named entities come from the seed report (工人日报, 2022): 湘潭市总工会 began dispatching
union instructors to its directly affiliated 两新 organizations in 2021 (8 in the first term, 9 a
year later); 欧阳新建 at 湖南吉利汽车部件有限公司, 邹谦 at 湖南软件职业技术大学 from April 2021
(its union chair is 尚湘文), 彭东贵 at a gas company the report leaves unnamed, and 罗军,
vice-chair of the city federation. Everything else is synthetic and only has to look plausible.
"""

from dataclasses import dataclass
from datetime import date

DEMO_PASSWORD = "Zhidao@2026"

PROVINCE = {"name": "湖南省总工会", "short_name": "省总工会", "region_code": "430000"}
CITY = {"name": "湘潭市总工会", "short_name": "湘潭市总", "region_code": "430300"}
CITY_PREFIX = "湘潭"


@dataclass(frozen=True)
class District:
    name: str  # as stored in Organization.district
    federation: str
    region_code: str  # GB/T 2260; the two development zones register under the city's code
    address_prefix: str
    name_prefix: str  # what local firms put before their trade name
    latitude: float
    longitude: float
    share: int  # relative number of organizations
    streets: tuple[str, ...]
    roads: tuple[str, ...]


DISTRICTS = (
    District(
        "雨湖区", "雨湖区总工会", "430302", "湘潭市雨湖区", "湘潭", 27.856, 112.907, 22,
        ("城正街街道", "雨湖路街道", "云塘街道", "广场街道", "窑湾街道", "昭潭街道", "先锋街道",
         "万楼街道", "长城乡", "姜畲镇", "楠竹山镇", "鹤岭镇"),
        ("韶山西路", "建设北路", "人民路", "雨湖路", "平政路", "和平路", "熙春路", "车站路"),
    ),
    District(
        "岳塘区", "岳塘区总工会", "430304", "湘潭市岳塘区", "湘潭", 27.872, 112.962, 22,
        ("岳塘街道", "书院路街道", "建设路街道", "五里堆街道", "下摄司街道", "东坪街道", "宝塔街道",
         "霞城街道", "荷塘街道"),
        ("韶山东路", "书院路", "建设南路", "宝塔路", "河东大道", "芙蓉中路", "东湖路", "桃园路"),
    ),
    District(
        "湘潭县", "湘潭县总工会", "430321", "湘潭县", "湘潭县", 27.779, 112.951, 14,
        ("易俗河镇", "天易街道", "花石镇", "射埠镇", "石潭镇", "河口镇", "中路铺镇", "茶恩寺镇"),
        ("金霞路", "天易大道", "银杏路", "滨江路", "湘江东路", "明珠大道"),
    ),
    District(
        "湘乡市", "湘乡市总工会", "430381", "湘乡市", "湘乡市", 27.718, 112.535, 14,
        ("新湘路街道", "望春门街道", "东山街道", "昆仑桥街道", "东郊乡", "棋梓镇", "壶天镇",
         "月山镇"),
        ("东山路", "红仑大道", "望春门路", "新湘路", "龙城大道", "向阳路"),
    ),
    District(
        "韶山市", "韶山市总工会", "430382", "韶山市", "韶山市", 27.915, 112.527, 6,
        ("清溪镇", "银田镇", "韶山乡", "杨林乡"),
        ("韶山大道", "银园路", "迎宾路", "红旗路"),
    ),
    District(
        "湘潭高新区", "湘潭高新区总工会", "430300", "湘潭高新区", "湘潭", 27.838, 112.932, 12,
        ("双马街道", "板塘街道", "晓塘街道"),
        ("晓塘路", "茶园路", "板塘路", "双拥南路", "火炬路", "创新大道"),
    ),
    District(
        "湘潭经开区", "湘潭经开区总工会", "430300", "湘潭经开区", "湘潭", 27.935, 112.880, 10,
        ("九华和平街道", "九华响水乡", "九华白石街道"),
        ("吉利路", "九华大道", "白石西路", "奔驰路", "传奇路", "天马路"),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class SeedOrganization:
    key: str
    name: str
    credit_prefix: str  # registration authority + entity type (GB 32100: 91 enterprise, 52 民非)
    kind: str
    sub_kind: str
    industry: str
    district: str
    address: str
    latitude: float
    longitude: float
    employee_count: int
    union_name: str
    union_chair: str
    union_founded_on: date
    union_member_count: int


GEELY = SeedOrganization(
    "geely", "湖南吉利汽车部件有限公司", "91", "new_economic", "private_enterprise", "C",
    "湘潭经开区", "湘潭经开区吉利路", 27.931, 112.874, 2600,
    "湖南吉利汽车部件有限公司工会", "谭志刚", date(2013, 5, 1), 2380,
)  # fmt: skip
UNIVERSITY = SeedOrganization(
    "university", "湖南软件职业技术大学", "52", "new_social", "private_non_enterprise", "P",
    "雨湖区", "湘潭市雨湖区九华大道", 27.914, 112.889, 860,
    "湖南软件职业技术大学工会", "尚湘文", date(2006, 9, 10), 812,
)  # fmt: skip
# The report leaves the gas company unnamed (某燃气有限公司); 莲城 is Xiangtan's nickname.
GAS_COMPANY = SeedOrganization(
    "gas", "湘潭莲城燃气有限公司", "91", "new_economic", "private_enterprise", "D",
    "岳塘区", "湘潭市岳塘区河东大道", 27.868, 112.971, 340,
    "湘潭莲城燃气有限公司工会", "黎建华", date(2010, 3, 8), 305,
)  # fmt: skip
SEED_ORGANIZATIONS = (GEELY, UNIVERSITY, GAS_COMPANY)


@dataclass(frozen=True)
class SeedInstructor:
    name: str
    username: str
    department: str
    title: str
    organization: str  # SeedOrganization.key they are dispatched to in every term


SEED_INSTRUCTORS = (
    SeedInstructor("欧阳新建", "ouyang", "基层工作部", "二级主任科员", GEELY.key),
    SeedInstructor("邹谦", "zouqian", "组织部", "一级科员", UNIVERSITY.key),
    SeedInstructor("彭东贵", "pengdonggui", "权益保障部", "三级主任科员", GAS_COMPANY.key),
)


@dataclass(frozen=True)
class BatchSpec:
    name: str
    year: int
    starts_on: date
    instructor_count: int | None  # None: every active instructor
    ends_on: date | None = None
    notes: str = ""


# The terms as they stand during the reference term (schedule.py): a load on another day moves
# every date below by whole years, so that 第六期 and the districts' 第三期 hold the load day.
BATCHES = (
    BatchSpec(
        "第一期", 2021, date(2021, 4, 1), 8,
        notes="试行向市总直属“两新”组织派驻工会指导员：每期1年，每星期驻点不少于1天，"
        "及时记录反馈，按季度定期上报。",
    ),
    BatchSpec("第二期", 2022, date(2022, 4, 1), 9),
    BatchSpec(
        "第三期", 2023, date(2023, 4, 1), 16, ends_on=date(2024, 2, 29),
        notes="为与年度工作安排衔接，本期提前一个月结束；自第四期起每期3月1日开始。",
    ),
    BatchSpec("第四期", 2024, date(2024, 3, 1), 20),
    BatchSpec("第五期", 2025, date(2025, 3, 1), 25),
    BatchSpec("第六期", 2026, date(2026, 3, 1), None),
)  # fmt: skip
# Terms of the district federations, which joined the programme in 2024 (names get the district).
DISTRICT_BATCHES = (
    BatchSpec("第一期", 2024, date(2024, 3, 1), None),
    BatchSpec("第二期", 2025, date(2025, 3, 1), None),
    BatchSpec("第三期", 2026, date(2026, 3, 1), None),
)
# Instructors of the first terms who have since left the programme (退休/调岗): they served up to
# this term's year (a reference year, like the BatchSpec years).
RETIRED_AFTER_YEAR = 2023
RETIRED_COUNT = 2


@dataclass(frozen=True)
class Size:
    organizations: int
    instructors: int
    # Field-work history from this date (a reference date, moved like the terms) up to the load
    # day. The small demo (tests, browser tests) still covers the previous term, whose reports and
    # evaluations the demo shows, and stays quick by having fewer organizations and instructors.
    history_start: date = date(2024, 1, 1)


SIZES = {
    "small": Size(organizations=200, instructors=15, history_start=date(2025, 3, 1)),
    "city": Size(2000, 50),
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    role: str  # accounts.Role value, or "superuser"
    role_label: str
    scope: str  # what the table says the login covers
    federation: str = ""
    union: str = ""


LOGINS = (
    DemoLogin(
        "admin", "王丽", "federation_admin", "市总工会管理员",
        "湘潭市总工会及下属全部工会", federation=CITY["name"],
    ),
    DemoLogin(
        "yuhu_admin", "陈卫东", "federation_admin", "区总工会管理员",
        "仅雨湖区总工会", federation="雨湖区总工会",
    ),
    DemoLogin(
        "leader", "罗军", "federation_leader", "市总工会领导(只读)",
        "湘潭市总工会全部数据的看板与报告", federation=CITY["name"],
    ),
    DemoLogin("ouyang", "欧阳新建", "instructor", "工会指导员", "本人派驻的组织(含吉利汽车部件)"),
    DemoLogin("zouqian", "邹谦", "instructor", "工会指导员", "本人派驻的组织(含软件职业技术大学)"),
    DemoLogin(
        "geely_chair", GEELY.union_chair, "union_officer", "基层工会主席",
        "仅本工会", union=GEELY.union_name,
    ),
    DemoLogin(
        "rights", "刘敏", "rights_staff", "权益保障部工作人员",
        "湘潭市总工会及下属工会的职工诉求(可见联系方式)", federation=CITY["name"],
    ),
    # The three separated administrators (三员分立): their own pages only.
    DemoLogin(
        "sysadmin", "周志刚", "system_admin", "系统管理员",
        "湘潭市总工会及下属的账号与角色", federation=CITY["name"],
    ),
    DemoLogin(
        "secadmin", "唐慧", "security_admin", "安全管理员",
        "安全策略;重置下属账号的双重认证", federation=CITY["name"],
    ),
    # At the province, the top federation: it also reads the system's and the superuser's acts.
    DemoLogin(
        "auditor", "黄静", "audit_admin", "审计管理员",
        "全部审计日志(含系统与超级用户的操作):只读、检索、导出", federation=PROVINCE["name"],
    ),
    DemoLogin("root", "安装管理员", "superuser", "超级用户", "仅 /admin/ 后台(安装用)"),
)  # fmt: skip

# --- name parts for synthetic rows --------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛阎段雷侯龙史黎贺顾毛郝"
)
GIVEN_NAME_CHARACTERS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌亮春燕海波辉宇鹏婷玲"
    "飞雪梅林峰雷晨欣怡佳琳浩然子涵思远新湘东湖卫兵庆德荣"
)
TRADE_NAME_CHARACTERS = (
    "宏达鑫华盛兴恒通瑞丰泰祥德信诚远博众联创新金天安顺利和佳美永昌隆源正中立晟湘莲潭韶岳"
    "楚江星明光辉腾飞益康乐成云海峰宇嘉富荣凯锦汇鼎洪旺航晨亿"
)

# Words that follow the trade name, per GB/T 4754 section (new economic organizations).
INDUSTRY_WORDS = {
    "A": ("农业开发", "生态农业", "养殖", "茶业", "农林科技", "湘莲种植"),
    "B": ("矿业", "石材", "砂石"),
    "C": ("机械制造", "电机", "汽车零部件", "电子科技", "新材料", "钢结构", "食品", "服饰",
          "塑业", "化工", "医药", "包装", "电缆", "槟榔", "湘莲食品", "轨道交通装备"),
    "D": ("电力", "新能源", "燃气", "供水", "热力"),
    "E": ("建设工程", "建筑", "路桥工程", "装饰工程", "机电安装工程"),
    "F": ("商贸", "超市", "医药连锁", "汽车销售服务", "建材", "贸易"),
    "G": ("物流", "运输", "快递", "货运", "仓储"),
    "H": ("餐饮管理", "酒店", "大酒店", "宾馆"),
    "I": ("软件", "信息技术", "网络科技", "数据服务"),
    "J": ("小额贷款", "融资担保", "保险代理"),
    "K": ("房地产开发", "物业管理", "置业"),
    "L": ("人力资源", "企业管理咨询", "广告", "设备租赁", "保安服务"),
    "M": ("检测", "工程设计", "科技研究", "环境监测"),
    "N": ("环保科技", "园林绿化", "环境卫生"),
    "O": ("家政服务", "汽车维修", "洗涤", "美容美发"),
    "P": ("教育咨询", "职业技能培训"),
    "Q": ("医疗管理", "健康管理", "医院"),
    "R": ("文化传媒", "体育发展", "影视", "文化旅游"),
}  # fmt: skip
# How often each section occurs among new economic organizations (manufacturing-heavy city).
INDUSTRY_WEIGHTS = {
    "A": 4, "B": 1, "C": 30, "D": 2, "E": 9, "F": 14, "G": 7, "H": 6, "I": 5, "J": 1,
    "K": 5, "L": 5, "M": 3, "N": 2, "O": 4, "P": 1, "Q": 1, "R": 2,
}  # fmt: skip
# (sub_kind, share of all organizations, credit-code prefix)
SUB_KIND_MIX = (
    ("private_enterprise", 66, "91"),
    ("foreign_funded", 3, "91"),
    ("hmt_funded", 3, "91"),
    ("mixed_ownership", 4, "91"),
    ("individual_business", 5, "92"),
    ("social_group", 7, "51"),
    ("private_non_enterprise", 7, "52"),
    ("foundation", 1, "53"),
    ("law_firm", 2, "31"),
    ("accounting_firm", 1, "91"),
    ("other_intermediary", 1, "91"),
)
SOCIAL_GROUP_TOPICS = (
    "物流", "餐饮", "建筑业", "软件", "家政服务", "快递", "电子商务", "汽车维修", "钢铁贸易",
    "机械工业", "食品工业", "湘莲产业", "槟榔产业", "旅游", "美容美发", "装饰装修", "个体劳动者",
    "民营企业", "会计", "律师", "摄影家", "书法家", "老年体育", "青年企业家", "物业管理",
    "房地产", "医药", "眼镜", "茶叶", "花卉", "电动车", "网约车", "健身", "养老服务", "社会工作",
)  # fmt: skip
CHAMBER_PROVINCES = ("浙江", "福建", "广东", "江西", "湖北", "四川", "江苏", "河南", "安徽")
PRIVATE_NON_ENTERPRISE_FORMS = (
    ("职业培训学校", "P"), ("幼儿园", "P"), ("艺术培训学校", "P"), ("外国语学校", "P"),
    ("养老院", "Q"), ("康复医院", "Q"), ("门诊部", "Q"),
    ("社会工作服务中心", "S"), ("公益服务中心", "S"), ("科技研究院", "M"),
)  # fmt: skip
# 个体工商户 are named after the owner: 王记米粉店.
INDIVIDUAL_BUSINESS_FORMS = (
    ("便利店", "F"), ("五金店", "F"), ("建材经营部", "F"), ("服装店", "F"), ("餐馆", "H"),
    ("米粉店", "H"), ("农家乐", "H"), ("汽车修理店", "O"), ("理发店", "O"), ("货运部", "G"),
)  # fmt: skip
INTERMEDIARY_FORMS = ("资产评估有限公司", "税务师事务所有限公司", "工程造价咨询有限公司")

DEPARTMENTS = (
    "组织部", "基层工作部", "权益保障部", "宣教部", "经费审查办", "劳动和经济工作部",
    "女职工部", "法律工作部", "办公室", "财务资产部",
)  # fmt: skip
# Mobile prefixes that phonenumbers accepts for China (the instructor service validates them).
MOBILE_PREFIXES = (
    "130", "133", "135", "136", "138", "139", "150", "153", "158", "180", "187", "189",
)  # fmt: skip
TITLES = ("一级科员", "四级主任科员", "三级主任科员", "二级主任科员", "副部长", "部长")
