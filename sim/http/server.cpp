#include "wiresim/http/server.hpp"

#include <stdexcept>

#include "wiresim/http/h2/server_connection.hpp"

namespace wiresim::http {

HttpServer::HttpServer(Simulator& sim, tcp::TcpStack& stack, std::shared_ptr<const Site> site,
                       HttpServerConfig config, Rng rng)
    : sim_(sim), stack_(stack), site_(std::move(site)), config_(std::move(config)), rng_(rng), reap_timer_(sim) {
  if (!site_) throw std::invalid_argument("http server: no site");
}

HttpServer::HttpServer(Simulator& sim, tcp::TcpStack& stack, Site site, HttpServerConfig config, Rng rng)
    : HttpServer(sim, stack, std::make_shared<const Site>(std::move(site)), std::move(config), rng) {}

HttpServer::~HttpServer() {
  if (listener_.valid()) listener_.close();
  for (auto& [id, conn] : connections_) conn->detach();
}

void HttpServer::start() {
  if (started_) throw std::logic_error("http server: already started");
  listener_ = stack_.listen(config_.port, config_.backlog, *this);
  started_ = true;
}

void HttpServer::stop() {
  if (listener_.valid()) listener_.close();
}

void HttpServer::on_acceptable(tcp::Listener& l) {
  while (l.pending() > 0) {
    const std::uint64_t id = next_id_++;
    ServerConnectionOwner& owner = *this;
    auto conn = std::make_unique<ServerConnection>(sim_, *site_, config_, stats_, rng_, owner, id);
    const std::optional<tcp::Socket> s = l.accept(*conn);
    if (!s) break;
    ServerConnection& ref = *conn;
    connections_.emplace(id, std::move(conn));
    ref.start(*s);
  }
}

void HttpServer::on_connection_done(std::uint64_t id) {
  done_.push_back(id);
  schedule_reap();
}

void HttpServer::on_h2_preface(std::uint64_t id, tcp::Socket socket) {
  const auto it = connections_.find(id);
  if (it == connections_.end()) return;
  ServerConnectionOwner& owner = *this;
  replaced_.push_back(std::exchange(it->second, std::make_unique<h2::ServerConnection>(sim_, *site_, config_, stats_,
                                                                                       rng_, owner, id)));
  it->second->start(socket);
  schedule_reap();
}

void HttpServer::schedule_reap() {
  if (!reap_timer_.armed()) reap_timer_.arm_in(Duration::zero(), [this] { reap(); });
}

void HttpServer::reap() {
  std::vector<std::uint64_t> done;
  done.swap(done_);
  for (const std::uint64_t id : done) connections_.erase(id);
  replaced_.clear();
}

}  // namespace wiresim::http
