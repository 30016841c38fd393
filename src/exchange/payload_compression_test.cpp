// A compressed payload decompresses to what was compressed; anything but one zstd frame
// stating a size within the limit, and holding exactly that, is refused as unreadable.
#include "exchange/payload_compression.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zstd.h>

#include <string>

#include "testing/result_matchers.hpp"

namespace nemis::exchange {
namespace {

std::string Records(int n) {
  std::string text = R"({"records":[)";
  for (int i = 0; i < n; ++i) {
    text +=
        R"({"entity":"student","seq":)" + std::to_string(i) + R"(,"student":{"name":"王小明"}},)";
  }
  text.back() = ']';
  return text + "}";
}

// A frame made by zstd's streaming API, which does not state its content size.
std::string FrameWithoutSize(const std::string& text) {
  ZSTD_CCtx* ctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(ctx, ZSTD_c_contentSizeFlag, 0);
  std::string frame(ZSTD_compressBound(text.size()), '\0');
  ZSTD_outBuffer out{frame.data(), frame.size(), 0};
  ZSTD_inBuffer in{text.data(), text.size(), 0};
  ZSTD_compressStream2(ctx, &out, &in, ZSTD_e_end);
  ZSTD_freeCCtx(ctx);
  frame.resize(out.pos);
  return frame;
}

void ExpectUnreadable(const Result<std::string>& r, const std::string& why) {
  ASSERT_THAT(r, testing::IsErrorCode("batch_unreadable"));
  EXPECT_EQ(r.error().message, "批次内容无法解压：" + why);
}

TEST(PayloadCompressionTest, RoundTripsAndShrinksRecords) {
  const std::string records = Records(1000);
  const std::string frame = CompressPayload(records);
  EXPECT_LT(frame.size() * 10, records.size());
  auto back = DecompressPayload(frame);
  ASSERT_OK(back);
  EXPECT_EQ(*back, records);
  auto empty = DecompressPayload(CompressPayload(""));
  ASSERT_OK(empty);
  EXPECT_EQ(*empty, "");
}

TEST(PayloadCompressionTest, RefusesWhatIsNotOneFrameOfItsStatedSize) {
  const std::string records = Records(100);
  const std::string frame = CompressPayload(records);
  ExpectUnreadable(DecompressPayload(records), "不是 zstd 数据");
  ExpectUnreadable(DecompressPayload(""), "不是 zstd 数据");
  ExpectUnreadable(DecompressPayload(FrameWithoutSize(records)), "未注明解压后的大小");
  ExpectUnreadable(DecompressPayload(frame, records.size() - 1),
                   "解压后 " + std::to_string(records.size()) + " 字节，超过上限 " +
                       std::to_string(records.size() - 1) + " 字节");
  EXPECT_OK(DecompressPayload(frame, records.size()));
  ExpectUnreadable(DecompressPayload(frame + frame), "不是恰好一个 zstd 帧");
  ExpectUnreadable(DecompressPayload(frame.substr(0, frame.size() - 1)), "不是恰好一个 zstd 帧");
}

}  // namespace
}  // namespace nemis::exchange
