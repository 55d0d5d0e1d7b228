#!/usr/bin/env node
// Generates the agglo region registry (regions.csv) and copies the licence
// texts of the data sources beside it.
//
// Sources (npm, exact versions pinned in package.json):
//   china-area-data@5.0.1  MIT         division codes and names (NBS statistical
//                                      division codes as of 2019-10-31)
//   echarts@4.9.0          Apache-2.0  map/json/china.json and china-cities.json
//                                      (label points "cp" used as coordinates)
//   pinyin-pro@3.29.4      MIT         pinyin for English names of cities/counties
//
// Usage:  npm install --no-package-lock && node generate.js [OUT_DIR]
// OUT_DIR defaults to the parent directory of this script.
'use strict';

const fs = require('fs');
const path = require('path');
const { pinyin } = require('pinyin-pro');

const outDir = path.resolve(process.argv[2] || path.join(__dirname, '..'));
const areaPkgDir = path.dirname(require.resolve('china-area-data/package.json'));
const echartsPkgDir = path.dirname(require.resolve('echarts/package.json'));
const pinyinPkgDir = path.dirname(require.resolve('pinyin-pro/package.json'));

function pkgVersion(dir) {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
}
const EXPECT = { 'china-area-data': '5.0.1', echarts: '4.9.0', 'pinyin-pro': '3.29.4' };
for (const [name, dir] of [['china-area-data', areaPkgDir], ['echarts', echartsPkgDir], ['pinyin-pro', pinyinPkgDir]]) {
  const v = pkgVersion(dir);
  if (v !== EXPECT[name]) throw new Error(`${name}@${v} installed, expected ${EXPECT[name]}`);
}

const area = JSON.parse(fs.readFileSync(path.join(areaPkgDir, 'data.json'), 'utf8'));
const chinaMap = JSON.parse(fs.readFileSync(path.join(echartsPkgDir, 'map/json/china.json'), 'utf8'));
const citiesMap = JSON.parse(fs.readFileSync(path.join(echartsPkgDir, 'map/json/china-cities.json'), 'utf8'));

// ---------------------------------------------------------------- provinces

// Short Chinese names and official English names of the 34 provincial-level units.
const PROVINCES = {
  '110000': ['北京', 'Beijing'],
  '120000': ['天津', 'Tianjin'],
  '130000': ['河北', 'Hebei'],
  '140000': ['山西', 'Shanxi'],
  '150000': ['内蒙古', 'Inner Mongolia'],
  '210000': ['辽宁', 'Liaoning'],
  '220000': ['吉林', 'Jilin'],
  '230000': ['黑龙江', 'Heilongjiang'],
  '310000': ['上海', 'Shanghai'],
  '320000': ['江苏', 'Jiangsu'],
  '330000': ['浙江', 'Zhejiang'],
  '340000': ['安徽', 'Anhui'],
  '350000': ['福建', 'Fujian'],
  '360000': ['江西', 'Jiangxi'],
  '370000': ['山东', 'Shandong'],
  '410000': ['河南', 'Henan'],
  '420000': ['湖北', 'Hubei'],
  '430000': ['湖南', 'Hunan'],
  '440000': ['广东', 'Guangdong'],
  '450000': ['广西', 'Guangxi'],
  '460000': ['海南', 'Hainan'],
  '500000': ['重庆', 'Chongqing'],
  '510000': ['四川', 'Sichuan'],
  '520000': ['贵州', 'Guizhou'],
  '530000': ['云南', 'Yunnan'],
  '540000': ['西藏', 'Tibet'],
  '610000': ['陕西', 'Shaanxi'],
  '620000': ['甘肃', 'Gansu'],
  '630000': ['青海', 'Qinghai'],
  '640000': ['宁夏', 'Ningxia'],
  '650000': ['新疆', 'Xinjiang'],
  '710000': ['台湾', 'Taiwan'],
  '810000': ['香港', 'Hong Kong'],
  '820000': ['澳门', 'Macao'],
};
const MUNICIPALITIES = new Set(['110000', '120000', '310000', '500000']);
// Provinces whose sub-units in china-area-data are not taken: Taiwan's cities
// were added by the package author (GB/T 2260 and the NBS codes list 710000
// only); Hong Kong and Macao children are districts, not prefecture-level.
const NO_CHILDREN = new Set(['710000', '810000', '820000']);

// ------------------------------------------------------------- short names

