// Code tables of the student registry: categories, status, changes and registry flags.
#include "codes/code_tables.hpp"

namespace nemis::codes {

// 学生类别. 21100, 31100, 32100 and 51100-51400 are from STANDARDS.md; the preschool,
// 职业初中, vocational and higher-education rows are placeholders of our own in the
// same NNN00 pattern, not taken from the standard.
const CodeTable& StudentCategoryCodes() {
  static constexpr CodeEntry kEntries[] = {
      {"11100", "在园幼儿"},     {"21100", "普通小学生"},   {"31100", "普通初中学生"},
      {"31200", "职业初中学生"}, {"32100", "普通高中学生"}, {"36100", "中等职业学校学生"},
      {"41100", "普通本科学生"}, {"41200", "普通专科学生"}, {"51100", "视力残疾学生"},
      {"51200", "听力残疾学生"}, {"51300", "智力残疾学生"}, {"51400", "其他残疾学生"},
  };
  static constexpr CodeTable kTable("studentCategory", "学生类别", kEntries);
  return kTable;
}

// 学生当前状态. Best knowledge of JY/T 1001's list, not checked against its text.
const CodeTable& StudentStatusCodes() {
  static constexpr CodeEntry kEntries[] = {
      {"01", "在读"}, {"02", "休学"},     {"03", "退学"}, {"04", "停学"}, {"05", "复学"},
      {"06", "流失"}, {"07", "毕业"},     {"08", "结业"}, {"09", "肄业"}, {"10", "转学(出)"},
      {"11", "死亡"}, {"12", "保留学籍"}, {"99", "其他"},
  };
  static constexpr CodeTable kTable("studentStatus", "学生当前状态", kEntries);
  return kTable;
}

// 学籍异动类别, JY/T 1001 XJYDLB (STANDARDS.md).
const CodeTable& StatusChangeCodes() {
  static constexpr CodeEntry kEntries[] = {
      {"01", "公派留学"}, {"02", "留级"},     {"03", "降级"},       {"04", "跳级"},
      {"11", "休学"},     {"12", "复学"},     {"13", "停学"},       {"17", "恢复学籍"},
      {"18", "取消学籍"}, {"19", "保留学籍"}, {"21", "转学(转出)"}, {"22", "转学(转入)"},
      {"29", "转班级"},   {"31", "退学"},     {"42", "开除学籍"},   {"51", "死亡"},
      {"61", "提前毕业"}, {"62", "结业"},     {"63", "肄业"},       {"99", "其他"},
  };
  static constexpr CodeTable kTable("statusChange", "学籍异动类别", kEntries);
  return kTable;
}

const CodeTable& LeftBehindCodes() {
  static constexpr CodeEntry kEntries[] = {
      {"0", "非留守儿童"}, {"1", "单亲留守"}, {"2", "双亲留守"}};
  static constexpr CodeTable kTable("leftBehind", "留守儿童", kEntries);
  return kTable;
}

// 入学方式: 1x for compulsory education, 2x for senior secondary. Both 12 and 99 are
// "其他" in the source; 12 is named apart here so that names stay unique.
const CodeTable& EntryMethodCodes() {
  static constexpr CodeEntry kEntries[] = {
      {"11", "就近入学"}, {"12", "其他方式入学"}, {"21", "统招"},
      {"22", "体育特招"}, {"23", "艺术特招"},     {"99", "其他"},
  };
  static constexpr CodeTable kTable("entryMethod", "入学方式", kEntries);
  return kTable;
}

const CodeTable& BoardingCodes() {
  static constexpr CodeEntry kEntries[] = {{"1", "走读"}, {"2", "住校"}};
  static constexpr CodeTable kTable("boarding", "就读方式", kEntries);
  return kTable;
}

}  // namespace nemis::codes
