// A TCP proxy for fault tests: listens on a free loopback port and forwards every accepted
// connection to a target port on 127.0.0.1, byte for byte in both directions, until told to
// misbehave:
//   - CutAll(): every live connection is cut now (reset on both sides: a network failure);
//   - TruncateAfter(n): each connection is closed (FIN to the client) once n bytes of the
//     target's answer have been forwarded, so the client sees an answer cut off mid-way;
//   - Refuse(true): new connections are accepted and closed at once (reset), until
//     Refuse(false).
// It counts the connections it accepted and the ones it cut (by any of the three).
//
// One thread runs a poll loop over the listening socket and every connection (plain POSIX
// sockets, non-blocking, bounded buffers); the controls are thread-safe. The destructor
// stops the thread and closes every socket.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>

namespace nemis::it {

class TcpProxy {
 public:
  /// Listens on 127.0.0.1 (a free port) and forwards to 127.0.0.1:`target_port`.
  /// Throws std::runtime_error when it cannot listen.
  explicit TcpProxy(int target_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }

  /// Cuts every live connection (RST to both ends) and returns once they are gone.
  void CutAll();
  /// Closes each connection once `bytes` of the target's answer have reached the client
  /// (0: never). Applies to live connections too.
  void TruncateAfter(size_t bytes) { truncate_after_ = bytes; }
  /// While true, new connections are accepted and reset at once.
  void Refuse(bool refuse) { refuse_ = refuse; }

  /// Connections accepted so far (refused ones included).
  int64_t connections() const { return connections_; }
  /// Connections cut by CutAll, by truncation or refused.
  int64_t cuts() const { return cuts_; }
  /// Of those, the ones truncated.
  int64_t truncations() const { return truncations_; }

 private:
  struct Link;
  void Run();
  void Wake();

  int target_port_ = 0;
  int port_ = 0;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};  // a pipe: writing to it interrupts poll

  std::atomic<size_t> truncate_after_{0};
  std::atomic<bool> refuse_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> connections_{0}, cuts_{0}, truncations_{0};

  // CutAll asks (requested) and waits until the loop has done it (done).
  std::mutex mu_;
  std::condition_variable cut_done_;
  uint64_t cuts_requested_ = 0, cuts_done_ = 0;

  std::thread thread_;
};

}  // namespace nemis::it
