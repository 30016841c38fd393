#include "exchange/payload_compression.hpp"

#include <zstd.h>

#include <stdexcept>

namespace nemis::exchange {
namespace {

constexpr int kLevel = 1;

Error Unreadable(const std::string& why) {
  return Error::Refused("batch_unreadable", "批次内容无法解压：" + why);
}

}  // namespace

std::string CompressPayload(std::string_view payload) {
  std::string frame(ZSTD_compressBound(payload.size()), '\0');
  const size_t size =
      ZSTD_compress(frame.data(), frame.size(), payload.data(), payload.size(), kLevel);
  // Only a programming error (a buffer below the bound) or memory exhaustion fails here.
  if (ZSTD_isError(size) != 0) {
    throw std::runtime_error(std::string("ZSTD_compress: ") + ZSTD_getErrorName(size));
  }
  frame.resize(size);
  return frame;
}

Result<std::string> DecompressPayload(std::string_view frame, size_t max_bytes) {
  const unsigned long long stated = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (stated == ZSTD_CONTENTSIZE_ERROR) return Unreadable("不是 zstd 数据");
  if (stated == ZSTD_CONTENTSIZE_UNKNOWN) return Unreadable("未注明解压后的大小");
  if (stated > max_bytes) {
    return Unreadable("解压后 " + std::to_string(stated) + " 字节，超过上限 " +
                      std::to_string(max_bytes) + " 字节");
  }
  if (ZSTD_findFrameCompressedSize(frame.data(), frame.size()) != frame.size()) {
    return Unreadable("不是恰好一个 zstd 帧");
  }
  std::string payload(static_cast<size_t>(stated), '\0');
  const size_t size = ZSTD_decompress(payload.data(), payload.size(), frame.data(), frame.size());
  if (ZSTD_isError(size) != 0) return Unreadable(ZSTD_getErrorName(size));
  if (size != payload.size()) return Unreadable("内容与注明的大小不符");
  return payload;
}

}  // namespace nemis::exchange
