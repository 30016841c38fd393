// A. The HTTP surface of the real server: every status code of DESIGN.md that
// applies today, with its stable error code, and the operations endpoints.
//
// 401, 403 and 429 do not apply yet: there are no accounts (every caller acts for
// the whole node, api/caller.cpp) and no throttling. Add their tests with identity.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

#include "fixture.hpp"

namespace nemis::it {
namespace {

using nlohmann::json;

class HttpStatusTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    SeedRoster();
    StartServer();
  }

  // A student registered through the API at the primary school; returns its path. The
  // path is built from the ID: the national registrar's response shows the G number masked.
  std::string Register(const IdSource::Person& person, const std::string& name = "张三") {
    HttpResponse r =
        http().PostJson("/api/v1/students", StudentBody(PrimarySchool(), name, person, 4, "2"));
    EXPECT_EQ(r.status, 201) << r.Describe();
    return "/api/v1/students/G" + person.id_number;
  }

  IdSource ids_{"110101", 2015};
};

// An API error: the status, the stable code and the request id in body and header.
void ExpectError(const HttpResponse& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.Describe();
  EXPECT_EQ(r.ErrorCode(), code) << r.Describe();
  auto id = r.Header("X-Request-Id");
  ASSERT_TRUE(id.has_value()) << r.Describe();
  auto body = r.Json();
  if (body.is_object() && body.contains("error")) {
    EXPECT_EQ(body["error"].value("requestId", ""), *id) << r.Describe();
    EXPECT_FALSE(body["error"].value("message", "").empty()) << r.Describe();
  }
}

TEST_P(HttpStatusTest, Created201CarriesLocationAndETag) {
  IdSource::Person p = ids_.Next(1);
  HttpResponse r =
      http().PostJson("/api/v1/students", StudentBody(PrimarySchool(), "张三", p, 4, "2"));
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_EQ(r.Header("ETag").value_or(""), "\"v1.0\"");
  // The caller (national registrar) may not see IDs: the body names the student masked,
  // and no header carries the G number (it is the ID): no Location (school registrars,
  // who see it whole, get one: RegistryApiTest.LocationCarriesNoIdTheBodyMasks).
  EXPECT_EQ(r.Json()["studentNumber"], MaskedStudentNumber("G" + p.id_number));
  EXPECT_FALSE(r.Header("Location").has_value()) << r.Describe();
  EXPECT_EQ(r.Json()["version"], 1);

  HttpResponse get = http().Get("/api/v1/students/G" + p.id_number);
  ASSERT_EQ(get.status, 200) << get.Describe();
  EXPECT_EQ(get.Header("ETag").value_or(""), "\"v1.0\"");
  EXPECT_EQ(get.Json()["name"], "张三");
  EXPECT_EQ(get.Json()["idNumber"], MaskedDocument(p.id_number));
  EXPECT_EQ(get.Json()["schoolCode"], PrimarySchool().code);
  EXPECT_EQ(get.Json()["grade"], 4);
  EXPECT_EQ(get.Json()["classNo"], "2");
  EXPECT_EQ(store().CountStudentsWithNumbers({"G" + p.id_number}), 1);
}

TEST_P(HttpStatusTest, Ok200ForReadsOfOrgsListsAndStats) {
  const School& school = PrimarySchool();
  HttpResponse org = http().Get("/api/v1/orgs/" + school.code);
  ASSERT_EQ(org.status, 200) << org.Describe();
  EXPECT_EQ(org.Json()["code"], school.code);
  EXPECT_EQ(org.Json()["name"], school.name);
  EXPECT_EQ(org.Json()["level"], "school");
  EXPECT_EQ(org.Json()["parentCode"], school.division);
  EXPECT_EQ(org.Header("ETag").value_or(""), "\"v1\"");

  HttpResponse list = http().Get("/api/v1/students?school=" + school.code + "&limit=3");
  ASSERT_EQ(list.status, 200) << list.Describe();
  EXPECT_EQ(list.Json()["items"].size(), 3u);
  EXPECT_TRUE(list.Json()["next"].is_string());

  HttpResponse stats = http().Get("/api/v1/stats/students");
  ASSERT_EQ(stats.status, 200) << stats.Describe();
  EXPECT_EQ(stats.Json()["total"], 2000);
}

