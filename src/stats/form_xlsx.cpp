#include "stats/form_xlsx.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace nemis::stats {
namespace {

// A temporary file's path, removed when this goes.
class TempPath {
 public:
  explicit TempPath(const std::string& dir) {
    std::string pattern = dir + "/nemis-form-XXXXXX";
    const int fd = mkstemp(pattern.data());
    if (fd >= 0) {
      close(fd);
      path_ = pattern;
    }
  }
  ~TempPath() {
    if (!path_.empty()) std::remove(path_.c_str());
  }
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void WriteGrid(lxw_worksheet* sheet, const FormTable& t, lxw_format* bold) {
  const FormDefinition& f = *t.form;
  const std::string title = f.id + " " + f.title;
  worksheet_write_string(sheet, 0, 0, title.c_str(), bold);
  const std::string about = "机构：" + t.org_code + "　统计时点：" + t.as_of.ToIso() +
                            "　统计时期：" + t.period_from.ToIso() + " 至 " + t.period_to.ToIso() +
                            "　单位：" + f.unit;
  worksheet_write_string(sheet, 1, 0, about.c_str(), nullptr);
  worksheet_write_string(sheet, 2, 0, "甲", bold);
  worksheet_write_string(sheet, 2, 1, "乙", bold);
  worksheet_write_string(sheet, 3, 0, "指标名称", bold);
  worksheet_write_string(sheet, 3, 1, "代码", bold);
  for (size_t c = 0; c < f.columns.size(); ++c) {
    const auto col = static_cast<lxw_col_t>(c + 2);
    worksheet_write_string(sheet, 2, col, f.columns[c].code.c_str(), bold);
    worksheet_write_string(sheet, 3, col, f.columns[c].name.c_str(), bold);
  }
  for (size_t r = 0; r < f.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 4);
    worksheet_write_string(sheet, row, 0, f.rows[r].name.c_str(), nullptr);
    worksheet_write_string(sheet, row, 1, f.rows[r].code.c_str(), nullptr);
    for (size_t c = 0; c < f.columns.size(); ++c) {
      const FormCell& cell = t.cells[r][c];
      const auto col = static_cast<lxw_col_t>(c + 2);
      if (cell.not_applicable)
        worksheet_write_string(sheet, row, col, "-", nullptr);
      else if (cell.value)
        worksheet_write_number(sheet, row, col, static_cast<double>(*cell.value), nullptr);
    }
  }
  worksheet_set_column(sheet, 0, 0, 24, nullptr);
}

void WriteChecks(lxw_worksheet* sheet, const FormTable& t, lxw_format* bold) {
  worksheet_write_string(sheet, 0, 0, "校验规则", bold);
  worksheet_write_string(sheet, 0, 1, "结果", bold);
  worksheet_write_string(sheet, 0, 2, "未通过", bold);
  worksheet_write_string(sheet, 0, 3, "类别", bold);
  worksheet_write_string(sheet, 0, 4, "说明", bold);
  lxw_row_t row = 1;
  for (const auto& outcome : t.checks) {
    worksheet_write_string(sheet, row, 0, outcome.check->rule.c_str(), nullptr);
    worksheet_write_string(sheet, row, 1, outcome.failures.empty() ? "通过" : "未通过", nullptr);
    std::string failures;
    for (const auto& f : outcome.failures) failures += (failures.empty() ? "" : "；") + f;
    worksheet_write_string(sheet, row, 2, failures.c_str(), nullptr);
    worksheet_write_string(sheet, row, 3, outcome.check->warning ? "经验校验" : "逻辑校验",
                           nullptr);
    worksheet_write_string(sheet, row, 4, outcome.check->message.c_str(), nullptr);
    ++row;
  }
  worksheet_set_column(sheet, 0, 0, 40, nullptr);
}

}  // namespace

Result<std::string> FormXlsx(const FormTable& t, const std::string& tmp_dir) {
  TempPath file(tmp_dir);
  if (file.path().empty()) return Error::Internal("无法创建临时文件（" + tmp_dir + "）");
  lxw_workbook_options options = {};
  options.tmpdir = const_cast<char*>(tmp_dir.c_str());  // the C API takes char*; not written
  lxw_workbook* book = workbook_new_opt(file.path().c_str(), &options);
  if (book == nullptr) return Error::Internal("无法创建 xlsx 文件");
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  WriteGrid(workbook_add_worksheet(book, t.form->id.c_str()), t, bold);
  WriteChecks(workbook_add_worksheet(book, "校验"), t, bold);
  if (const lxw_error e = workbook_close(book); e != LXW_NO_ERROR)
    return Error::Internal(std::string("xlsx 文件写入失败：") + lxw_strerror(e));
  std::ifstream in(file.path(), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return Error::Internal("无法读回 xlsx 文件");
  return bytes.str();
}

}  // namespace nemis::stats
