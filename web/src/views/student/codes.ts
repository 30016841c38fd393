// Code tables the student and school forms offer as selects. The API has no code-table
// endpoint, so these mirror the server's tables row for row (JY/T 1001 / JY/T 1002 field
// codes, GB/T 2261.1 gender, GB/T 3304 ethnicity, GB/T 2659 nationality, 教育统计 school
// codes): src/codes/code_tables_person.cpp, src/codes/code_tables_registry.cpp,
// src/codes/code_tables_school.cpp and src/codes/stage.cpp. The server accepts a code
// or its name and stays the authority: a code it does not know answers 422
// `unknown_code` next to the field. Keep both sides in step when a table changes.

export interface Code {
  code: string
  name: string
}

const table = (rows: [string, string][]): Code[] => rows.map(([code, name]) => ({ code, name }))

/** GB/T 2261.1 (the registry takes 1 and 2 only). */
export const kGender = table([['1', '男'], ['2', '女']])

/** GB/T 3304-1991 (97, 98 as the server has them). */
export const kEthnicity = table([
  ['01', '汉族'], ['02', '蒙古族'], ['03', '回族'], ['04', '藏族'], ['05', '维吾尔族'], ['06', '苗族'],
  ['07', '彝族'], ['08', '壮族'], ['09', '布依族'], ['10', '朝鲜族'], ['11', '满族'], ['12', '侗族'],
  ['13', '瑶族'], ['14', '白族'], ['15', '土家族'], ['16', '哈尼族'], ['17', '哈萨克族'], ['18', '傣族'],
  ['19', '黎族'], ['20', '傈僳族'], ['21', '佤族'], ['22', '畲族'], ['23', '高山族'], ['24', '拉祜族'],
  ['25', '水族'], ['26', '东乡族'], ['27', '纳西族'], ['28', '景颇族'], ['29', '柯尔克孜族'], ['30', '土族'],
  ['31', '达斡尔族'], ['32', '仫佬族'], ['33', '羌族'], ['34', '布朗族'], ['35', '撒拉族'], ['36', '毛南族'],
  ['37', '仡佬族'], ['38', '锡伯族'], ['39', '阿昌族'], ['40', '普米族'], ['41', '塔吉克族'], ['42', '怒族'],
  ['43', '乌孜别克族'], ['44', '俄罗斯族'], ['45', '鄂温克族'], ['46', '德昂族'], ['47', '保安族'], ['48', '裕固族'],
  ['49', '京族'], ['50', '塔塔尔族'], ['51', '独龙族'], ['52', '鄂伦春族'], ['53', '赫哲族'], ['54', '门巴族'],
  ['55', '珞巴族'], ['56', '基诺族'], ['97', '其他'], ['98', '外国血统中国籍人士'],
])

/** GB/T 2659 numeric: the subset the server knows. */
export const kNationality = table([
  ['156', '中国'], ['344', '中国香港'], ['446', '中国澳门'], ['158', '中国台湾'], ['840', '美国'], ['124', '加拿大'],
  ['826', '英国'], ['250', '法国'], ['276', '德国'], ['643', '俄罗斯'], ['392', '日本'], ['410', '韩国'],
  ['408', '朝鲜'], ['496', '蒙古'], ['704', '越南'], ['418', '老挝'], ['104', '缅甸'], ['764', '泰国'],
  ['458', '马来西亚'], ['702', '新加坡'], ['360', '印度尼西亚'], ['608', '菲律宾'], ['356', '印度'],
  ['586', '巴基斯坦'], ['398', '哈萨克斯坦'], ['036', '澳大利亚'], ['554', '新西兰'],
])

/** 身份证件类型, JY/T 1001. */
export const kIdType = table([
  ['1', '居民身份证'], ['2', '军官证'], ['3', '士兵证'], ['4', '文职干部证'], ['5', '部队离退休证'],
  ['6', '香港特区护照/身份证明'], ['7', '澳门特区护照/身份证明'], ['8', '台湾居民来往大陆通行证'],
  ['9', '境外永久居住证'], ['A', '护照'], ['B', '户口簿'], ['Z', '其他'],
])

/** 港澳台侨外, JY/T 1001. */
export const kOverseas = table([
  ['0', '否'], ['1', '香港同胞'], ['2', '香港同胞亲属'], ['3', '澳门同胞'], ['4', '澳门同胞亲属'], ['5', '台湾同胞'],
  ['6', '台湾同胞亲属'], ['11', '华侨'], ['12', '侨眷'], ['13', '归侨'], ['14', '归侨子女'], ['21', '归国留学人员'],
  ['31', '非华裔中国人'], ['41', '外籍华裔人'], ['42', '外国人'], ['99', '其他'],
])

export const kHukouType = table([['1', '农业'], ['2', '非农业']])

/** 残疾类型 (GB/T 26341 categories). */
export const kDisabilityType = table([
  ['1', '视力残疾'], ['2', '听力残疾'], ['3', '言语残疾'], ['4', '肢体残疾'], ['5', '智力残疾'], ['6', '精神残疾'], ['7', '多重残疾'],
])

export const kGuardianRelation = table([
  ['1', '父亲'], ['2', '母亲'], ['3', '祖父母/外祖父母'], ['4', '兄弟姐妹'], ['5', '其他亲属'], ['6', '其他'],
])