TEST_P(HttpStatusTest, Accepted202ForAnImportUpload) {
  std::string csv = ReadFile(SeedRoster().students_path);
  HttpResponse r = http().Post("/api/v1/imports/students", csv, {{"Content-Type", "text/csv"}});
  ASSERT_EQ(r.status, 202) << r.Describe();
  std::string id = r.Json().value("id", "");
  EXPECT_TRUE(std::regex_match(
      id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}")))
      << id;
  EXPECT_EQ(r.Header("Location").value_or(""), "/api/v1/imports/" + id);
  EXPECT_EQ(r.Json()["state"], "queued");
  json done = WaitForImport(http(), id);
  // The same content was imported by the CLI when the test seeded the store.
  EXPECT_EQ(done["report"]["status"], "already_imported") << done.dump();
}

TEST_P(HttpStatusTest, BadRequest400) {
  const std::string school = PrimarySchool().code;
  ExpectError(
      http().Post("/api/v1/students", "{\"name\": ", {{"Content-Type", "application/json"}}), 400,
      "malformed_json");
  ExpectError(http().Post("/api/v1/students", "[1,2]", {{"Content-Type", "application/json"}}), 400,
              "malformed_json");
  ExpectError(http().Get("/api/v1/students?school=" + school + "&limit=0"), 400, "bad_parameter");
  ExpectError(http().Get("/api/v1/students?school=" + school + "&limit=abc"), 400, "bad_parameter");
  ExpectError(http().Get("/api/v1/students?school=" + school + "&grade=x"), 400, "bad_parameter");
  ExpectError(http().Get("/api/v1/students?school=" + school + "&after=zz"), 400, "bad_cursor");
  ExpectError(http().Get("/api/v1/students?school=" + school + "&after=616263"), 400,
              "bad_cursor");  // "abc"
  ExpectError(http().Get("/api/v1/students?q=%E7%8E%8B&after=not-a-cursor"), 400, "bad_cursor");
  ExpectError(http().Get("/api/v1/students"), 400, "missing_parameter");
  ExpectError(http().Get("/api/v1/stats/students?status=sometimes"), 400, "bad_parameter");

  std::string target = Register(ids_.Next(2));
  ExpectError(http().Patch(target, R"({"classNo":"3"})", {{"If-Match", "yesterday"}}), 400,
              "bad_if_match");
  ExpectError(http().Patch(target, R"({"classNo":"3"})", {{"If-Match", "\"v\""}}), 400,
              "bad_if_match");
  ExpectError(http().Patch(target, "{not json", {{"If-Match", "\"v1\""}}), 400, "malformed_json");
  // Nothing of it was applied.
  EXPECT_EQ(http().Get(target).Json()["version"], 1);
}

TEST_P(HttpStatusTest, NotFound404) {
  ExpectError(http().Get("/api/v1/students/G" + ids_.Next(1).id_number), 404, "not_found");
  ExpectError(http().Get("/api/v1/students/J110101201501011234"), 404, "not_found");
  ExpectError(http().Patch("/api/v1/students/G" + ids_.Next(1).id_number, R"({"classNo":"3"})",
                           {{"If-Match", "\"v1\""}}),
              404, "not_found");
  ExpectError(http().Get("/api/v1/orgs/2144999999"), 404, "not_found");
  ExpectError(http().Get("/api/v1/orgs/999999/children"), 404, "not_found");
  ExpectError(http().Get("/api/v1/stats/students?org=2144999999"), 404, "not_found");
  ExpectError(http().Get("/api/v1/students?school=2144999999"), 404, "not_found");
  ExpectError(http().Get("/api/v1/imports/01900000-0000-7000-8000-000000000000"), 404, "not_found");
  ExpectError(http().Get("/api/v1/nothing-here"), 404, "not_found");
  // Outside the API's paths every GET belongs to the portal (tests/integration/portal_test.cpp).
  ExpectError(http().Get("/api/no/such/route"), 404, "not_found");
  ExpectError(http().Get("/oidc/no/such/route"), 404, "not_found");
}

TEST_P(HttpStatusTest, Conflict409NamesTheSchoolHoldingTheIdNumber) {
  IdSource::Person p = ids_.Next(1);
  Register(p);
  const School* other = SeedRoster().FirstSchoolOfCategory("11");
  ASSERT_NE(other, nullptr);
  json body = StudentBody(*other, "张三", p, 4, "2");
  body["grade"] = -1;  // 中班 in the kindergarten
  body["entryDate"] = "2024-09";
  HttpResponse r = http().PostJson("/api/v1/students", body);
  ExpectError(r, 409, "duplicate_student");
  std::string message = r.Json()["error"].value("message", "");
  EXPECT_NE(message.find(PrimarySchool().name), std::string::npos) << message;
  EXPECT_NE(message.find(PrimarySchool().code), std::string::npos) << message;
  ASSERT_EQ(r.Json()["error"]["fields"].size(), 1u) << r.Describe();
  EXPECT_EQ(r.Json()["error"]["fields"][0]["field"], "idNumber");
  EXPECT_EQ(store().CountStudentsWithIds({p.id_number}), 1);
}

TEST_P(HttpStatusTest, PreconditionFailed412) {
  std::string target = Register(ids_.Next(1));
  ExpectError(http().Patch(target, R"({"classNo":"3"})"), 412, "if_match_required");
  HttpResponse ok = http().Patch(target, R"({"classNo":"3"})", {{"If-Match", "\"v1\""}});
  ASSERT_EQ(ok.status, 200) << ok.Describe();
  EXPECT_EQ(ok.Header("ETag").value_or(""), "\"v2.0\"");
  ExpectError(http().Patch(target, R"({"classNo":"4"})", {{"If-Match", "\"v1\""}}), 412,
              "version_mismatch");
  HttpResponse now = http().Get(target);
  EXPECT_EQ(now.Json()["classNo"], "3");
  EXPECT_EQ(now.Json()["version"], 2);
}

TEST_P(HttpStatusTest, Unprocessable422ForInvalidData) {
  int64_t before = store().CountStudents();
  IdSource::Person p = ids_.Next(1);
  p.id_number = CorruptCheckCharacter(p.id_number);
  HttpResponse bad_id =
      http().PostJson("/api/v1/students", StudentBody(PrimarySchool(), "李四", p, 4, "2"));
  ExpectError(bad_id, 422, "validation_failed");
  ASSERT_EQ(bad_id.Json()["error"]["fields"].size(), 1u) << bad_id.Describe();
  EXPECT_EQ(bad_id.Json()["error"]["fields"][0]["field"], "idNumber");
  EXPECT_EQ(bad_id.Json()["error"]["fields"][0]["code"], "bad_check_digit");

  json unknown = StudentBody(PrimarySchool(), "李四", ids_.Next(1), 4, "2");
  unknown["favouriteColour"] = "blue";
  HttpResponse r = http().PostJson("/api/v1/students", unknown);
  ExpectError(r, 422, "validation_failed");
  ASSERT_EQ(r.Json()["error"]["fields"].size(), 1u) << r.Describe();
  EXPECT_EQ(r.Json()["error"]["fields"][0]["field"], "favouriteColour");
  EXPECT_EQ(r.Json()["error"]["fields"][0]["code"], "unknown_field");

  json mismatch = StudentBody(PrimarySchool(), "李四", ids_.Next(1), 4, "2");
  mismatch["birthDate"] = "2014-02-03";  // the ID says 2015-01-01
  r = http().PostJson("/api/v1/students", mismatch);
  ExpectError(r, 422, "validation_failed");
  ASSERT_EQ(r.Json()["error"]["fields"].size(), 1u) << r.Describe();
  EXPECT_EQ(r.Json()["error"]["fields"][0]["field"], "birthDate");
  EXPECT_EQ(r.Json()["error"]["fields"][0]["code"], "id_mismatch");

  json wrong_gender = StudentBody(PrimarySchool(), "李四", ids_.Next(1), 4, "2");
  wrong_gender["gender"] = 2;  // the 17th digit is odd: a boy
  r = http().PostJson("/api/v1/students", wrong_gender);
  ExpectError(r, 422, "validation_failed");
  ASSERT_EQ(r.Json()["error"]["fields"].size(), 1u) << r.Describe();
  EXPECT_EQ(r.Json()["error"]["fields"][0]["field"], "idNumber");
  EXPECT_EQ(r.Json()["error"]["fields"][0]["code"], "gender_mismatch");

  json no_school = StudentBody(PrimarySchool(), "李四", ids_.Next(1), 4, "2");
  no_school["schoolCode"] = "2144999999";
  r = http().PostJson("/api/v1/students", no_school);
  ExpectError(r, 422, "validation_failed");
  EXPECT_EQ(r.Json()["error"]["fields"][0]["field"], "schoolCode");
  EXPECT_EQ(r.Json()["error"]["fields"][0]["code"], "unknown_school");

  EXPECT_EQ(store().CountStudents(), before);
}

// A primary school (小学, grades 1-6) has no grade 13: the error must name the grade.
TEST_P(HttpStatusTest, Unprocessable422ForAGradeTheSchoolDoesNotTeach) {
  json body = StudentBody(PrimarySchool(), "王五", ids_.Next(1), 13, "2");
  body["entryDate"] = "2021-09";
  HttpResponse r = http().PostJson("/api/v1/students", body);
  ExpectError(r, 422, "validation_failed");
  ASSERT_EQ(r.Json()["error"]["fields"].size(), 1u) << r.Describe();
  EXPECT_EQ(r.Json()["error"]["fields"][0]["field"], "grade") << r.Describe();
  EXPECT_EQ(r.Json()["error"]["fields"][0]["code"], "grade_not_offered") << r.Describe();
}

TEST_P(HttpStatusTest, OperationsEndpoints) {
  HttpResponse health = http().Get("/healthz");
  ASSERT_EQ(health.status, 200);
  EXPECT_EQ(health.Json(), json({{"status", "ok"}}));
  HttpResponse ready = http().Get("/readyz");
  ASSERT_EQ(ready.status, 200) << ready.Describe();
  EXPECT_EQ(ready.Json(), json({{"status", "ready"}}));

  ASSERT_EQ(http().Get(Register(ids_.Next(1))).status, 200);
  HttpResponse metrics = http().Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.Header("Content-Type").value_or("").rfind("text/plain", 0), 0u);
  EXPECT_NE(metrics.body.find("# TYPE nemis_http_request_seconds histogram"), std::string::npos)
      << metrics.body;
  EXPECT_NE(
      metrics.body.find(
          R"(nemis_http_request_seconds_count{route="/api/v1/students/{studentNumber}",method="GET"} 1)"),
      std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find(
                R"(nemis_http_request_seconds_count{route="/api/v1/students",method="POST"} 1)"),
            std::string::npos)
      << metrics.body;

  HttpResponse docs = http().Get("/api/docs");
  ASSERT_EQ(docs.status, 200);
  EXPECT_EQ(docs.Header("Content-Type").value_or(""), "text/html; charset=utf-8");
  for (const char* route :
       {"/api/v1/students", "/api/v1/students/{studentNumber}", "/api/v1/orgs/{code}",
        "/api/v1/stats/students", "/api/v1/imports/students", "/api/v1/imports/{id}/report"})
    EXPECT_NE(docs.body.find(route), std::string::npos) << route;
  HttpResponse yaml = http().Get("/api/docs/openapi.yaml");
  ASSERT_EQ(yaml.status, 200);
  EXPECT_EQ(yaml.body.rfind("openapi: 3", 0), 0u) << yaml.body.substr(0, 200);
}

