// The roster columns the server recognises (src/registry/student_fields.hpp): each with
// its Chinese header, its API name (also accepted as a header) and whether it is
// required. Header matching forgives what the server forgives (csv_header.cpp): spaces,
// a BOM, full-width ASCII, any case, and the "*" a template puts on required columns.

export interface RosterField {
  /** API field name, e.g. `idNumber`. */
  name: string
  /** The Chinese header the server and the templates use, e.g. `身份证件号`. */
  chinese: string
  required: boolean
  /** Holds an identity-document number (precision matters: never a spreadsheet number). */
  idLike?: boolean
  /** A date: spreadsheet dates become YYYY-MM-DD (entryDate: YYYY-MM). */
  date?: 'day' | 'month'
  /** Example value for the template's example row. */
  example: string
  /** Short hint for the template's notes sheet (Chinese, like the headers). */
  hint: string
}

// Example values: a plausible first-grader at a Shenzhen primary school; the ID numbers'
// check digits are computed in templates.ts (GB 11643), the birth date matches the ID.
export const kRosterFields: readonly RosterField[] = [
  { name: 'studentNumber', chinese: '学籍号', required: false, example: '', hint: '通常留空，由系统发放；从旧系统迁移时可填 G/J/L 字头学籍号' },
  { name: 'name', chinese: '姓名', required: true, example: '李思雨', hint: '最多 36 个字' },
  { name: 'gender', chinese: '性别', required: true, example: '女', hint: '男 / 女（或 1 / 2）；须与身份证号一致' },
  { name: 'birthDate', chinese: '出生日期', required: true, date: 'day', example: '2019-07-23', hint: 'YYYY-MM-DD；须与身份证号一致' },
  { name: 'ethnicity', chinese: '民族', required: true, example: '汉族', hint: '民族名称或代码（如 汉族 或 01）' },
  { name: 'nationality', chinese: '国籍地区', required: false, example: '中国', hint: '默认 156 中国' },
  { name: 'idType', chinese: '身份证件类型', required: false, example: '居民身份证', hint: '填了证件号而未填类型时按居民身份证处理' },
  { name: 'idNumber', chinese: '身份证件号', required: false, idLike: true, example: '', hint: '18 位居民身份证号（按 GB 11643 校验）；请设为文本格式' },
  { name: 'overseas', chinese: '港澳台侨外', required: false, example: '', hint: '代码或名称，非港澳台侨外留空' },
  { name: 'hukouType', chinese: '户口性质', required: false, example: '非农业', hint: '农业 / 非农业（或 1 / 2）' },
  { name: 'schoolCode', chinese: '学校标识码', required: true, idLike: true, example: '2144000147', hint: '10 位；学校须已登记且在管辖范围内' },
  { name: 'stage', chinese: '学段', required: false, example: '小学', hint: '留空时由年级与学校办学类型推定' },
  { name: 'grade', chinese: '年级', required: true, example: '1', hint: '数字或名称（如 1、一年级、初一、高一）' },
  { name: 'classNo', chinese: '班号', required: true, example: '3', hint: '最多 20 个字符' },
  { name: 'entryDate', chinese: '入学年月', required: true, date: 'month', example: '2025-09', hint: 'YYYY-MM' },
  { name: 'category', chinese: '学生类别', required: false, example: '', hint: '代码或名称' },
  { name: 'boarding', chinese: '就读方式', required: false, example: '走读', hint: '走读 / 住校（或 1 / 2）' },
  { name: 'entryMethod', chinese: '入学方式', required: false, example: '', hint: '代码或名称' },
  { name: 'leftBehind', chinese: '留守儿童', required: false, example: '0', hint: '0 非留守，1 单亲留守，2 双亲留守' },
  { name: 'migrantChild', chinese: '随迁子女', required: false, example: '否', hint: '是 / 否' },
  { name: 'orphan', chinese: '孤儿', required: false, example: '否', hint: '是 / 否' },
  { name: 'martyrChild', chinese: '烈士或优抚子女', required: false, example: '否', hint: '是 / 否' },
  { name: 'disabilityType', chinese: '残疾类型', required: false, example: '', hint: '随班就读的学生必填' },
  { name: 'inRegularClass', chinese: '随班就读', required: false, example: '否', hint: '是 / 否' },
  { name: 'address', chinese: '家庭住址', required: false, example: '广东省深圳市福田区福华路 1 号', hint: '最多 200 个字符' },
  { name: 'phone', chinese: '联系电话', required: false, idLike: true, example: '13800138000', hint: '11 位手机号或 0 + 区号 + 号码' },
  { name: 'guardian1Name', chinese: '监护人1姓名', required: true, example: '李建国', hint: '最多 36 个字' },
  { name: 'guardian1Relation', chinese: '监护人1关系', required: true, example: '父亲', hint: '关系名称或代码（如 父亲 或 1）' },
  { name: 'guardian1IdNumber', chinese: '监护人1身份证件号', required: false, idLike: true, example: '', hint: '学生无证件时，两位监护人的证件号至少填一个' },
  { name: 'guardian1Phone', chinese: '监护人1联系电话', required: false, idLike: true, example: '13800138000', hint: '11 位手机号或 0 + 区号 + 号码' },
  { name: 'guardian2Name', chinese: '监护人2姓名', required: false, example: '', hint: '填写监护人2任一项时，姓名与关系必填' },
  { name: 'guardian2Relation', chinese: '监护人2关系', required: false, example: '', hint: '' },
  { name: 'guardian2IdNumber', chinese: '监护人2身份证件号', required: false, idLike: true, example: '', hint: '' },
  { name: 'guardian2Phone', chinese: '监护人2联系电话', required: false, idLike: true, example: '', hint: '' },
]
// Not offered: 学校名称, 学校办学类型, 学校所在区划 only serve the command line's data-centre load
// (the HTTP import never registers schools).

