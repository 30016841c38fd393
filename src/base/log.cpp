#include "base/log.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>

#include "base/date.hpp"

namespace nemis::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::mutex g_mutex;
std::shared_ptr<spdlog::logger> g_logger;

spdlog::logger& Logger() {
  std::lock_guard lock(g_mutex);
  if (!g_logger) {
    g_logger = std::make_shared<spdlog::logger>("nemis",
                                                std::make_shared<spdlog::sinks::stderr_sink_mt>());
    g_logger->set_pattern("%v");
  }
  return *g_logger;
}

const char* LevelName(Level l) {
  switch (l) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

}  // namespace

void AppendJsonEscaped(std::string& out, std::string_view text) {
  // Every response body goes through here: runs of characters that need no escape (all
  // of them, in most values) are copied at once.
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      }
    }
  }
  out.append(text.data() + run, text.size() - run);
}

void Init(Level level, const std::string& file) {
  g_level = static_cast<int>(level);
  std::shared_ptr<spdlog::sinks::sink> sink;
  if (file.empty())
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  else
    sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file);
  auto logger = std::make_shared<spdlog::logger>("nemis", sink);
  logger->set_pattern("%v");
  logger->flush_on(spdlog::level::info);
  std::lock_guard lock(g_mutex);
  g_logger = logger;
}

bool ParseLevel(std::string_view text, Level* out) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == LevelName(l)) {
      *out = l;
      return true;
    }
  }
  return false;
}

bool Enabled(Level level) {
  return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

void Write(Level level, std::string_view event, std::initializer_list<Field> fields) {
  if (!Enabled(level)) return;
  std::string line;
  line.reserve(160);
  line += "{\"ts\":\"";
  line += FormatUtc(std::chrono::system_clock::now());
  line += "\",\"level\":\"";
  line += LevelName(level);
  line += "\",\"event\":\"";
  AppendJsonEscaped(line, event);
  line += '"';
  for (const auto& f : fields) {
    line += ",\"";
    AppendJsonEscaped(line, f.key);
    line += "\":";
    if (auto s = std::get_if<std::string_view>(&f.value)) {
      line += '"';
      AppendJsonEscaped(line, *s);
      line += '"';
    } else if (auto i = std::get_if<int64_t>(&f.value)) {
      line += std::to_string(*i);
    } else if (auto d = std::get_if<double>(&f.value)) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6g", *d);
      line += buf;
    } else {
      line += std::get<bool>(f.value) ? "true" : "false";
    }
  }
  line += '}';
  Logger().info(line);
}

}  // namespace nemis::log