TEST_P(HttpStatusTest, EveryResponseCarriesARequestId) {
  std::vector<HttpResponse> responses;
  responses.push_back(http().Get("/healthz"));
  responses.push_back(http().Get("/metrics"));
  responses.push_back(http().Get("/api/docs"));
  responses.push_back(http().Get("/api/v1/students?school=" + PrimarySchool().code));
  responses.push_back(http().PostJson("/api/v1/students",
                                      StudentBody(PrimarySchool(), "赵六", ids_.Next(1), 4, "2")));
  responses.push_back(http().Get("/api/v1/students/G" + ids_.Next(1).id_number));
  responses.push_back(http().Request("DELETE", "/api/v1/students/X"));
  responses.push_back(http().Post("/api/v1/students", "nonsense"));
  responses.push_back(http().Get("/nowhere"));
  responses.push_back(http().SendRaw("NOT-HTTP\r\n\r\n"));
  std::set<std::string> seen;
  for (const auto& r : responses) {
    ASSERT_NE(r.status, 0) << r.Describe();
    auto id = r.Header("X-Request-Id");
    ASSERT_TRUE(id.has_value() && !id->empty()) << r.Describe();
    EXPECT_TRUE(seen.insert(*id).second) << "request id repeated: " << *id;
  }
  // A well-formed id sent by the client is kept, so that a trace spans systems.
  HttpResponse traced =
      http().Get("/api/v1/students/G" + ids_.Next(1).id_number, {{"X-Request-Id", "trace-42.a_b"}});
  EXPECT_EQ(traced.Header("X-Request-Id").value_or(""), "trace-42.a_b");
  EXPECT_EQ(traced.Json()["error"]["requestId"], "trace-42.a_b");
}

