/** Word pools for generated demo data: plausible, never real people or firms. */

export const REGIONS: ReadonlyArray<{ code: string; name: string; roads: string[] }> = [
  { code: '310101', name: '黄浦区', roads: ['南京东路', '河南中路', '西藏南路', '复兴东路'] },
  { code: '310104', name: '徐汇区', roads: ['漕溪北路', '肇嘉浜路', '虹桥路', '宜山路'] },
  { code: '310105', name: '长宁区', roads: ['延安西路', '天山路', '仙霞路', '遵义路'] },
  { code: '310106', name: '静安区', roads: ['南京西路', '共和新路', '江宁路', '广中路'] },
  { code: '310107', name: '普陀区', roads: ['真北路', '曹杨路', '中山北路', '武宁路'] },
  { code: '310110', name: '杨浦区', roads: ['四平路', '国定路', '控江路', '黄兴路'] },
  { code: '310112', name: '闵行区', roads: ['沪闵路', '莘庄路', '七莘路', '都市路'] },
  { code: '310115', name: '浦东新区', roads: ['世纪大道', '张杨路', '川沙路', '康桥路', '龙东大道'] },
];

/** GB/T 4754-2017 divisions used by the demo, with a name word and a weight. */
export const INDUSTRIES: ReadonlyArray<{ code: string; word: string; weight: number }> = [
  { code: 'A01', word: '农业', weight: 1 },
  { code: 'C13', word: '食品加工', weight: 3 },
  { code: 'C14', word: '食品', weight: 3 },
  { code: 'C26', word: '化工', weight: 2 },
  { code: 'C33', word: '金属制品', weight: 3 },
  { code: 'C39', word: '电子', weight: 3 },
  { code: 'D44', word: '能源', weight: 1 },
  { code: 'E47', word: '建设工程', weight: 3 },
  { code: 'E48', word: '市政工程', weight: 2 },
  { code: 'F51', word: '贸易', weight: 10 },
  { code: 'F52', word: '商贸', weight: 12 },
  { code: 'G54', word: '物流', weight: 3 },
  { code: 'H61', word: '酒店管理', weight: 3 },
  { code: 'H62', word: '餐饮管理', weight: 10 },
  { code: 'I65', word: '信息科技', weight: 10 },
  { code: 'K70', word: '置业', weight: 3 },
  { code: 'L72', word: '企业管理咨询', weight: 9 },
  { code: 'M75', word: '科技发展', weight: 6 },
  { code: 'O80', word: '家政服务', weight: 3 },
  { code: 'R88', word: '文化传播', weight: 3 },
  { code: 'R90', word: '娱乐', weight: 1 },
];

export const BRAND_CHARS =
  '华东申浦源鑫瑞德恒泰嘉禾锦程明宏达兴隆盛安康福春晨曦悦新元博汇通佳航海天星云峰川瀚宇辰逸景弘信诚正丰益惠聚合沪江';
export const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
export const GIVEN_CHARS =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯健俊峰帆鹏琳晶欣怡婷雪梅海波宁佳';
export const SHOP_WORDS: Record<string, string> = {
  F52: '便利店',
  F51: '商行',
  H62: '小吃店',
  H61: '旅馆',
  O80: '家政服务部',
  I65: '电脑维修部',
  R90: '棋牌室',
  C14: '糕点坊',
};
export const POSITIONS = ['一级科员', '二级主任科员', '四级主任科员', '副科长', '科长', '副所长', '所长'];
export const EXPERT_ORGANISATIONS = [
  '上海市质量监督检验技术研究院',
  '同济大学',
  '华东理工大学',
  '上海市环境科学研究院',
  '上海建科检验有限公司',
  '立信会计师事务所（特殊普通合伙）',
  '上海市消防技术服务协会',
  '上海市食品药品检验研究院',
];
export const EXPERT_TITLES = ['高级工程师', '正高级工程师', '教授', '副教授', '注册会计师', '注册消防工程师', '研究员'];
