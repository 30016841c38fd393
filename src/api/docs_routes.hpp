// The API reference at /api/docs: Swagger UI (npm swagger-ui-dist, installed by
// `npm ci` in docs/tools and embedded in the binary at build time) showing
// docs/openapi.yaml, under a strict Content-Security-Policy with no inline script.
#pragma once

#include <string_view>

#include "http/http.hpp"

namespace nemis::api {

/// Swagger UI's files; empty when the build found no docs/tools/node_modules.
struct DocsAssets {
  std::string_view bundle_js;
  std::string_view bundle_css;
  std::string_view version;  // swagger-ui-dist's version, e.g. "5.35.0"

  bool complete() const { return !bundle_js.empty() && !bundle_css.empty(); }
};

/// The files embedded in this binary (docs_assets.cpp).
DocsAssets EmbeddedDocsAssets();

/// GET /api/docs (the page), /api/docs/openapi.yaml and /api/docs/assets/{file};
/// public. The page lists the router's routes too, for readers without JavaScript.
void AddDocsRoutes(http::Router& router, DocsAssets assets = EmbeddedDocsAssets());

}  // namespace nemis::api
