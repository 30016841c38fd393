// What the department adapters' tests share (population register, finance, HR): the
// department played by an in-process HTTP server at one path, answering `status_` and
// `answer_` after `delay_`, and what it saw of the last request.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "exchange/department_call.hpp"
#include "http/http.hpp"
#include "http/test_client.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::exchange {

class DepartmentServerTest : public ::testing::Test {
 protected:
  /// Serves POST `path`.
  explicit DepartmentServerTest(std::string path) : path_(std::move(path)) {
    router_.Add("POST", path_, [this](http::Request& req) {
      seen_.target = req.target;
      seen_.authorization = std::string(req.Header("authorization").value_or(""));
      seen_.body = req.body;
      http::Response r;
      r.status = status_;
      r.body = answer_;
      if (delay_ > std::chrono::milliseconds(0)) std::this_thread::sleep_for(delay_);
      return r;
    });
    server_ = std::make_unique<http::test::TestServer>(http::test::TestOptions(dir_.File("spool")),
                                                       router_);
  }

  /// The server's URL with `token`, and a timeout of 2 s.
  DepartmentEndpoint Endpoint(const std::string& token) const {
    return {"http://127.0.0.1:" + std::to_string(server_->port()) + path_, token,
            std::chrono::milliseconds(2000)};
  }

  struct Seen {
    std::string target, authorization, body;
  } seen_;
  int status_ = 200;
  std::string answer_;
  std::chrono::milliseconds delay_{0};
  nemis::testing::TempDir dir_;
  std::string path_;
  http::Router router_;
  std::unique_ptr<http::test::TestServer> server_;
};

}  // namespace nemis::exchange
