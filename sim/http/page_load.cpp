#include "wiresim/http/page_load.hpp"

#include <algorithm>


namespace wiresim::http {
namespace {

HarRequest har_request(const ObjectResult& o) {
  HarRequest r;
  r.method = o.request.method;
  r.url = o.url;
  r.http_version = std::string(to_string(o.request.version));
  r.headers = o.request.headers;
  r.headers_size = o.request_head_size > 0 ? static_cast<std::int64_t>(o.request_head_size) : -1;
  r.body_size = 0;
  return r;
}

HarResponse har_response(const ObjectResult& o) {
  HarResponse r;
  r.status = o.status;
  if (o.status == 0) return r;
  r.status_text = o.reason;
  r.http_version = std::string(to_string(o.response_version));
  r.headers = o.response_headers;
  r.content_size = static_cast<std::int64_t>(o.body_size);
  r.mime_type = o.content_type;
  r.redirect_url = std::string(o.response_headers.get("Location").value_or(""));
  r.headers_size = static_cast<std::int64_t>(o.response_head_size);
  r.body_size = static_cast<std::int64_t>(o.body_wire_size);
  return r;
}

HarPage har_page(const PageLoadResult& p, const HarSource& source) {
  HarPage page;
  page.id = "page_" + std::to_string(p.index);
  page.title = p.url;
  page.started_unix_ns = source.start_unix_ns + p.start.ns();
  if (p.html_complete) page.on_content_load = *p.html_complete - p.start;
  if (p.onload) page.on_load = *p.onload - p.start;
  return page;
}

HarEntry har_entry(const ObjectResult& o, const PageLoadResult& p, const HarSource& source) {
  HarEntry e;
  e.pageref = "page_" + std::to_string(p.index);
  e.started_unix_ns = source.start_unix_ns + o.queued.value_or(o.discovered).ns();
  e.request = har_request(o);
  e.response = har_response(o);
  e.timings = har_timings(o);
  e.server_ip = o.server.substr(0, o.server.find(':'));
  if (o.local_port != 0) e.connection = std::to_string(o.local_port);
  e.error = o.error;
  return e;
}

}  // namespace

std::size_t PageLoadResult::failed_objects() const {
  return static_cast<std::size_t>(
      std::count_if(objects.begin(), objects.end(), [](const ObjectResult& o) { return !o.error.empty(); }));
}

std::optional<Duration> PageLoadResult::time_to_first_byte() const {
  if (!first_byte) return std::nullopt;
  return *first_byte - start;
}

std::optional<Duration> PageLoadResult::page_load_time() const {
  if (!onload || !ok()) return std::nullopt;
  return *onload - start;
}

const ObjectResult* PageLoadResult::find(std::string_view object_url) const {
  const auto it = std::find_if(objects.begin(), objects.end(), [&](const ObjectResult& o) { return o.url == object_url; });
  return it == objects.end() ? nullptr : &*it;
}

HarTimings har_timings(const ObjectResult& o) {
  HarTimings t;
  const Time queued = o.queued.value_or(o.discovered);
  const Time end = std::max(queued, o.end.value_or(o.last_byte.value_or(queued)));
  if (!o.request_sent) {
    t.blocked = end - queued;
    return t;
  }
  const Time sent = std::max(queued, *o.request_sent);
  Duration connect = Duration::zero();
  if (o.connect_start && o.connect_end && *o.connect_end > queued) {
    connect = *o.connect_end - std::max(*o.connect_start, queued);
    t.connect = connect;
  }
  t.blocked = (sent - queued) - connect;
  const Time first = std::min(end, std::max(sent, o.first_byte.value_or(end)));
  t.wait = first - sent;
  t.receive = end - first;
  return t;
}

HarLog to_har(const std::vector<PageLoadResult>& pages, const HarSource& source) {
  HarLog log;
  log.creator_version = source.creator_version;
  log.browser_name = source.browser_name;
  log.browser_version = source.browser_version;
  for (const PageLoadResult& p : pages) {
    log.pages.push_back(har_page(p, source));
    for (const ObjectResult& o : p.objects) log.entries.push_back(har_entry(o, p, source));
  }
  return log;
}

}  // namespace wiresim::http
