#include "wiresim/scenario/scripted_close.hpp"

#include <array>
#include <string_view>

#include <fmt/format.h>

namespace wiresim::scenario {

namespace {

/// `n` bytes of `line` repeated: text that reads well in Wireshark's
/// "Follow TCP Stream".
std::string greeting(std::string_view line, std::uint64_t n) {
  std::string out;
  out.reserve(static_cast<std::size_t>(n));
  while (out.size() < n) out += line.substr(0, static_cast<std::size_t>(n) - out.size());
  return out;
}

}  // namespace

ScriptedClose::ScriptedClose(Simulator& sim, tcp::TcpStack& client, tcp::TcpStack& server,
                             wire::Ipv4Address server_address, const TeardownApp& spec, AppDoneSink& done)
    : sim_(sim), client_stack_(client), server_address_(server_address), spec_(spec), done_(done) {
  listener_ = server.listen(spec_.port, 1, *this);
  const Time start = Time::zero() + spec_.start;
  sim_.schedule_at(start, [this] { connect(); });
  sim_.schedule_at(start + spec_.close_after, [this] { first_close(); });
}

void ScriptedClose::connect() { client_.socket = client_stack_.connect(server_address_, spec_.port, *this); }

void ScriptedClose::on_connected(tcp::Socket& /*s*/) { send_greeting(client_); }

void ScriptedClose::on_acceptable(tcp::Listener& l) {
  const auto s = l.accept(*this);
  if (!s) return;
  server_.socket = *s;
  listener_.close();  // one connection per app
  send_greeting(server_);
}

void ScriptedClose::send_greeting(Side& side) {
  const std::string text =
      greeting(&side == &client_ ? "hello from the client\n" : "hello from the server\n",
               static_cast<std::uint64_t>(spec_.bytes));
  // At most 64 KiB: the send buffer of every profile takes it whole.
  if (side.socket.send(text) != text.size()) finish(fmt::format("{}: the send buffer did not take {} bytes", side.name, text.size()));
}

void ScriptedClose::on_readable(tcp::Socket& s) { drain(side_of(s)); }

void ScriptedClose::drain(Side& side) {
  std::array<std::uint8_t, 4096> buf{};
  for (std::size_t n; (n = side.socket.read(buf)) > 0;) side.received += n;
  (&side == &client_ ? result_.client_received : result_.server_received) = side.received;
}

/// `start + close_after`: the first close (both, for a simultaneous close).
void ScriptedClose::first_close() {
  if (finished_) return;
  result_.first_close = sim_.now();
  const auto want = static_cast<std::uint64_t>(spec_.bytes);
  if (!server_.socket.valid() || client_.received < want || server_.received < want) {
    finish("the bytes were not exchanged by close_after (expected a later close_after)");
    return;
  }
  switch (spec_.close) {
    case CloseOrder::kClientFirst:
    case CloseOrder::kMergedFin: close_side(client_); break;
    case CloseOrder::kServerFirst: close_side(server_); break;
    case CloseOrder::kSimultaneous:
      // Both FINs leave now and cross on the link.
      close_side(client_);
      close_side(server_);
      break;
  }
}

void ScriptedClose::close_side(Side& side) {
  if (side.closed || finished_) return;
  side.closed = true;
  side.socket.close();
  check_done();
}

void ScriptedClose::on_peer_closed(tcp::Socket& s) {
  Side& side = side_of(s);
  drain(side);
  side.peer_fin = true;
  if (!side.closed) {
    if (spec_.close == CloseOrder::kMergedFin) {
      close_side(side);  // at once: before the delayed ACK of the FIN leaves
    } else {
      sim_.schedule_in(spec_.second_close_after, [this, &side] { close_side(side); });
    }
  }
  check_done();
}

void ScriptedClose::on_error(tcp::Socket& s, tcp::ConnectionError e) {
  finish(fmt::format("{}: {}", side_of(s).name, tcp::to_string(e)));
}

/// Both sides closed and both FINs arrived: only the last ACK and TIME-WAIT
/// remain, which the run's wind-down covers.
void ScriptedClose::check_done() {
  if (client_.closed && server_.closed && client_.peer_fin && server_.peer_fin) {
    if (!result_.completed) result_.completed = sim_.now();
    finish({});
  }
}

void ScriptedClose::finish(std::string error) {
  if (finished_) return;
  finished_ = true;
  result_.error = std::move(error);
  done_.app_done();
}

}  // namespace wiresim::scenario
