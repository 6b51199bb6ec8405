#pragma once
/// The `teardown` app: one TCP connection that exchanges a few bytes and is
/// then closed in a chosen order, to show the ways a TCP connection ends
/// (RFC 9293 §3.6):
///   client_first  the client closes; the server closes a while after the
///                 client's FIN: FIN,ACK / ACK / FIN,ACK / ACK;
///   server_first  the same with the roles swapped (as a web server closing
///                 an idle keep-alive connection);
///   simultaneous  both close at the same instant, so the FINs cross on the
///                 link: FIN-WAIT-1 -> CLOSING -> TIME-WAIT on both sides;
///   merged_fin    the client closes and the server closes as soon as it is
///                 told of the FIN. With a server whose TCP delays the ACK
///                 of a FIN (TcpProfile::delayed_fin_ack, as Linux does)
///                 that ACK rides on the server's own FIN: FIN,ACK /
///                 FIN,ACK / ACK.
/// Each side sends `bytes` bytes of readable text as soon as the connection
/// is up and reads what the other sends.

#include <cstdint>
#include <string>

#include "wiresim/core/simulator.hpp"
#include "wiresim/scenario/bulk_transfer.hpp"
#include "wiresim/scenario/scenario.hpp"
#include "wiresim/tcp/socket.hpp"
#include "wiresim/tcp/tcp_stack.hpp"

namespace wiresim::scenario {

struct ScriptedCloseResult {
  std::uint64_t client_received = 0;  ///< bytes the client read
  std::uint64_t server_received = 0;  ///< bytes the server read
  std::optional<Time> first_close;    ///< when the first close() was called
  std::optional<Time> completed;      ///< when both sides had closed and seen the other's FIN
  std::string error;                  ///< empty, or what went wrong
};

class ScriptedClose final : public tcp::SocketHandler, public tcp::ListenHandler {
 public:
  /// `spec` gives the order, sizes and times; `server_address` is the
  /// server's address. Reports to `done` once, when the script has finished
  /// or failed.
  ScriptedClose(Simulator& sim, tcp::TcpStack& client, tcp::TcpStack& server, wire::Ipv4Address server_address,
                const TeardownApp& spec, AppDoneSink& done);
  ScriptedClose(const ScriptedClose&) = delete;
  ScriptedClose& operator=(const ScriptedClose&) = delete;

  [[nodiscard]] const ScriptedCloseResult& result() const { return result_; }
  [[nodiscard]] bool finished() const { return finished_; }
  [[nodiscard]] CloseOrder order() const { return spec_.close; }

  // tcp::SocketHandler (both ends; told apart by the socket)
  void on_connected(tcp::Socket& s) override;
  void on_readable(tcp::Socket& s) override;
  void on_peer_closed(tcp::Socket& s) override;
  void on_error(tcp::Socket& s, tcp::ConnectionError e) override;
  // tcp::ListenHandler
  void on_acceptable(tcp::Listener& l) override;

 private:
  /// One end of the connection.
  struct Side {
    const char* name;
    tcp::Socket socket;
    std::uint64_t received = 0;
    bool closed = false;      ///< close() was called
    bool peer_fin = false;    ///< the other side's FIN arrived
  };

  void connect();
  void first_close();
  void close_side(Side& side);
  void send_greeting(Side& side);
  void drain(Side& side);
  Side& side_of(const tcp::Socket& s) { return s == server_.socket ? server_ : client_; }
  void check_done();
  void finish(std::string error);

  Simulator& sim_;
  tcp::TcpStack& client_stack_;
  wire::Ipv4Address server_address_;
  TeardownApp spec_;
  AppDoneSink& done_;
  tcp::Listener listener_;
  Side client_{"client", {}, 0, false, false};
  Side server_{"server", {}, 0, false, false};
  ScriptedCloseResult result_;
  bool finished_ = false;
};

}  // namespace wiresim::scenario
