// Swagger UI's bundle, embedded byte for byte with the assembler's .incbin from the
// copies docs/tools/embed_assets.cmake keeps in the build directory (empty files when
// docs/tools/node_modules is missing). The stamp header names the copies and their
// hashes; including it makes the compiler cache miss whenever the bundle changes.
#include "docs_assets_stamp.hpp"

#include "api/docs_routes.hpp"

// The hashes take part in the preprocessed text that ccache keys on.
[[maybe_unused]] static constexpr const char* kEmbeddedHashes[] = {NEMIS_DOCS_JS_SHA256, NEMIS_DOCS_CSS_SHA256};

#define NEMIS_INCBIN(name, path)                             \
  asm(".pushsection .rodata\n"                               \
      ".balign 16\n"                                         \
      ".local " #name "_begin, " #name "_end\n"              \
      #name "_begin:\n"                                      \
      ".incbin \"" path "\"\n"                               \
      #name "_end:\n"                                        \
      ".byte 0\n"                                            \
      ".popsection\n")

NEMIS_INCBIN(nemis_docs_js, NEMIS_DOCS_JS_PATH);
NEMIS_INCBIN(nemis_docs_css, NEMIS_DOCS_CSS_PATH);

// Hidden: the labels are local to this object, addressed directly rather than via the GOT.
extern "C" {
__attribute__((visibility("hidden"))) extern const char nemis_docs_js_begin[], nemis_docs_js_end[];
__attribute__((visibility("hidden"))) extern const char nemis_docs_css_begin[], nemis_docs_css_end[];
}

namespace nemis::api {

DocsAssets EmbeddedDocsAssets() {
  return {{nemis_docs_js_begin, static_cast<size_t>(nemis_docs_js_end - nemis_docs_js_begin)},
          {nemis_docs_css_begin, static_cast<size_t>(nemis_docs_css_end - nemis_docs_css_begin)},
          NEMIS_DOCS_UI_VERSION};
}

}  // namespace nemis::api
