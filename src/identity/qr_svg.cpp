#include "identity/qr_svg.hpp"

#include <qrencode.h>

#include <cerrno>
#include <memory>

namespace nemis::identity {
namespace {

// ISO/IEC 18004 asks for a 4-module light margin; scanners miss codes drawn without it.
constexpr int kQuietZone = 4;

struct QrcodeFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};
using QrcodePtr = std::unique_ptr<QRcode, QrcodeFree>;

Error EncodeError(int error_number) {
  switch (error_number) {
    case ERANGE:
      return Error{ErrorKind::kTooLarge, "qr_data_too_large", "内容过长，无法生成二维码", {}};
    case EINVAL:
      return Error::BadRequest("qr_invalid_input", "内容无法编码为二维码");
    case ENOMEM:
      return Error::Internal("QR encoding ran out of memory");
    default:
      return Error::Internal("QR encoding failed (errno " + std::to_string(error_number) + ")");
  }
}

// One subpath per horizontal run of dark modules keeps the path short.
void AppendRow(const std::vector<bool>& row, int y, std::string& path) {
  const int width = static_cast<int>(row.size());
  for (int x = 0; x < width;) {
    if (!row[x]) {
      ++x;
      continue;
    }
    int run = 0;
    while (x + run < width && row[x + run]) ++run;
    path += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h" +
            std::to_string(run) + "v1h-" + std::to_string(run) + "z";
    x += run;
  }
}

}  // namespace

Result<std::vector<std::vector<bool>>> QrModules(std::string_view text) {
  // The encoder reads a C string: an embedded NUL would silently cut the content short.
  if (text.find('\0') != std::string_view::npos) return EncodeError(EINVAL);
  std::string owned(text);
  errno = 0;
  QrcodePtr code(QRcode_encodeString(owned.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!code) return EncodeError(errno);
  const int width = code->width;
  std::vector<std::vector<bool>> modules(width, std::vector<bool>(width));
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x)
      modules[y][x] = (code->data[static_cast<size_t>(y) * width + x] & 1) != 0;
  }
  return modules;
}

Result<std::string> QrSvg(std::string_view text) {
  NEMIS_ASSIGN_OR_RETURN(std::vector<std::vector<bool>> modules, QrModules(text));
  const std::string side = std::to_string(modules.size() + 2 * kQuietZone);
  std::string path;
  for (size_t y = 0; y < modules.size(); ++y) AppendRow(modules[y], static_cast<int>(y), path);
  // crispEdges stops anti-aliasing seams between adjacent modules when scaled.
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + side + " " + side +
         "\" shape-rendering=\"crispEdges\"><rect width=\"" + side + "\" height=\"" + side +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

}  // namespace nemis::identity
