// Code tables for schools: category, type, sponsor, urban-rural class.
#include "codes/code_tables.hpp"

namespace nemis::codes {

// 学校类别: the first two digits of the 10-digit school identification code.
const CodeTable& SchoolCategoryCodes() {
  static constexpr CodeEntry kEntries[] = {
      {"11", "幼儿园"},       {"21", "小学"},         {"22", "成人小学"},
      {"31", "普通初中"},     {"32", "职业初中"},     {"33", "成人初中"},
      {"34", "普通高中"},     {"35", "成人高中"},     {"36", "中等职业学校"},
      {"37", "工读学校"},     {"41", "普通高等学校"}, {"42", "成人高等学校"},
      {"51", "特殊教育学校"}, {"91", "其他教育机构"}, {"92", "其他培训机构"},
      {"93", "其他"},
  };
  static constexpr CodeTable kTable("schoolCategory", "学校类别", kEntries);
  return kTable;
}

// 办学类型: the 3-digit codes of the education statistics forms (教育统计). From memory:
// the codes and names are believed right but not checked against the current
// statistics manual. 119/219/319/349 are classes attached to a school of another type.
const CodeTable& SchoolTypeCodes() {
  static constexpr CodeEntry kEntries[] = {
      {"111", "幼儿园"},         {"119", "附设幼儿班"},     {"211", "小学"},
      {"218", "小学教学点"},     {"219", "附设小学班"},     {"311", "初级中学"},
      {"312", "九年一贯制学校"}, {"319", "附设普通初中班"}, {"321", "职业初中"},
      {"341", "完全中学"},       {"342", "高级中学"},       {"345", "十二年一贯制学校"},
      {"349", "附设普通高中班"}, {"361", "中等技术学校"},   {"362", "中等师范学校"},
      {"364", "职业高中学校"},   {"365", "技工学校"},       {"411", "大学"},
      {"412", "学院"},           {"413", "独立学院"},       {"414", "高等专科学校"},
      {"415", "高等职业学校"},   {"511", "盲人学校"},       {"512", "聋人学校"},
      {"514", "培智学校"},       {"515", "其他特教学校"},
  };
  static constexpr CodeTable kTable("schoolType", "办学类型", kEntries);
  return kTable;
}

// 举办者: codes of our own choosing (the statistics manual's finer list was not at
// hand). 1x are public sponsors (公办), 2x private (民办).
const CodeTable& SponsorCodes() {
  static constexpr CodeEntry kEntries[] = {
      {"11", "教育部门"}, {"12", "其他部门"}, {"13", "地方企业"}, {"14", "事业单位"},
      {"15", "部队"},     {"16", "集体"},     {"21", "民办"},     {"99", "其他"},
  };
  static constexpr CodeTable kTable("sponsor", "举办者", kEntries);
  return kTable;
}

// NBS 统计用区划和城乡划分代码: the urban-rural class of a place.
const CodeTable& UrbanRuralCodes() {
  static constexpr CodeEntry kEntries[] = {
      {"111", "主城区"},   {"112", "城乡结合区"}, {"121", "镇中心区"}, {"122", "镇乡结合区"},
      {"123", "特殊区域"}, {"210", "乡中心区"},   {"220", "村庄"},
  };
  static constexpr CodeTable kTable("urbanRural", "城乡分类", kEntries);
  return kTable;
}

}  // namespace nemis::codes
