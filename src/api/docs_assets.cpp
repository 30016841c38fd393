// Swagger UI's bundle, embedded byte for byte with the assembler's .incbin from the
// copies docs/tools/embed_assets.cmake keeps in the build directory (empty files when
// docs/tools/node_modules is missing). The stamp header names the copies and their
// hashes; including it makes the compiler cache miss whenever the bundle changes.
#include "api/docs_routes.hpp"
#include "docs_assets_stamp.hpp"

// The hashes take part in the preprocessed text that ccache keys on.
[[maybe_unused]] static constexpr const char* kEmbeddedHashes[] = {NEMIS_DOCS_JS_SHA256,
                                                                   NEMIS_DOCS_CSS_SHA256};

// clang-format off
#define NEMIS_INCBIN(name, path)              \
  asm(".pushsection .rodata\n"                \
      ".balign 16\n"                          \
      ".local " #name "Begin, " #name "End\n" \
      #name "Begin:\n"                        \
      ".incbin \"" path "\"\n"                \
      #name "End:\n"                          \
      ".byte 0\n"                             \
      ".popsection\n")
// clang-format on

NEMIS_INCBIN(kNemisDocsJs, NEMIS_DOCS_JS_PATH);
NEMIS_INCBIN(kNemisDocsCss, NEMIS_DOCS_CSS_PATH);

// Hidden: the labels are local to this object, addressed directly rather than via the GOT.
extern "C" {
__attribute__((visibility("hidden"))) extern const char kNemisDocsJsBegin[], kNemisDocsJsEnd[];
__attribute__((visibility("hidden"))) extern const char kNemisDocsCssBegin[], kNemisDocsCssEnd[];
}

namespace nemis::api {

DocsAssets EmbeddedDocsAssets() {
  return {{kNemisDocsJsBegin, static_cast<size_t>(kNemisDocsJsEnd - kNemisDocsJsBegin)},
          {kNemisDocsCssBegin, static_cast<size_t>(kNemisDocsCssEnd - kNemisDocsCssBegin)},
          NEMIS_DOCS_UI_VERSION};
}

}  // namespace nemis::api
