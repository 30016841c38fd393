#!/usr/bin/env python3
"""Regenerates the import corpus (README.md says what each file is). Run from this folder.
gb18030.csv is made by iconv(1), as the brief for the corpus asks; the rest by Python."""
import subprocess

HEADER = "学籍号,姓名,性别,出生日期,民族,学校标识码,年级,班号,入学年月"
ROWS = [
    "G110101201501010011,王小明,1,2015-01-01,01,1101010001,3,2,2021-09",
    ",阿卜杜拉·买买提,男,2014-03-05,维吾尔族,1101010001,4,1,2020-09",
    "G110101201503050022,李𠮷,2,2015-03-05,01,1101010001,3,2,2021-09",
]
TEXT = "\n".join([HEADER] + ROWS) + "\n"


def write(name, data):
    with open(name, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


write("utf8.csv", TEXT)
write("utf8_bom.csv", b"\xef\xbb\xbf" + TEXT.encode())
write("gb18030.csv", subprocess.run(["iconv", "-f", "UTF-8", "-t", "GB18030"],
                                    input=TEXT.encode(), capture_output=True, check=True).stdout)
write("utf16le_bom.csv", b"\xff\xfe" + TEXT.replace("\n", "\r\n").encode("utf-16-le"))
write("crlf.csv", TEXT.replace("\n", "\r\n"))
write("no_trailing_newline.csv", TEXT.rstrip("\n"))
write("empty.csv", b"")
write("header_only.csv", HEADER + "\n")
write("tab_separated.tsv", TEXT.replace(",", "\t"))
write("ragged.csv", "姓名,性别,出生日期,民族\n"
                    "王小明,1,2015-01-01,01\n"
                    "张三,1,2015-02-02\n"
                    "李四,2,2015-03-03,01,多余\n"
                    "赵六\n")
write("quoted_commas_newlines.csv",
      '姓名,家庭住址,备注\r\n'
      '王小明,"北京市东城区,景山街道1号","说""你好"""\r\n'
      '李四,"第一行\r\n第二行\n第三行",""\r\n'
      '"赵,六","",末尾\r\n')
write("unterminated_quote.csv", "姓名,家庭住址\n"
                                "王小明,北京市\n"
                                '李四,"北京市东城区\n'
                                "赵六,上海市\n")
# Valid UTF-8 (Chinese and ASCII) for more than 100 KiB, then one 0xFF byte.
row = "G110101201501010011,王小明,1,2015-01-01,01,1101010001,3,2,2021-09\n"
body = HEADER + "\n"
while len(body.encode()) < 100 * 1024:
    body += row
write("invalid_utf8_middle.csv", body.encode() + b"G1,\xff,1\n" + row.encode())
write("duplicate_header.csv", "学籍号,姓名,性别,name,出生日期,民族,学校标识码,年级,班号,入学年月,"
                              "监护人1姓名,监护人1关系\n"
                              "G1,王小明,1,王小明,2015-01-01,01,1101010001,3,2,2021-09,王大山,父亲\n")
write("missing_required_columns.csv", "学籍号,姓名,民族,学校标识码,年级,班号,入学年月,监护人1姓名,监护人1关系\n"
                                      "G1,王小明,01,1101010001,3,2,2021-09,王大山,父亲\n")
write("english_headers.csv", "\ufeffStudentNumber, NAME ,gender,BirthDate,ethnicity,schoolCode,"
                             "grade,classNo,entryDate,remarks,guardian1Name,Guardian1Relation\n"
                             "G1,Wang Xiaoming,1,2015-01-01,01,1101010001,3,2,2021-09,,Wang Dashan,父亲\n")
