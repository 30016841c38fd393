#include "exchange/bundle.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "exchange/batch_envelope.hpp"
#include "exchange/change_applier.hpp"
#include "exchange/change_reader.hpp"

namespace nemis::exchange {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Error BadBundle(int64_t line, const std::string& what) {
  return Error::BadRequest("bad_bundle", "交换包第 " + std::to_string(line) + " 行：" + what);
}

Error AtLine(int64_t line, Error e) {
  e.message = "交换包第 " + std::to_string(line) + " 行：" + e.message;
  return e;
}

Error OutOfOrder(int64_t line, const std::string& what) {
  return Error::Conflict("bundle_out_of_order",
                         "交换包第 " + std::to_string(line) + " 行：" + what);
}

struct BundleHeader {
  BatchHeader range;  // source, receiver, after, last (count: the number of batches)
  std::string certificate;
};

Result<BundleHeader> ParseHeader(const std::string& line) {
  json j = json::parse(line, nullptr, false);
  if (!j.is_object() || j.value("format", "") != kBundleFormat) {
    return BadBundle(1, "不是 " + std::string(kBundleFormat) + " 格式的交换包");
  }
  try {
    return BundleHeader{
        {j.at("source").get<std::string>(), j.at("receiver").get<std::string>(),
         j.at("after").get<int64_t>(), j.at("last").get<int64_t>(), j.at("batches").get<int64_t>(),
         /*after_mark=*/"", /*last_mark=*/""},
        j.at("certificate").get<std::string>()};
  } catch (const json::exception&) {
    return BadBundle(1, "包头缺少或错误的字段");
  }
}

// Every batch opened and checked against the header and its neighbours: nothing applied.
Status Verify(std::ifstream& in, const BundleHeader& header, const NodeIdentity& self,
              const crypto::Sm2PublicKey& source_key, int64_t checkpoint) {
  if (header.range.after > checkpoint) {
    return OutOfOrder(1, "本节点已应用 " + header.range.source + " 的变更到 " +
                             std::to_string(checkpoint) + "，交换包从 " +
                             std::to_string(header.range.after) + " 之后开始，中间缺少变更");
  }
  int64_t expected = header.range.after, batches = 0, line_no = 1;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.empty()) continue;
    auto opened = OpenBatch(line, self.code, source_key, self.key);
    if (!opened.ok()) return AtLine(line_no, std::move(opened).error());
    const BatchHeader& h = opened->header;
    if (h.source != header.range.source) return BadBundle(line_no, "批次的发送节点与包头不一致");
    if (h.after != expected) {
      return OutOfOrder(line_no, "批次从 " + std::to_string(h.after) + " 之后开始，应从 " +
                                     std::to_string(expected) + " 之后开始（缺少或重复）");
    }
    expected = h.last;
    ++batches;
  }
  if (batches != header.range.count || expected != header.range.last) {
    return BadBundle(line_no, "交换包不完整：包头写明 " + std::to_string(header.range.count) +
                                  " 个批次至 " + std::to_string(header.range.last) + "，实有 " +
                                  std::to_string(batches) + " 个至 " + std::to_string(expected));
  }
  return {};
}

Result<int64_t> CheckpointOf(db::Database& db, const std::string& source) {
  return db.Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto checkpoint, LoadCheckpoint(c, source));
    return checkpoint ? checkpoint->last_seq : 0;
  });
}

Status Apply(std::ifstream& in, db::Database& db, const crypto::FieldCipher& cipher,
             const NodeIdentity& self, const crypto::Sm2PublicKey& source_key, const Clock& clock,
             BundleSummary& summary) {
  int64_t line_no = 1;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.empty()) continue;
    auto opened = OpenBatch(line, self.code, source_key, self.key);
    if (!opened.ok()) return AtLine(line_no, std::move(opened).error());
    auto report = ApplyBatch(db, cipher, *opened, clock);
    if (!report.ok()) return AtLine(line_no, std::move(report).error());
    ++summary.batches;
    summary.repeated += report->repeated ? 1 : 0;
    summary.records += report->records;
    summary.conflicts += report->conflicts;
  }
  return {};
}

}  // namespace

