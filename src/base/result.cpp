#include "base/result.hpp"

namespace nemis {

int HttpStatus(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBadRequest:
      return 400;
    case ErrorKind::kUnauthenticated:
      return 401;
    case ErrorKind::kForbidden:
      return 403;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kPreconditionFailed:
      return 412;
    case ErrorKind::kTooLarge:
      return 413;
    case ErrorKind::kInvalid:
      return 422;
    case ErrorKind::kThrottled:
      return 429;
    case ErrorKind::kUnavailable:
      return 503;
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

Error Error::Invalid(std::vector<FieldError> fields, std::string message) {
  return {ErrorKind::kInvalid, "validation_failed", std::move(message), std::move(fields)};
}
Error Error::NotFound(std::string message) {
  return {ErrorKind::kNotFound, "not_found", std::move(message), {}};
}
Error Error::Conflict(std::string code, std::string message) {
  return {ErrorKind::kConflict, std::move(code), std::move(message), {}};
}
Error Error::Refused(std::string code, std::string message) {
  return {ErrorKind::kInvalid, std::move(code), std::move(message), {}};
}
Error Error::BadRequest(std::string code, std::string message) {
  return {ErrorKind::kBadRequest, std::move(code), std::move(message), {}};
}
Error Error::Internal(std::string message) {
  return {ErrorKind::kInternal, "internal", std::move(message), {}};
}
Error Error::Unavailable(std::string message) {
  return {ErrorKind::kUnavailable, "store_unavailable", std::move(message), {}};
}
Error Error::Unauthenticated(std::string code, std::string message) {
  return {ErrorKind::kUnauthenticated, std::move(code), std::move(message), {}};
}
Error Error::Forbidden(std::string message) {
  return {ErrorKind::kForbidden, "forbidden", std::move(message), {}};
}
Error Error::Throttled(std::string message) {
  return {ErrorKind::kThrottled, "throttled", std::move(message), {}};
}
Error Error::PreconditionFailed(std::string message) {
  return {ErrorKind::kPreconditionFailed, "version_mismatch", std::move(message), {}};
}

}  // namespace nemis
