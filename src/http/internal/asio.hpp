// The one place that includes Asio for the server's translation units, so that the
// Boost 1.74 + GCC 12 include-order fix is applied everywhere.
#pragma once

// Boost 1.74 turns co_await support on for clang only with the Coroutines TS of libc++
// (<experimental/coroutine>); clang with libstdc++ has C++20 coroutines, which it uses
// once told (the fuzz build, fuzz/, is clang).
#if defined(__clang__) && defined(__cpp_impl_coroutine) && !defined(BOOST_ASIO_HAS_CO_AWAIT)
#define BOOST_ASIO_HAS_CO_AWAIT 1
#endif
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>: it
// must come first, and include sorting must not move it.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace nemis::http::internal {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using ErrorCode = boost::system::error_code;
}  // namespace nemis::http::internal
