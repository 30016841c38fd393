// Offline bundles on both stores: a province's changes exported as a header and signed
// batches, one per line, and imported on the national node under its checkpoint; imported
// once however often it comes, continued by the next bundle, refused when it starts after
// the checkpoint; a bundle changed on the way (a batch's payload, the order or number of its
// lines, its header) or from an untrusted or revoked node refused before anything applies.
#include "exchange/bundle.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "exchange/exchange_testing.hpp"

namespace nemis::exchange {
namespace {

namespace fs = std::filesystem;
using nemis::testing::IsErrorCode;
using nlohmann::json;
using registry::StudentViewer;

// The identities are valid from the test's start (exchange_testing.hpp): import at that time.
const int64_t kNow = testing::UnixNow();
using testing::kSchool1;
using testing::kSchool2;

std::vector<std::string> ReadLines(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class BundleTest : public testing::TwoNodeTest {
 protected:
  void Register(int seq) {
    registry::case_testing::Draft d;
    registry::case_testing::SetPupil(d, seq, seq % 2 ? kSchool1 : kSchool2, 3, 2017, "2023-09");
    EXPECT_OK(province_students_->Register(StudentViewer::Node(), d.input, {}));
  }

  Result<BundleSummary> Export(int64_t after, const std::string& name,
                               PayloadEncoding encoding = PayloadEncoding::kPlain) {
    return ExportBundle(db(), province_cipher_, *province_id_, national_id_->certificate, after,
                        dir_.File(name), 2, encoding, clock_);
  }

  Result<BundleSummary> Import(const std::string& name) {
    return ImportBundle(*national_, national_cipher_, *national_id_, dir_.File(name), clock_);
  }

  int64_t Count(const std::string& sql) { return TwoNodeTest::Count(*national_, sql); }
  int64_t Students() { return Count("SELECT COUNT(*) FROM student"); }
  int64_t Checkpoints() {
    return Count("SELECT COUNT(*) FROM exchange_checkpoint WHERE source = '440000'");
  }

  // whole.bundle with its lines changed by `edit`, as `tampered`.
  void Tamper(const std::string& tampered,
              const std::function<void(std::vector<std::string>&)>& edit) {
    auto lines = ReadLines(dir_.File("whole.bundle"));
    edit(lines);
    std::ofstream out(dir_.File(tampered), std::ios::binary | std::ios::trunc);
    for (const std::string& line : lines) out << line << '\n';
  }

  // Importing `name` is refused with `code`, leaving no checkpoint of the province: the
  // refusal's message.
  std::string ExpectRefused(const std::string& name, const std::string& code) {
    auto imported = Import(name);
    EXPECT_THAT(imported, IsErrorCode(code)) << name;
    EXPECT_EQ(Checkpoints(), 0) << name;
    return imported.ok() ? "" : imported.error().message;
  }

  FixedClock clock_{std::chrono::system_clock::time_point(std::chrono::seconds(kNow))};
};

TEST_P(BundleTest, ABundleCarriesTheChangesOnceHoweverOftenItIsImported) {
  for (int i = 1; i <= 5; ++i) Register(i);
  auto exported = Export(0, "first.bundle");
  ASSERT_OK(exported);
  EXPECT_GE(exported->batches, 3);
  EXPECT_EQ(exported->after, 0);
  ASSERT_TRUE(fs::exists(dir_.File("first.bundle")));
  auto lines = ReadLines(dir_.File("first.bundle"));
  ASSERT_EQ(static_cast<int64_t>(lines.size()), exported->batches + 1);
  json header = json::parse(lines.front());
  EXPECT_EQ(header.at("format").get<std::string>(), "nemis.exchange.bundle.v1");
  EXPECT_EQ(header.at("source").get<std::string>(), "440000");
  EXPECT_EQ(header.at("receiver").get<std::string>(), "000000");
  EXPECT_EQ(header.at("batches").get<int64_t>(), exported->batches);
  EXPECT_EQ(header.at("last").get<int64_t>(), exported->last);

  auto imported = Import("first.bundle");
  ASSERT_OK(imported);
  EXPECT_EQ(imported->batches, exported->batches);
  EXPECT_EQ(imported->records, exported->records);
  EXPECT_EQ(imported->repeated, 0);
  EXPECT_EQ(imported->conflicts, 0);
  EXPECT_EQ(Students(), 5);
  EXPECT_EQ(Checkpoint(), exported->last);

  auto again = Import("first.bundle");
  ASSERT_OK(again);
  EXPECT_EQ(again->repeated, exported->batches);
  EXPECT_EQ(again->records, 0);
  EXPECT_EQ(Students(), 5);
  EXPECT_EQ(Checkpoint(), exported->last);
}

// Compressed batches (envelope v2) for a receiver that reads them: the same changes, applied
// the same way.
TEST_P(BundleTest, ACompressedBundleCarriesTheSameChanges) {
  for (int i = 1; i <= 5; ++i) Register(i);
  auto plain = Export(0, "plain.bundle");
  auto compressed = Export(0, "compressed.bundle", PayloadEncoding::kZstd);
  ASSERT_OK(plain);
  ASSERT_OK(compressed);
  EXPECT_EQ(compressed->batches, plain->batches);
  EXPECT_EQ(compressed->last, plain->last);
  const auto lines = ReadLines(dir_.File("compressed.bundle"));
  ASSERT_EQ(static_cast<int64_t>(lines.size()), compressed->batches + 1);
  EXPECT_EQ(json::parse(lines[1]).at("format").get<std::string>(), "nemis.exchange.batch.v2");

  auto imported = Import("compressed.bundle");
  ASSERT_OK(imported);
  EXPECT_EQ(imported->records, plain->records);
  EXPECT_EQ(Students(), 5);
  EXPECT_EQ(Checkpoint(), plain->last);
  auto again = Import("plain.bundle");  // the same range, the other format: applied already
  ASSERT_OK(again);
  EXPECT_EQ(again->repeated, plain->batches);
  EXPECT_EQ(again->records, 0);
}

TEST_P(BundleTest, TheNextBundleContinuesAndOneStartingAfterTheCheckpointIsRefused) {
  for (int i = 1; i <= 5; ++i) Register(i);
  auto first = Export(0, "first.bundle");
  ASSERT_OK(first);
  ASSERT_OK(Import("first.bundle"));
  Register(6);
  Register(7);
  auto next = Export(first->last, "next.bundle");
  ASSERT_OK(next);
  EXPECT_EQ(next->after, first->last);
  EXPECT_GT(next->last, first->last);
  // A bundle from beyond the checkpoint leaves a gap.
  ASSERT_OK(Export(first->last + 1, "gap.bundle"));
  auto gap = Import("gap.bundle");
  EXPECT_THAT(gap, IsErrorCode("bundle_out_of_order"));
  EXPECT_EQ(Checkpoint(), first->last);
  EXPECT_EQ(Count("SELECT batches FROM exchange_checkpoint"), first->batches);
  EXPECT_EQ(Students(), 5);

  auto imported = Import("next.bundle");
  ASSERT_OK(imported);
  EXPECT_EQ(imported->records, next->records);
  EXPECT_EQ(Students(), 7);
  EXPECT_EQ(Checkpoint(), next->last);
}

TEST_P(BundleTest, ABundleChangedOnTheWayIsRefusedApplyingNothing) {
  for (int i = 1; i <= 5; ++i) Register(i);
  auto whole = Export(0, "whole.bundle");
  ASSERT_OK(whole);
  ASSERT_GE(whole->batches, 3);

  Tamper("payload.bundle", [](auto& lines) {
    json batch = json::parse(lines.at(2));
    std::string payload = batch.at("payload").get<std::string>();
    char& c = payload.at(payload.size() / 2);
    c = c == 'A' ? 'B' : 'A';
    batch["payload"] = payload;
    lines.at(2) = batch.dump();
  });
  const std::string message = ExpectRefused("payload.bundle", "batch_signature_invalid");
  EXPECT_NE(message.find("第 3 行"), std::string::npos) << message;
  Tamper("swapped.bundle", [](auto& lines) { std::swap(lines.at(1), lines.at(2)); });
  ExpectRefused("swapped.bundle", "bundle_out_of_order");
  Tamper("cut.bundle", [](auto& lines) { lines.pop_back(); });
  ExpectRefused("cut.bundle", "bad_bundle");

  auto header = [&](const std::string& name, const std::string& key, const std::string& value) {
    Tamper(name, [&](auto& lines) {
      json h = json::parse(lines.at(0));
      h[key] = value;
      lines.at(0) = h.dump();
    });
  };
  header("receiver.bundle", "receiver", "110000");
  ExpectRefused("receiver.bundle", "batch_wrong_receiver");
  header("format.bundle", "format", "nemis.exchange.bundle.v0");
  ExpectRefused("format.bundle", "bad_bundle");
  crypto::Sm2PrivateKey own = crypto::Sm2PrivateKey::Generate();
  header("self-signed.bundle", "certificate",
         crypto::Sm2Certificate::SelfSignCa(own, {"440000", "provincial"}, {kNow - 60, kNow + 3600})
             .ToPem());
  ExpectRefused("self-signed.bundle", "certificate_untrusted");

  EXPECT_EQ(Students(), 0);
  // The bundle as it was written still imports.
  ASSERT_OK(Import("whole.bundle"));
  EXPECT_EQ(Students(), 5);
}

TEST_P(BundleTest, ABundleFromARevokedNodeIsRefused) {
  Register(1);
  ASSERT_OK(Export(0, "first.bundle"));
  ASSERT_OK(RevokeNode(*national_, "440000", kNow));
  ExpectRefused("first.bundle", "node_revoked");
  EXPECT_EQ(Students(), 0);
}

NEMIS_STORE_TEST_SUITE(BundleTest);

}  // namespace
}  // namespace nemis::exchange