// Ethnic-group qualifiers that precede 自治州/自治县 in official names.
const ETHNIC = ['朝鲜族', '土家族', '布依族', '蒙古族', '哈尼族', '景颇族', '傈僳族', '苗族', '侗族', '藏族',
  '回族', '彝族', '壮族', '傣族', '白族', '羌族', '黎族', '哈萨克', '柯尔克孜', '蒙古'];

// Returns [short name, kind] where kind names the administrative suffix.
function splitName(full) {
  const rules = [
    ['自治州', 'autonomous_prefecture'],
    ['自治县', 'autonomous_county'],
    ['林区', 'forestry_district'],
    ['地区', 'prefecture'],
    ['盟', 'league'],
    ['市', 'city'],
    ['县', 'county'],
  ];
  for (const [suf, kind] of rules) {
    if (!full.endsWith(suf) || full.length - suf.length < 2) continue;
    let s = full.slice(0, -suf.length);
    if (kind.startsWith('autonomous')) {
      for (let changed = true; changed;) {
        changed = false;
        for (const e of ETHNIC) {
          if (s.endsWith(e) && s.length - e.length >= 2) { s = s.slice(0, -e.length); changed = true; }
        }
      }
    }
    return [s, kind];
  }
  throw new Error(`no administrative suffix in ${full}`);
}

// ----------------------------------------------------------- English names

// Conventional romanisations used instead of Hanyu Pinyin, mostly for names
// of Mongolian, Uyghur, Kazakh and Tibetan origin and a few long-established
// spellings (Harbin, Qiqihar). Keys are short Chinese names.
const CONVENTIONAL = {
  '哈尔滨': 'Harbin',
  '齐齐哈尔': 'Qiqihar',
  '呼和浩特': 'Hohhot',
  '鄂尔多斯': 'Ordos',
  '呼伦贝尔': 'Hulunbuir',
  '巴彦淖尔': 'Bayannur',
  '乌兰察布': 'Ulanqab',
  '兴安': 'Hinggan',
  '锡林郭勒': 'Xilingol',
  '阿拉善': 'Alxa',
  '大兴安岭': 'Da Hinggan Ling',
  '乌鲁木齐': 'Urumqi',
  '克拉玛依': 'Karamay',
  '吐鲁番': 'Turpan',
  '博尔塔拉': 'Bortala',
  '巴音郭楞': 'Bayingolin',
  '阿克苏': 'Aksu',
  '克孜勒苏': 'Kizilsu',
  '喀什': 'Kashgar',
  '和田': 'Hotan',
  '伊犁': 'Ili',
  '阿勒泰': 'Altay',
  '阿拉尔': 'Aral',
  '图木舒克': 'Tumxuk',
  '拉萨': 'Lhasa',
  '日喀则': 'Shigatse',
  '昌都': 'Qamdo',
  '林芝': 'Nyingchi',
  '那曲': 'Nagqu',
  '阿里': 'Ngari',
  '果洛': 'Golog',
};

// Pinned pinyin for short names containing polyphonic characters (or
// otherwise easy to get wrong), as space-separated syllables. pinyin-pro
// 3.29.4 already yields all of these; pinning them guards against dictionary
// changes in other versions. The full generated list was reviewed by hand.
const PINYIN_OVERRIDE = {
  '重庆': 'chong qing',
  '长沙': 'chang sha',
  '长春': 'chang chun',
  '长治': 'chang zhi',
  '蚌埠': 'beng bu',
  '六安': 'lu an',
  '六盘水': 'liu pan shui',
  '丽水': 'li shui',
  '丽江': 'li jiang',
  '乐山': 'le shan',
  '乐东': 'le dong',
  '厦门': 'xia men',
  '东莞': 'dong guan',
  '黄冈': 'huang gang',
  '台州': 'tai zhou',
  '泰州': 'tai zhou',
  '宿州': 'su zhou',
  '宿迁': 'su qian',
  '亳州': 'bo zhou',
  '濮阳': 'pu yang',
  '漯河': 'luo he',
  '泸州': 'lu zhou',
  '儋州': 'dan zhou',
  '莆田': 'pu tian',
  '大理': 'da li',
  '朝阳': 'chao yang',
  '屯昌': 'tun chang',
  '巴中': 'ba zhong',
  '曲靖': 'qu jing',
  '铜仁': 'tong ren',
  '沈阳': 'shen yang',
  '长白': 'chang bai',
  '中卫': 'zhong wei',
  '葫芦岛': 'hu lu dao',
  '张家口': 'zhang jia kou',
  '石嘴山': 'shi zui shan',
  '怒江': 'nu jiang',
  '西双版纳': 'xi shuang ban na',
  '万宁': 'wan ning',
  '琼中': 'qiong zhong',
  '琼海': 'qiong hai',
  '五指山': 'wu zhi shan',
  '神农架': 'shen nong jia',
  '济源': 'ji yuan',
  '济南': 'ji nan',
  '济宁': 'ji ning',
  '潜江': 'qian jiang',
  '恩施': 'en shi',
  '黔西南': 'qian xi nan',
  '黔东南': 'qian dong nan',
  '黔南': 'qian nan',
  '大庆': 'da qing',
  '石河子': 'shi he zi',
};