Result<BundleSummary> ExportBundle(db::Database& db, const crypto::FieldCipher& cipher,
                                   const NodeIdentity& self, const crypto::Sm2Certificate& receiver,
                                   int64_t after, const fs::path& to, int64_t batch_changes,
                                   PayloadEncoding encoding, const Clock& clock) {
  NEMIS_TRY(receiver.CheckIssuedBy(self.ca, clock.UnixSeconds()));
  const std::string receiver_code = receiver.Subject().common_name;
  std::string body;
  BundleSummary summary{after, after, 0, 0, 0, 0};
  for (;;) {
    NEMIS_ASSIGN_OR_RETURN(ChangeBatch batch, ReadChanges(db, cipher, summary.last, batch_changes));
    if (batch.last == summary.last) break;
    body += SealBatch(HeaderFor(batch, self.code, receiver_code), batch.payload, self.key,
                      receiver.PublicKey(), encoding);
    body += '\n';
    summary.last = batch.last;
    summary.records += batch.count;
    ++summary.batches;
  }
  json header = {{"format", kBundleFormat},
                 {"source", self.code},
                 {"receiver", receiver_code},
                 {"after", summary.after},
                 {"last", summary.last},
                 {"batches", summary.batches},
                 {"certificate", self.certificate.ToPem()}};
  // Written whole under another name, then renamed: a reader never sees half a bundle.
  const fs::path tmp = to.string() + ".tmp-" + crypto::ToHex(crypto::RandomBytes(6));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << header.dump() << '\n' << body;
    out.flush();
    if (!out) return Error::Internal("无法写入交换包 " + tmp.string());
  }
  // A link, not a rename: an existing bundle of that name is never replaced.
  std::error_code ec;
  fs::create_hard_link(tmp, to, ec);
  std::error_code ignored;
  fs::remove(tmp, ignored);
  if (ec == std::errc::file_exists) {
    return Error::Conflict("bundle_exists", "交换包 " + to.string() + " 已存在，不会覆盖");
  }
  if (ec) return Error::Internal("无法写入交换包 " + to.string() + "：" + ec.message());
  return summary;
}

Result<BundleSummary> ImportBundle(db::Database& db, const crypto::FieldCipher& cipher,
                                   const NodeIdentity& self, const fs::path& file,
                                   const Clock& clock) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error::BadRequest("bad_bundle", "无法打开交换包 " + file.string());
  std::string first;
  std::getline(in, first);
  NEMIS_ASSIGN_OR_RETURN(BundleHeader header, ParseHeader(first));
  if (header.range.receiver != self.code) {
    return Error::Refused("batch_wrong_receiver",
                          "该交换包是发给节点 " + header.range.receiver + " 的，不是本节点");
  }
  auto certificate = crypto::Sm2Certificate::FromPem(header.certificate);
  if (!certificate.ok()) return AtLine(1, std::move(certificate).error());
  if (Status trusted = db.WithReader([&](db::Connection& c) {
        return TrustNode(c, self, *certificate, header.range.source, clock.UnixSeconds());
      });
      !trusted.ok()) {
    return AtLine(1, std::move(trusted).error());
  }
  const crypto::Sm2PublicKey source_key = certificate->PublicKey();
  NEMIS_ASSIGN_OR_RETURN(int64_t checkpoint, CheckpointOf(db, header.range.source));
  const std::streampos batches_start = in.tellg();
  NEMIS_TRY(Verify(in, header, self, source_key, checkpoint));
  in.clear();
  in.seekg(batches_start);
  BundleSummary summary{header.range.after, header.range.last, 0, 0, 0, 0};
  NEMIS_TRY(Apply(in, db, cipher, self, source_key, clock, summary));
  return summary;
}

}  // namespace nemis::exchange
