#include "api/caller.hpp"

namespace nemis::api {

Result<Caller> ResolveCaller(const http::Request& request) { return Caller{"", org::Scope::Everything()}; }

}  // namespace nemis::api