function romanise(short) {
  if (CONVENTIONAL[short]) return CONVENTIONAL[short];
  const syl = PINYIN_OVERRIDE[short]
    ? PINYIN_OVERRIDE[short].split(' ')
    : pinyin(short, { toneType: 'none', type: 'array', v: true });
  if (syl.length !== [...short].length) throw new Error(`syllable count mismatch for ${short}: ${syl}`);
  // Hanyu Pinyin orthography: an apostrophe separates a syllable starting
  // with a, o or e from the preceding one (Xi'an, Lu'an).
  let out = '';
  syl.forEach((s, i) => {
    s = s.toLowerCase().replace(/v/g, 'ü');
    if (!/^[a-zü]+$/.test(s)) throw new Error(`bad syllable ${s} in ${short}`);
    if (i > 0 && /^[aoe]/.test(s)) out += "'";
    out += s;
  });
  return out.charAt(0).toUpperCase() + out.slice(1);
}

const KIND_EN = {
  city: '',
  prefecture: ' Prefecture',
  league: ' League',
  autonomous_prefecture: ' Autonomous Prefecture',
  autonomous_county: ' Autonomous County',
  county: ' County',
  forestry_district: ' Forestry District',
};

function englishName(short, kind) {
  return romanise(short) + KIND_EN[kind];
}

// ------------------------------------------------------------- coordinates

const COORD_CITY = 'echarts@4.9.0 china-cities.json cp';
const COORD_PROV = 'echarts@4.9.0 china.json cp';

function indexFeatures(fc) {
  const byId = new Map();
  const byName = new Map(); // name -> [features]
  for (const f of fc.features) {
    const id = String(f.id || f.properties.id || '');
    if (id) byId.set(id, f);
    const n = f.properties.name;
    if (!byName.has(n)) byName.set(n, []);
    byName.get(n).push(f);
  }
  return { byId, byName };
}
const provIdx = indexFeatures(chinaMap);
const cityIdx = indexFeatures(citiesMap);
const usedCityFeatures = new Set();
const matchLog = [];

// Find the echarts city feature for a region: by adcode when the names agree,
// else by short or full name within the same province.
function cityFeature(adcode, full, short) {
  const f = cityIdx.byId.get(adcode);
  if (f && (f.properties.name === short || f.properties.name === full)) return f;
  const prov = adcode.slice(0, 2);
  const cands = [...(cityIdx.byName.get(short) || []), ...(cityIdx.byName.get(full) || [])]
    .filter((g) => String(g.id).slice(0, 2) === prov);
  if (cands.length === 1) {
    matchLog.push(`${adcode} ${full}: matched by name to echarts feature ${cands[0].id} ${cands[0].properties.name}`);
    return cands[0];
  }
  if (f) matchLog.push(`${adcode} ${full}: echarts feature with same id is named ${f.properties.name}; not used`);
  return null;
}

function cp(f) {
  const c = f && f.properties.cp;
  if (!c || c.length !== 2) return null;
  return [Number(c[0]), Number(c[1])];
}

// ------------------------------------------------------------------- build

const rows = [];
const provinces = area['86'];
if (Object.keys(provinces).length !== 34) throw new Error('expected 34 provincial-level units');