NEMIS_IT_BOTH_BACKENDS(HttpStatusTest);

// Protocol-level answers that do not involve the store: SQLite only.
class HttpProtocolTest : public ServerTest {};

TEST_P(HttpProtocolTest, MethodNotAllowed405ListsAllowedMethods) {
  StartServer();
  HttpResponse r = http().Request("DELETE", "/api/v1/students/G110101201501010011");
  EXPECT_EQ(r.status, 405) << r.Describe();
  EXPECT_EQ(r.ErrorCode(), "method_not_allowed");
  EXPECT_EQ(r.Header("Allow").value_or(""), "GET, HEAD, PATCH");
  r = http().Request("PUT", "/api/v1/students", "{}");
  EXPECT_EQ(r.status, 405) << r.Describe();
  EXPECT_EQ(r.Header("Allow").value_or(""), "GET, HEAD, POST");
  r = http().Request("POST", "/healthz", "{}");
  EXPECT_EQ(r.status, 405) << r.Describe();
  EXPECT_EQ(r.Header("Allow").value_or(""), "GET, HEAD");
  r = http().Request("GET", "/api/v1/imports/students");
  // "/api/v1/imports/{id}" matches GET: "students" is then just an unknown import id.
  EXPECT_EQ(r.status, 404) << r.Describe();
}

