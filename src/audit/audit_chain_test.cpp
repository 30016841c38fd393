// The canonical serialisation and the chain hash: exact bytes, and no two entries alike.
#include "audit/audit_chain.hpp"

#include <gtest/gtest.h>

#include "crypto/digest.hpp"

namespace nemis::audit {
namespace {

using namespace std::string_literals;

AuditEntry Sample() {
  return {"2026-11-21T23:16:16.123Z",
          "zhang.san",
          "r",
          "440106",
          "10.0.0.1",
          "q1",
          "auth.login",
          "t",
          "success",
          "{}"};
}

TEST(AuditChainTest, TheCanonicalFormIsTagSeqAndLengthPrefixedFields) {
  std::string expected = "NEMIS-AUDIT-1"s + "\0\0\0\0\0\0\x01\x2a"s +  // seq 298
                         "\0\0\0\x18"s + "2026-11-21T23:16:16.123Z" +  // 24 bytes
                         "\0\0\0\x09"s + "zhang.san" + "\0\0\0\x01"s + "r" + "\0\0\0\x06"s +
                         "440106" + "\0\0\0\x08"s + "10.0.0.1" + "\0\0\0\x02"s + "q1" +
                         "\0\0\0\x0a"s + "auth.login" + "\0\0\0\x01"s + "t" + "\0\0\0\x07"s +
                         "success" + "\0\0\0\x02"s + "{}";
  EXPECT_EQ(CanonicalEntry(298, Sample()), expected);
}

TEST(AuditChainTest, MovingBytesBetweenFieldsChangesTheHash) {
  AuditEntry a = Sample(), b = Sample();
  a.account = "ab";
  a.roles = "c";
  b.account = "a";
  b.roles = "bc";
  EXPECT_NE(CanonicalEntry(1, a), CanonicalEntry(1, b));
  EXPECT_NE(ChainHash(GenesisHash(), 1, a), ChainHash(GenesisHash(), 1, b));
  // Also across the last field boundary, and with empty fields on either side.
  AuditEntry c = Sample(), d = Sample();
  c.outcome = "success";
  c.details = "";
  d.outcome = "succes";
  d.details = "s";
  EXPECT_NE(ChainHash(GenesisHash(), 1, c), ChainHash(GenesisHash(), 1, d));
  AuditEntry e = Sample(), f = Sample();
  e.account = "";
  e.roles = "x";
  f.account = "x";
  f.roles = "";
  EXPECT_NE(ChainHash(GenesisHash(), 1, e), ChainHash(GenesisHash(), 1, f));
}

TEST(AuditChainTest, TheHashCoversSeqAndPreviousHash) {
  AuditEntry e = Sample();
  std::string h1 = ChainHash(GenesisHash(), 1, e);
  EXPECT_EQ(h1.size(), kHashBytes);
  EXPECT_EQ(h1, crypto::Sm3(GenesisHash() + CanonicalEntry(1, e)));
  EXPECT_NE(h1, ChainHash(GenesisHash(), 2, e));
  EXPECT_NE(h1, ChainHash(h1, 1, e));
  EXPECT_EQ(GenesisHash(), std::string(32, '\0'));
}

TEST(AuditChainTest, TheCheckpointMessageCoversSeqHashAndTime) {
  std::string hash(32, '\x11');
  std::string m = CheckpointMessage(7, hash, "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(m, "NEMIS-AUDIT-CHECKPOINT-1"s + "\0\0\0\0\0\0\0\x07"s + hash + "\0\0\0\x18"s +
                   "2026-01-01T00:00:00.000Z");
  EXPECT_NE(m, CheckpointMessage(8, hash, "2026-01-01T00:00:00.000Z"));
  EXPECT_NE(m, CheckpointMessage(7, std::string(32, '\x12'), "2026-01-01T00:00:00.000Z"));
  EXPECT_NE(m, CheckpointMessage(7, hash, "2026-01-01T00:00:00.001Z"));
}

}  // namespace
}  // namespace nemis::audit