export const kYesNo = table([['0', '否'], ['1', '是']])

/** 学生类别. */
export const kStudentCategory = table([
  ['11100', '在园幼儿'], ['21100', '普通小学生'], ['31100', '普通初中学生'], ['31200', '职业初中学生'],
  ['32100', '普通高中学生'], ['36100', '中等职业学校学生'], ['41100', '普通本科学生'], ['41200', '普通专科学生'],
  ['51100', '视力残疾学生'], ['51200', '听力残疾学生'], ['51300', '智力残疾学生'], ['51400', '其他残疾学生'],
])

/** 学生当前状态. */
export const kStudentStatus = table([
  ['01', '在读'], ['02', '休学'], ['03', '退学'], ['04', '停学'], ['05', '复学'], ['06', '流失'], ['07', '毕业'],
  ['08', '结业'], ['09', '肄业'], ['10', '转学(出)'], ['11', '死亡'], ['12', '保留学籍'], ['99', '其他'],
])

export const kLeftBehind = table([['0', '非留守儿童'], ['1', '单亲留守'], ['2', '双亲留守']])

export const kEntryMethod = table([
  ['11', '就近入学'], ['12', '其他方式入学'], ['21', '统招'], ['22', '体育特招'], ['23', '艺术特招'], ['99', '其他'],
])

export const kBoarding = table([['1', '走读'], ['2', '住校']])

/** Stages (src/codes/stage.cpp): id, name and the grades on the national scale. */
export const kStages: { id: string; name: string; min: number; max: number }[] = [
  { id: 'preschool', name: '学前', min: -2, max: 0 },
  { id: 'primary', name: '小学', min: 1, max: 6 },
  { id: 'junior', name: '初中', min: 6, max: 9 },
  { id: 'senior', name: '高中', min: 10, max: 12 },
  { id: 'vocational', name: '中职', min: 10, max: 12 },
  { id: 'higher', name: '高校', min: 13, max: 17 },
]

/** 学校类别: the first two digits of a school identification code. */
export const kSchoolCategory = table([
  ['11', '幼儿园'], ['21', '小学'], ['22', '成人小学'], ['31', '普通初中'], ['32', '职业初中'], ['33', '成人初中'],
  ['34', '普通高中'], ['35', '成人高中'], ['36', '中等职业学校'], ['37', '工读学校'], ['41', '普通高等学校'],
  ['42', '成人高等学校'], ['51', '特殊教育学校'], ['91', '其他教育机构'], ['92', '其他培训机构'], ['93', '其他'],
])

/** 办学类型 (3-digit statistics codes). */
export const kSchoolType = table([
  ['111', '幼儿园'], ['119', '附设幼儿班'], ['211', '小学'], ['218', '小学教学点'], ['219', '附设小学班'],
  ['311', '初级中学'], ['312', '九年一贯制学校'], ['319', '附设普通初中班'], ['321', '职业初中'], ['341', '完全中学'],
  ['342', '高级中学'], ['345', '十二年一贯制学校'], ['349', '附设普通高中班'], ['361', '中等技术学校'],
  ['362', '中等师范学校'], ['364', '职业高中学校'], ['365', '技工学校'], ['411', '大学'], ['412', '学院'],
  ['413', '独立学院'], ['414', '高等专科学校'], ['415', '高等职业学校'], ['511', '盲人学校'], ['512', '聋人学校'],
  ['514', '培智学校'], ['515', '其他特教学校'],
])

/** 举办者. */
export const kSponsor = table([
  ['11', '教育部门'], ['12', '其他部门'], ['13', '地方企业'], ['14', '事业单位'], ['15', '部队'], ['16', '集体'], ['21', '民办'], ['99', '其他'],
])

/** NBS 城乡分类代码. */
export const kUrbanRural = table([
  ['111', '主城区'], ['112', '城乡结合区'], ['121', '镇中心区'], ['122', '镇乡结合区'], ['123', '特殊区域'], ['210', '乡中心区'], ['220', '村庄'],
])

/** "01 汉族" for a code of a table, the bare code when the table lacks it, "—" when empty. */
export function codeName(list: Code[], code: string | number | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—'
  const c = String(code)
  const found = list.find((e) => e.code === c)
  return found ? found.name : c
}

export function stageName(id: string | null | undefined): string {
  return kStages.find((s) => s.id === id)?.name ?? (id || '—')
}

// GB 11643: weights and check characters of the 18-digit citizen ID number.
const kWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const kCheck = '10X98765432'

/** A hint for an 18-digit citizen ID (the server checks it for real): null when it looks right. */
export function citizenIdHint(raw: string): { code: 'bad_length' | 'bad_characters' | 'bad_check_digit'; expected?: string } | null {
  const id = raw.trim().toUpperCase()
  if (!id) return null
  if (id.length !== 18) return { code: 'bad_length' }
  if (!/^[0-9]{17}[0-9X]$/.test(id)) return { code: 'bad_characters' }
  let sum = 0
  for (let i = 0; i < 17; ++i) sum += Number(id[i]) * (kWeights[i] ?? 0)
  const expected = kCheck[sum % 11] ?? ''
  return id[17] === expected ? null : { code: 'bad_check_digit', expected }
}
