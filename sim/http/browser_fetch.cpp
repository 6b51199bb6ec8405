// Browser: pools, connections, requests and responses. Connection
// callbacks only record what happened and schedule a pump; all decisions
// (what goes where, what is opened, when a page ends) are made in pump(),
// outside any TCP callback.

#include <algorithm>

#include "wiresim/http/browser.hpp"
#include "wiresim/http/digest.hpp"

namespace wiresim::http {
namespace {

constexpr int kMaxAttempts = 2;  ///< a request is sent at most twice (one retry)

}  // namespace

// ---- pools ----

/// The pool of the server `url` names, made on first use; nullptr (and
/// `error`) if its host cannot be resolved.
ConnectionPool* Browser::pool_for(const Url& url, std::string& error) {
  std::optional<wire::Ipv4Address> addr;
  if (url.host_is_ipv4()) {
    addr = wire::Ipv4Address::parse(url.host);
  } else if (const auto it = config_.hosts.find(url.host); it != config_.hosts.end()) {
    addr = it->second;
  }
  if (!addr) {
    error = "cannot resolve host '" + url.host + "'";
    return nullptr;
  }
  std::string server = addr->to_string() + ":" + std::to_string(url.port);
  auto it = pools_.find(server);
  if (it == pools_.end()) {
    auto pool = std::make_unique<ConnectionPool>(server, *addr, url.port, config_.profile.max_connections);
    it = pools_.emplace(std::move(server), std::move(pool)).first;
  }
  return it->second.get();
}

void Browser::enqueue(std::size_t object) {
  Fetch& f = page_->fetches[object];
  if (!f.priority) f.priority = page_->priorities.next(f.info);  // Blink: when the fetch starts
  current().objects[object].queued = sim_.now();
  f.queue_seq = next_queue_seq_++;
  f.pool->waiting().push_back(tag_of(object));
  schedule_pump();
}

/// Puts a request back in its queue at the place its first queuing gave it.
void Browser::requeue(std::size_t object) {
  const Fetch& f = page_->fetches[object];
  std::deque<std::uint64_t>& waiting = f.pool->waiting();
  const auto pos = std::find_if(waiting.begin(), waiting.end(), [&](std::uint64_t tag) {
    const std::optional<std::size_t> other = object_of(tag);
    return other && page_->fetches[*other].queue_seq > f.queue_seq;
  });
  waiting.insert(pos, tag_of(object));
  schedule_pump();
}

bool Browser::any_unsettled_connection() const {
  return std::any_of(pools_.begin(), pools_.end(), [](const auto& p) { return p.second->unsettled() > 0; });
}

// ---- the pump ----

void Browser::schedule_pump() {
  if (!pump_timer_.armed()) pump_timer_.arm_in(Duration::zero(), [this] { pump(); });
}

void Browser::pump() {
  release_held();
  for (auto& [server, pool] : pools_) dispatch(*pool);
  check_page();  // may queue icons after the load event
  for (auto& [server, pool] : pools_) dispatch(*pool);
  for (auto& [server, pool] : pools_) pool->reap();
  check_finished();
}

/// Gives waiting requests connections (ConnectionPool's rules), then opens
/// the speculative connections asked for.
void Browser::dispatch(ConnectionPool& pool) {
  std::deque<std::uint64_t>& waiting = pool.waiting();
  while (!waiting.empty()) {
    const std::optional<std::size_t> object = object_of(waiting.front());
    if (!object || current().objects[*object].complete()) {
      waiting.pop_front();  // stale: from an ended load, or already failed
      continue;
    }
    ClientConnection* c = pool.idle_connection();
    if (c == nullptr && pool.may_open_for_waiting()) {
      if (!may_connect_now()) break;
      last_connect_ = sim_.now();
      next_connect_at_.reset();
      std::string error;
      if (!open_connection(pool, false, error)) {
        waiting.pop_front();
        fail(*object, error);
      }
      continue;
    }
    if (c == nullptr) c = pool.pipeline_connection();
    if (c == nullptr) break;
    waiting.pop_front();
    send(*object, *c);
  }
  for (int n = pool.take_preconnects(); n > 0 && pool.below_limit(); --n) {
    std::string error;
    open_connection(pool, true, error);
  }
  pool.flush();
}

/// Whether the client is done with its previous connect (connect_delay
/// after it); if not, the pump runs again when it is. The delay is drawn
/// only when a next connect is wanted, so a client that opens one
/// connection takes no draw for it.
bool Browser::may_connect_now() {
  if (!last_connect_) return true;
  if (!next_connect_at_) next_connect_at_ = *last_connect_ + config_.profile.connect_delay.draw(rng_);
  if (sim_.now() >= *next_connect_at_) return true;
  if (!connect_timer_.armed()) connect_timer_.arm_at(*next_connect_at_, [this] { pump(); });
  return false;
}

bool Browser::open_connection(ConnectionPool& pool, bool preconnect, std::string& error) {
  ConnectionRecord& record = records_.emplace_back();
  record.id = records_.size();
  record.server = pool.server();
  record.preconnect = preconnect;
  record.page = static_cast<std::uint32_t>(results_.size());
  ClientConnectionHandler& handler = *this;
  auto c = std::make_unique<ClientConnection>(sim_, handler, record, connection_options_);
  c->set_reaction_delay(config_.profile.request_delay.draw(rng_));
  try {
    c->open(stack_, pool.address(), pool.port());
  } catch (const std::runtime_error& e) {
    error = "cannot connect to " + pool.server() + ": " + e.what();
    record.error = error;
    record.released = sim_.now();
    return false;
  }
  pool.adopt(std::move(c));
  if (page_) ++current().connections_opened;
  return true;
}

void Browser::send(std::size_t object, ClientConnection& c) {
  ObjectResult& o = current().objects[object];
  const ConnectionRecord& rec = c.record();
  o.request_sent = sim_.now();
  o.first_byte.reset();
  o.connection = rec.id;
  o.local_port = rec.local_port;
  ++o.attempts;
  // The connect phase is this request's if it waited for the connection to open.
  const bool waited_for_connect = rec.requests == 0 && rec.established && o.queued && *rec.established > *o.queued;
  o.connect_start = waited_for_connect ? std::optional<Time>(rec.opened) : std::nullopt;
  o.connect_end = waited_for_connect ? rec.established : std::nullopt;
  const Fetch& f = page_->fetches[object];
  // Only the document and stylesheets are scanned for what they reference;
  // of any other body the result keeps its size and digest, unless asked
  // to keep bodies (the HTTP/1.1 reader then digests it without storing it).
  const bool keep_body = config_.keep_bodies || o.is_document() || o.kind == ResourceKind::kStylesheet;
  c.send_request(tag_of(object), o.request, f.request_bytes, config_.profile.request_delay.draw(rng_),
                 f.priority.value_or(h2::StreamPriority{}), keep_body);
}

void Browser::fail(std::size_t object, const std::string& error) {
  ObjectResult& o = current().objects[object];
  if (o.complete()) return;
  o.error = error;
  o.end = sim_.now();
  schedule_pump();
}

// ---- tags ----

std::uint64_t Browser::tag_of(std::size_t object) const {
  return (static_cast<std::uint64_t>(results_.size()) << 32) | static_cast<std::uint64_t>(object);
}

std::optional<std::size_t> Browser::object_of(std::uint64_t tag) const {
  if (!page_ || (tag >> 32) != results_.size()) return std::nullopt;
  const auto object = static_cast<std::size_t>(tag & 0xffffffffu);
  if (object >= current().objects.size()) return std::nullopt;
  return object;
}

// ---- what connections report ----

void Browser::on_connection_ready(ClientConnection& /*c*/) { schedule_pump(); }

void Browser::on_released(ClientConnection& /*c*/) { schedule_pump(); }

void Browser::on_settled(ClientConnection& /*c*/) { schedule_pump(); }

Duration Browser::read_delay() { return config_.profile.read_delay.draw(read_rng_); }

/// A connection opened for waiting requests failed: the oldest waiting one
/// fails with it (as Chromium binds a failed connect job's error to a
/// request). A speculative connection fails silently.
void Browser::on_connect_failed(ClientConnection& c, const std::string& error) {
  schedule_pump();
  if (c.record().preconnect) return;
  const auto it = pools_.find(c.record().server);
  if (it == pools_.end()) return;
  std::deque<std::uint64_t>& waiting = it->second->waiting();
  while (!waiting.empty()) {
    const std::optional<std::size_t> object = object_of(waiting.front());
    waiting.pop_front();
    if (object && !current().objects[*object].complete()) return fail(*object, error);
  }
}

void Browser::on_response_progress(ClientConnection& /*c*/, std::uint64_t tag, const Response* head,
                                   std::string_view body_so_far) {
  const std::optional<std::size_t> object = object_of(tag);
  if (!object) return;
  ObjectResult& o = current().objects[*object];
  if (!o.first_byte) o.first_byte = sim_.now();
  if (o.is_document() && !current().first_byte) current().first_byte = sim_.now();
  if (head == nullptr) return;
  start_scanner(*object, *head);
  discover(*object, body_so_far, false);
}

void Browser::on_response(ClientConnection& /*c*/, std::uint64_t tag, Parsed<Response>&& response) {
  const std::optional<std::size_t> object = object_of(tag);
  if (!object) return;
  ObjectResult& o = current().objects[*object];
  if (!o.first_byte) o.first_byte = sim_.now();
  o.last_byte = o.end = sim_.now();
  if (o.is_document()) {
    if (!current().first_byte) current().first_byte = sim_.now();
    current().html_complete = sim_.now();
  }
  start_scanner(*object, response.message);
  discover(*object, response.message.body.view(), true);  // may add objects: `o` is stale from here
  record_response(current().objects[*object], std::move(response));
  schedule_pump();
}

/// Takes what the object's result keeps of `r` (its fields are moved, not copied).
void Browser::record_response(ObjectResult& o, Parsed<Response>&& r) {
  Response& m = r.message;
  o.status = m.status;
  o.reason = std::move(m.reason);
  o.response_version = m.version;
  o.content_type = std::string(m.headers.get("Content-Type").value_or(""));
  o.response_headers = std::move(m.headers);
  o.response_head_size = r.head_size;
  o.body_wire_size = r.body_size;
  // HTTP/1.1 digested the body as it arrived (and may not have kept it);
  // HTTP/2 streams deliver the whole body.
  const BodySummary body = r.summary ? *r.summary : BodySummary{m.body.size(), body_digest(m.body.view())};
  o.body_size = body.size;
  o.body_hash = body.digest;
  if (config_.keep_bodies) o.body = std::move(m.body);
}

void Browser::on_request_failed(ClientConnection& /*c*/, std::uint64_t tag, const std::string& error, bool retryable) {
  const std::optional<std::size_t> object = object_of(tag);
  if (!object) return;
  ObjectResult& o = current().objects[*object];
  if (retryable && o.attempts < kMaxAttempts) {
    o.request_sent.reset();
    o.first_byte.reset();
    o.connect_start.reset();
    o.connect_end.reset();
    return requeue(*object);
  }
  fail(*object, error);
}

}  // namespace wiresim::http
