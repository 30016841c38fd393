// Not a test: a server for manual load runs with wrk (timings are never asserted).
//   NEMIS_BENCH_PORT=18080 NEMIS_BENCH_SECONDS=60 ./http_tests
//     --gtest_also_run_disabled_tests --gtest_filter='*DISABLED_ServeForWrk'
//   wrk -t1 -c50 -d5s --latency http://127.0.0.1:18080/healthz      (inline on the I/O thread)
//   wrk -t1 -c50 -d5s --latency http://127.0.0.1:18080/api/v1/ping  (worker pool hop)
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "http/server.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::http {
namespace {

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : fallback;
}

TEST(ServerBench, DISABLED_ServeForWrk) {
  Router router;
  router.Add("GET", "/healthz", [](Request&) { return Response{.body = R"({"status":"ok"})"}; },
             {.inline_on_io = true});
  router.Add("GET", "/api/v1/ping", [](Request& req) {
    return Response{.body = R"({"id":")" + req.request_id + R"(","name":"ping"})"};
  });
  ServerOptions options;
  options.port = EnvInt("NEMIS_BENCH_PORT", 18080);
  options.io_threads = EnvInt("NEMIS_BENCH_IO_THREADS", 2);
  options.workers = EnvInt("NEMIS_BENCH_WORKERS", 4);
  options.access_log = EnvInt("NEMIS_BENCH_ACCESS_LOG", 0) != 0;
  options.spool_dir = "/tmp/nemis-bench-spool";
  Server server(options, router);
  auto port = server.Listen();
  ASSERT_OK(port);
  std::printf("serving on port %d\n", *port);
  std::fflush(stdout);
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::seconds(EnvInt("NEMIS_BENCH_SECONDS", 30)));
    server.Stop();
  });
  server.Run(true);
  stopper.join();
}

}  // namespace
}  // namespace nemis::http
