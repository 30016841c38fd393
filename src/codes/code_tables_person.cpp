// Code tables for people: gender, ethnicity, documents, nationality, family.
#include "codes/code_tables.hpp"

namespace nemis::codes {

// GB/T 2261.1-2003.
const CodeTable& GenderCodes() {
  static constexpr CodeEntry kEntries[] = {
      {"0", "未知"}, {"1", "男"}, {"2", "女"}, {"9", "未说明"}};
  static constexpr CodeTable kTable("gender", "性别", kEntries);
  return kTable;
}

// GB/T 3304-1991, the 56 recognised groups. 97 其他 and 98 外国血统中国籍人士 come from
// secondary sources (STANDARDS.md marks them unverified; not yet confirmed against the
// standard's text).
const CodeTable& EthnicityCodes() {
  static constexpr CodeEntry kEntries[] = {
      {"01", "汉族"},       {"02", "蒙古族"},
      {"03", "回族"},       {"04", "藏族"},
      {"05", "维吾尔族"},   {"06", "苗族"},
      {"07", "彝族"},       {"08", "壮族"},
      {"09", "布依族"},     {"10", "朝鲜族"},
      {"11", "满族"},       {"12", "侗族"},
      {"13", "瑶族"},       {"14", "白族"},
      {"15", "土家族"},     {"16", "哈尼族"},
      {"17", "哈萨克族"},   {"18", "傣族"},
      {"19", "黎族"},       {"20", "傈僳族"},
      {"21", "佤族"},       {"22", "畲族"},
      {"23", "高山族"},     {"24", "拉祜族"},
      {"25", "水族"},       {"26", "东乡族"},
      {"27", "纳西族"},     {"28", "景颇族"},
      {"29", "柯尔克孜族"}, {"30", "土族"},
      {"31", "达斡尔族"},   {"32", "仫佬族"},
      {"33", "羌族"},       {"34", "布朗族"},
      {"35", "撒拉族"},     {"36", "毛南族"},
      {"37", "仡佬族"},     {"38", "锡伯族"},
      {"39", "阿昌族"},     {"40", "普米族"},
      {"41", "塔吉克族"},   {"42", "怒族"},
      {"43", "乌孜别克族"}, {"44", "俄罗斯族"},
      {"45", "鄂温克族"},   {"46", "德昂族"},
      {"47", "保安族"},     {"48", "裕固族"},
      {"49", "京族"},       {"50", "塔塔尔族"},
      {"51", "独龙族"},     {"52", "鄂伦春族"},
      {"53", "赫哲族"},     {"54", "门巴族"},
      {"55", "珞巴族"},     {"56", "基诺族"},
      {"97", "其他"},       {"98", "外国血统中国籍人士"},
  };
  static constexpr CodeTable kTable("ethnicity", "民族", kEntries);
  return kTable;
}

// 身份证件类型码, JY/T 1001 (as given in the project brief).
const CodeTable& IdTypeCodes() {
  static constexpr CodeEntry kEntries[] = {
      {"1", "居民身份证"},
      {"2", "军官证"},
      {"3", "士兵证"},
      {"4", "文职干部证"},
      {"5", "部队离退休证"},
      {"6", "香港特区护照/身份证明"},
      {"7", "澳门特区护照/身份证明"},
      {"8", "台湾居民来往大陆通行证"},
      {"9", "境外永久居住证"},
      {"A", "护照"},
      {"B", "户口簿"},
      {"Z", "其他"},
  };
  static constexpr CodeTable kTable("idType", "身份证件类型", kEntries);
  return kTable;
}

// 港澳台侨外码, JY/T 1001. From memory: not checked against the standard's text.
const CodeTable& OverseasCodes() {
  static constexpr CodeEntry kEntries[] = {
      {"0", "否"},
      {"1", "香港同胞"},
      {"2", "香港同胞亲属"},
      {"3", "澳门同胞"},
      {"4", "澳门同胞亲属"},
      {"5", "台湾同胞"},
      {"6", "台湾同胞亲属"},
      {"11", "华侨"},
      {"12", "侨眷"},
      {"13", "归侨"},
      {"14", "归侨子女"},
      {"21", "归国留学人员"},
      {"31", "非华裔中国人"},
      {"41", "外籍华裔人"},
      {"42", "外国人"},
      {"99", "其他"},
  };
  static constexpr CodeTable kTable("overseas", "港澳台侨外", kEntries);
  return kTable;
}

// GB/T 2659 numeric codes (= ISO 3166-1 numeric): the Chinese regions and the countries
// most students and staff come from. A subset; extend as needed.
const CodeTable& NationalityCodes() {
  static constexpr CodeEntry kEntries[] = {
      {"156", "中国"},       {"344", "中国香港"}, {"446", "中国澳门"}, {"158", "中国台湾"},
      {"840", "美国"},       {"124", "加拿大"},   {"826", "英国"},     {"250", "法国"},
      {"276", "德国"},       {"643", "俄罗斯"},   {"392", "日本"},     {"410", "韩国"},
      {"408", "朝鲜"},       {"496", "蒙古"},     {"704", "越南"},     {"418", "老挝"},
      {"104", "缅甸"},       {"764", "泰国"},     {"458", "马来西亚"}, {"702", "新加坡"},
      {"360", "印度尼西亚"}, {"608", "菲律宾"},   {"356", "印度"},     {"586", "巴基斯坦"},
      {"398", "哈萨克斯坦"}, {"036", "澳大利亚"}, {"554", "新西兰"},
  };
  static constexpr CodeTable kTable("nationality", "国籍/地区", kEntries);
  return kTable;
}

// 户口性质. The 2014 household-registration reform merged both into 居民户口, but the
// registry still records the distinction.
const CodeTable& HukouTypeCodes() {
  static constexpr CodeEntry kEntries[] = {{"1", "农业"}, {"2", "非农业"}};
  static constexpr CodeTable kTable("hukouType", "户口性质", kEntries);
  return kTable;
}

// 残疾类型 (GB/T 26341 categories).
const CodeTable& DisabilityTypeCodes() {
  static constexpr CodeEntry kEntries[] = {
      {"1", "视力残疾"}, {"2", "听力残疾"}, {"3", "言语残疾"}, {"4", "肢体残疾"},
      {"5", "智力残疾"}, {"6", "精神残疾"}, {"7", "多重残疾"},
  };
  static constexpr CodeTable kTable("disabilityType", "残疾类型", kEntries);
  return kTable;
}

// 监护人关系: a simplified list of our own (JY/T 1001's 家庭关系码 is finer-grained).
const CodeTable& GuardianRelationCodes() {
  static constexpr CodeEntry kEntries[] = {
      {"1", "父亲"},     {"2", "母亲"},     {"3", "祖父母/外祖父母"},
      {"4", "兄弟姐妹"}, {"5", "其他亲属"}, {"6", "其他"},
  };
  static constexpr CodeTable kTable("guardianRelation", "监护人关系", kEntries);
  return kTable;
}

const CodeTable& YesNoCodes() {
  static constexpr CodeEntry kEntries[] = {{"0", "否"}, {"1", "是"}};
  static constexpr CodeTable kTable("yesNo", "是否", kEntries);
  return kTable;
}

}  // namespace nemis::codes
