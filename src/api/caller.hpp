// Who is calling and what they may touch. Every API route resolves its caller
// through ResolveCaller and passes the caller's scope to the store, so the
// identity work only has to change this one place: until accounts exist, every
// caller acts for the whole node (and the server listens on loopback only).
#pragma once

#include <string>

#include "base/result.hpp"
#include "http/http.hpp"
#include "org/scope.hpp"

namespace nemis::api {

struct Caller {
  std::string account;  // empty until accounts exist
  org::Scope scope;
};

Result<Caller> ResolveCaller(const http::Request& request);

}  // namespace nemis::api
