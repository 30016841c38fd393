// A TCP port of the loopback interface that nothing listens on now: for a node whose address
// others must be given before it starts (the national node's, which the provinces poll).
#pragma once

namespace nemis::it {

// Binds port 0 on 127.0.0.1, reads the port the kernel chose and closes the socket. Throws
// std::runtime_error when no socket can be made or bound.
int FreePort();

}  // namespace nemis::it
