#include "tcp_proxy.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace nemis::it {
namespace {

// Bytes buffered per direction before the proxy stops reading from the sender.
constexpr size_t kBufferCap = 256 * 1024;

sockaddr_in Loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

void SetNonBlocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Closed with a reset rather than a FIN: what the peer sees when the network fails.
void ResetClose(int fd) {
  if (fd < 0) return;
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(fd);
}

// Appends what `fd` has to `buffer` (at most `room` bytes): >0 read, 0 end of stream,
// -1 nothing now (EAGAIN), -2 error.
long ReadSome(int fd, std::string& buffer, size_t room) {
  char chunk[64 * 1024];
  const long n = ::recv(fd, chunk, std::min(room, sizeof chunk), 0);
  if (n > 0) buffer.append(chunk, static_cast<size_t>(n));
  if (n >= 0) return n;
  return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? -1 : -2;
}

// Writes what it can of `buffer` to `fd` and drops it from the buffer; false on error.
bool WriteSome(int fd, std::string& buffer) {
  if (buffer.empty()) return true;
  const long n = ::send(fd, buffer.data(), buffer.size(), MSG_NOSIGNAL);
  if (n > 0) buffer.erase(0, static_cast<size_t>(n));
  return n >= 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

}  // namespace

// One proxied connection: the client's socket, the one to the target, and what is on its
// way in each direction.
struct TcpProxy::Link {
  int client = -1, target = -1;
  std::string up, down;                         // client -> target, target -> client
  bool client_eof = false, target_eof = false;  // the sender has finished
  bool up_shut = false, down_shut = false;      // its end of stream passed on
  size_t answered = 0;                          // bytes of the answer taken for the client
  bool truncating = false;                      // close once `down` has reached the client
  bool dead = false;

  ~Link() {
    if (client >= 0) ::close(client);
    if (target >= 0) ::close(target);
  }
  void Reset() {
    ResetClose(client);
    ResetClose(target);
    client = target = -1;
    dead = true;
  }
};

TcpProxy::TcpProxy(int target_port) : target_port_(target_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  sockaddr_in a = Loopback(0);
  socklen_t len = sizeof a;
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(listen_fd_, 128) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0 ||
      ::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
    const std::string why = std::strerror(errno);
    if (listen_fd_ >= 0) ::close(listen_fd_);
    throw std::runtime_error("the test proxy cannot listen: " + why);
  }
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { Run(); });
}

TcpProxy::~TcpProxy() {
  stopping_ = true;
  Wake();
  thread_.join();
  ::close(listen_fd_);
  ::close(wake_[0]);
  ::close(wake_[1]);
}

void TcpProxy::Wake() {
  const char byte = 1;
  [[maybe_unused]] auto n = ::write(wake_[1], &byte, 1);  // a full pipe wakes it anyway
}

void TcpProxy::CutAll() {
  std::unique_lock lock(mu_);
  const uint64_t mine = ++cuts_requested_;
  lock.unlock();
  Wake();
  lock.lock();
  cut_done_.wait(lock, [&] { return cuts_done_ >= mine || stopping_; });
}

void TcpProxy::Run() {
  std::vector<std::unique_ptr<Link>> links;
  std::vector<pollfd> fds;
  while (!stopping_) {
    // 0: the wake pipe, 1: the listening socket, then each link's client and target.
    fds.assign({{wake_[0], POLLIN, 0}, {listen_fd_, POLLIN, 0}});
    for (const auto& l : links) {
      const short client =
          static_cast<short>((!l->client_eof && l->up.size() < kBufferCap ? POLLIN : 0) |
                             (l->down.empty() ? 0 : POLLOUT));
      const short target = static_cast<short>(
          (!l->target_eof && !l->truncating && l->down.size() < kBufferCap ? POLLIN : 0) |
          (l->up.empty() ? 0 : POLLOUT));
      // A socket nothing is wanted of is left out (a hung-up one would wake poll forever).
      fds.push_back({client ? l->client : -1, client, 0});
      fds.push_back({target ? l->target : -1, target, 0});
    }
    if (::poll(fds.data(), fds.size(), 200) < 0 && errno != EINTR) break;

    if (fds[0].revents & POLLIN) {
      char drain[64];
      while (::read(wake_[0], drain, sizeof drain) > 0) {
      }
    }
    {
      std::lock_guard lock(mu_);
      if (cuts_requested_ > cuts_done_) {
        for (auto& l : links) l->Reset();
        cuts_ += static_cast<int64_t>(links.size());
        links.clear();
        fds.resize(2);  // the links' entries are gone with them
        cuts_done_ = cuts_requested_;
        cut_done_.notify_all();
      }
    }

    if (fds[1].revents & POLLIN) {
      for (int fd; (fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC)) >= 0;) {
        ++connections_;
        if (refuse_) {
          ResetClose(fd);
          ++cuts_;
          continue;
        }
        auto l = std::make_unique<Link>();
        l->client = fd;
        l->target = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const sockaddr_in to = Loopback(target_port_);
        if (l->target < 0 ||
            ::connect(l->target, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
          l->Reset();  // the target is down: so is the proxied service
          continue;
        }
        SetNonBlocking(l->client);
        SetNonBlocking(l->target);
        links.push_back(std::move(l));  // polled from the next round on
      }
    }

    const size_t polled = (fds.size() - 2) / 2;
    for (size_t i = 0; i < polled; ++i) {
      Link& l = *links[i];
      const short client_ev = fds[2 + 2 * i].revents, target_ev = fds[3 + 2 * i].revents;
      if ((client_ev | target_ev) & (POLLERR | POLLNVAL)) {
        l.dead = true;
        continue;
      }
      if (client_ev & (POLLIN | POLLHUP) && !l.client_eof) {
        const long n = ReadSome(l.client, l.up, kBufferCap - l.up.size());
        if (n == 0) l.client_eof = true;
        if (n == -2) l.dead = true;
      }
      if (target_ev & (POLLIN | POLLHUP) && !l.target_eof && !l.truncating) {
        const size_t before = l.down.size();
        const long n = ReadSome(l.target, l.down, kBufferCap - l.down.size());
        if (n == 0) l.target_eof = true;
        if (n == -2) l.dead = true;
        l.answered += l.down.size() - before;
      }
      // Truncation: keep the first `limit` bytes of the answer, then close.
      if (const size_t limit = truncate_after_; limit > 0 && l.answered >= limit) {
        const size_t excess = std::min(l.answered - limit, l.down.size());
        l.down.resize(l.down.size() - excess);
        l.answered -= excess;
        l.truncating = true;
      }
      if (l.dead || !WriteSome(l.target, l.up) || !WriteSome(l.client, l.down)) {
        l.dead = true;
        continue;
      }
      if (l.truncating && l.down.empty()) {
        ::shutdown(l.client, SHUT_WR);  // a clean end of stream, mid-answer
        ++cuts_;
        ++truncations_;
        l.dead = true;
        continue;
      }
      // Ends of stream passed on once what came before them has been delivered.
      if (l.client_eof && l.up.empty() && !l.up_shut) {
        ::shutdown(l.target, SHUT_WR);
        l.up_shut = true;
      }
      if (l.target_eof && l.down.empty() && !l.down_shut) {
        ::shutdown(l.client, SHUT_WR);
        l.down_shut = true;
      }
      if (l.up_shut && l.down_shut) l.dead = true;
    }
    std::erase_if(links, [](const auto& l) { return l->dead; });
  }
  // Stopping: whatever is still open is cut.
  for (auto& l : links) l->Reset();
  std::lock_guard lock(mu_);
  cut_done_.notify_all();
}

}  // namespace nemis::it