for (const [pcode, pfull] of Object.entries(provinces)) {
  const [pshort, pen] = PROVINCES[pcode] || [];
  if (!pshort || !pfull.startsWith(pshort)) throw new Error(`province ${pcode} ${pfull} not in table`);
  const pf = provIdx.byId.get(pcode);
  if (!pf || pf.properties.name !== pshort) throw new Error(`no china.json feature for ${pcode} ${pshort}`);
  // Municipalities double as city-level units, so they get the city seat
  // from china-cities.json (for 重庆 the china.json label point is ~75 km
  // east of the urban core); other provinces use the china.json label point.
  let c = cp(pf);
  let src = COORD_PROV;
  if (MUNICIPALITIES.has(pcode)) {
    const cf = cityIdx.byId.get(pcode);
    if (!cf || cf.properties.name !== pshort) throw new Error(`no china-cities.json feature for ${pshort}`);
    usedCityFeatures.add(cf);
    c = cp(cf);
    src = COORD_CITY;
  }
  rows.push({
    adcode: pcode, name_zh: pfull, short_zh: pshort, name_en: pen, level: 'province',
    parent_adcode: '', lon: c ? c[0] : '', lat: c ? c[1] : '', coord_source: c ? src : '',
    city_adcode_alias: MUNICIPALITIES.has(pcode) ? pcode.slice(0, 2) + '0100' : '',
  });
  if (MUNICIPALITIES.has(pcode) || NO_CHILDREN.has(pcode)) continue;

  for (const [code, full] of Object.entries(area[pcode] || {})) {
    const direct = code.endsWith('9000') && full.includes('直辖县级');
    const units = direct ? Object.entries(area[code] || {}) : [[code, full]];
    for (const [ucode, ufull] of units) {
      const [short, kind] = splitName(ufull);
      const level = direct ? 'county' : 'city';
      if (level === 'city' && !['city', 'prefecture', 'league', 'autonomous_prefecture'].includes(kind)) {
        throw new Error(`unexpected prefecture-level name ${ucode} ${ufull}`);
      }
      const f = cityFeature(ucode, ufull, short);
      if (f) usedCityFeatures.add(f);
      const c = cp(f);
      rows.push({
        adcode: ucode, name_zh: ufull, short_zh: short, name_en: englishName(short, kind), level,
        parent_adcode: pcode, lon: c ? c[0] : '', lat: c ? c[1] : '', coord_source: c ? COORD_CITY : '',
        city_adcode_alias: '',
      });
    }
  }
}

// --------------------------------------------------------------- write out

const COLS = ['adcode', 'name_zh', 'short_zh', 'name_en', 'level', 'parent_adcode', 'lon', 'lat', 'coord_source', 'city_adcode_alias'];
function csvField(v) {
  const s = String(v);
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
const levelOrder = { province: 0, city: 1, county: 2 };
rows.sort((a, b) => a.adcode.localeCompare(b.adcode) || levelOrder[a.level] - levelOrder[b.level]);
const seen = new Set();
for (const r of rows) {
  if (seen.has(r.adcode)) throw new Error(`duplicate adcode ${r.adcode}`);
  seen.add(r.adcode);
}
const csv = [COLS.join(',')].concat(rows.map((r) => COLS.map((k) => csvField(r[k])).join(','))).join('\n') + '\n';
fs.writeFileSync(path.join(outDir, 'regions.csv'), csv);

// Licence texts of the sources.
const licDir = path.join(outDir, 'licenses');
fs.mkdirSync(licDir, { recursive: true });
fs.copyFileSync(path.join(areaPkgDir, 'LICENSE'), path.join(licDir, 'china-area-data.LICENSE'));
fs.copyFileSync(path.join(echartsPkgDir, 'LICENSE'), path.join(licDir, 'echarts-4.9.0.LICENSE'));
fs.copyFileSync(path.join(echartsPkgDir, 'NOTICE'), path.join(licDir, 'echarts-4.9.0.NOTICE'));
fs.copyFileSync(path.join(pinyinPkgDir, 'LICENSE'), path.join(licDir, 'pinyin-pro.LICENSE'));

// Report.
const count = (lvl) => rows.filter((r) => r.level === lvl).length;
console.log(`regions.csv: ${rows.length} rows (${count('province')} provinces, ${count('city')} cities, ${count('county')} counties)`);
const missing = rows.filter((r) => r.lon === '');
console.log(`without coordinates: ${missing.length}` + missing.map((r) => `\n  ${r.adcode} ${r.name_zh}`).join(''));
for (const m of matchLog) console.log('note: ' + m);
const unused = citiesMap.features.filter((f) => !usedCityFeatures.has(f) && !provinces[String(f.id)]);
console.log(`echarts china-cities.json features not matched to a region: ${unused.length}` +
  unused.map((f) => `\n  ${f.id} ${f.properties.name}`).join(''));