TEST_P(HttpProtocolTest, PayloadTooLarge413AboveMaxBodyBytes) {
  StartServer({{"server.max_body_bytes", "1024"}});
  json body = {{"name", std::string(1100, 'a')}};
  HttpResponse r = http().PostJson("/api/v1/students", body);
  EXPECT_EQ(r.status, 413) << r.Describe();
  EXPECT_EQ(r.ErrorCode(), "payload_too_large");
  EXPECT_TRUE(r.Header("X-Request-Id").has_value());
  // Just below the limit the body is read and judged (here: invalid data).
  json small = {{"name", std::string(900, 'a')}};
  r = http().PostJson("/api/v1/students", small);
  EXPECT_EQ(r.status, 422) << r.Describe();
  // A chunked body is counted as it arrives.
  std::string chunked =
      "POST /api/v1/students HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  std::string payload = "{\"name\":\"" + std::string(2000, 'b') + "\"}";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", payload.size());
  chunked += std::string(size) + "\r\n" + payload + "\r\n0\r\n\r\n";
  r = http().SendRaw(chunked);
  EXPECT_EQ(r.status, 413) << r.Describe();
  EXPECT_EQ(r.ErrorCode(), "payload_too_large");
  // Uploads have their own limit (server.max_upload_bytes), here larger.
  std::string csv = "姓名,性别\n" + std::string(4000, 'x') + ",1\n";
  r = http().Post("/api/v1/imports/students", csv);
  EXPECT_EQ(r.status, 202) << r.Describe();
  StartServer({{"server.max_upload_bytes", "2048"}});
  r = http().Post("/api/v1/imports/students", csv);
  EXPECT_EQ(r.status, 413) << r.Describe();
  EXPECT_EQ(r.ErrorCode(), "payload_too_large");
}

TEST_P(HttpProtocolTest, MalformedRequests400) {
  StartServer();
  HttpClient raw = server().Client();
  HttpResponse r = raw.SendRaw("GARBAGE\r\n\r\n");
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.ErrorCode(), "bad_request");
  EXPECT_TRUE(r.Header("X-Request-Id").has_value());
  r = raw.SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");
  EXPECT_EQ(r.status, 400) << r.Describe();
  r = raw.SendRaw("GET /api/v1/orgs/%zz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.status, 400) << r.Describe();
  // The server still serves.
  EXPECT_EQ(http().Get("/healthz").status, 200);
}

TEST_P(HttpProtocolTest, KeepAliveServesManyRequestsOnOneConnection) {
  StartServer();
  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(http().Get(i % 2 ? "/healthz" : "/api/v1/orgs/440000").status, 200);
  EXPECT_EQ(http().connections_opened(), 1);
  // Pipelined requests are answered in order.
  HttpClient pipe = server().Client();
  ASSERT_TRUE(pipe.Write(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /api/v1/orgs/440000 HTTP/1.1\r\nHost: x\r\n"
      "Authorization: Bearer " +
      Token() + "\r\n\r\n"));
  HttpResponse first = pipe.ReadResponse();
  HttpResponse second = pipe.ReadResponse();
  EXPECT_EQ(first.Json(), json({{"status", "ok"}}));
  EXPECT_EQ(second.Json()["code"], "440000");
  // HEAD answers the headers of GET without a body.
  HttpResponse head = http().Request("HEAD", "/healthz");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(http().Get("/healthz").status, 200);  // the connection is still in step
}

INSTANTIATE_TEST_SUITE_P(Sqlite, HttpProtocolTest, ::testing::Values(Backend::kSqlite),
                         BackendName);

// 503: the store goes away under a running server. PostgreSQL only: the database
// stops accepting connections and the server's connections are terminated.
class StoreUnavailableTest : public ServerTest {};

TEST_P(StoreUnavailableTest, ReadyzAndStoreRoutesAnswer503ThenRecover) {
  SeedRoster();
  StartServer({{"store.busy_timeout_ms", "2000"}});
  IdSource ids("110101", 2015);
  IdSource::Person p = ids.Next(1);
  HttpResponse created =
      http().PostJson("/api/v1/students", StudentBody(PrimarySchool(), "张三", p, 4, "2"));
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string db = store().pg_database();
  PgAdminExec("ALTER DATABASE \"" + db + "\" ALLOW_CONNECTIONS false");
  PgAdminExec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db +
              "'");

  HttpResponse ready = http().Get("/readyz");
  ExpectError(ready, 503, "store_unavailable");
  HttpResponse get = http().Get("/api/v1/students/G" + p.id_number);
  ExpectError(get, 503, "store_unavailable");
  HttpResponse post = http().PostJson("/api/v1/students",
                                      StudentBody(PrimarySchool(), "李四", ids.Next(1), 4, "2"));
  ExpectError(post, 503, "store_unavailable");
  HttpResponse stats = http().Get("/api/v1/stats/students");
  ExpectError(stats, 503, "store_unavailable");
  // The process stays up and says it is alive.
  EXPECT_EQ(http().Get("/healthz").status, 200);

  PgAdminExec("ALTER DATABASE \"" + db + "\" ALLOW_CONNECTIONS true");
  HttpResponse back;
  for (int i = 0; i < 100; ++i) {
    back = http().Get("/api/v1/students/G" + p.id_number);
    if (back.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(back.status, 200) << back.Describe();
  EXPECT_EQ(http().Get("/readyz").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreUnavailableTest, ::testing::Values(Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace nemis::it