export const kFieldByName: ReadonlyMap<string, RosterField> = new Map(kRosterFields.map((f) => [f.name, f]))

/** The key a header is compared by, as the server computes it (NormalizeHeaderName). */
export function normalizeHeader(text: string): string {
  let out = ''
  for (const ch of text) {
    let cp = ch.codePointAt(0) ?? 0
    if (cp === 0x20 || cp === 0x09 || cp === 0x3000 || cp === 0xa0 || cp === 0xfeff || cp === 0x200b) continue
    if (cp >= 0xff01 && cp <= 0xff5e) cp -= 0xfee0
    if (cp >= 0x41 && cp <= 0x5a) cp += 0x20
    out += String.fromCodePoint(cp)
  }
  return out.replace(/^\*+/, '').replace(/\*+$/, '')
}

const kByKey: ReadonlyMap<string, RosterField> = (() => {
  const m = new Map<string, RosterField>()
  for (const f of kRosterFields) {
    m.set(normalizeHeader(f.chinese), f)
    m.set(normalizeHeader(f.name), f)
  }
  return m
})()

/** The field a header names, as the server would match it. */
export function fieldOfHeader(header: string): RosterField | undefined {
  return kByKey.get(normalizeHeader(header))
}

/** Field name → index of the file column holding it (or absent). */
export type Mapping = Record<string, number | null>

/** The automatic mapping: each recognised header to its field; the first of duplicates wins. */
export function autoMap(headers: readonly string[]): Mapping {
  const mapping: Mapping = {}
  for (const f of kRosterFields) mapping[f.name] = null
  headers.forEach((h, i) => {
    const f = fieldOfHeader(h)
    if (f && mapping[f.name] === null) mapping[f.name] = i
  })
  return mapping
}

export function missingRequired(mapping: Mapping): RosterField[] {
  return kRosterFields.filter((f) => f.required && (mapping[f.name] ?? null) === null)
}
