#include "wiresim/http/server_reply.hpp"

#include <fmt/format.h>

#include "wiresim/http/conditional.hpp"
#include "wiresim/http/mime.hpp"
#include "wiresim/http/writer.hpp"

namespace wiresim::http {
namespace {

/// Server and Date: on every response (RFC 9110 §6.6.1, §10.2.4).
void add_common_fields(Headers& h, const HttpServerConfig& config, std::string_view date) {
  if (!config.server_name.empty()) h.add("Server", config.server_name);
  h.add("Date", std::string(date));
}

Headers common_fields(const HttpServerConfig& config, std::string_view date) {
  Headers h;
  add_common_fields(h, config, date);
  return h;
}

/// RFC 9112 §9.3: does the connection persist after answering `request`?
bool keeps_alive(const HttpServerConfig& config, const Request& request) {
  return config.keep_alive_timeout > Duration::zero() && !wants_close(request);
}

// ---- IIS 10 ----

/// Last-Modified, ETag, then Server and Date: the validators of a file (RFC 9110 §8.8).
Headers iis_file_fields(const SiteFile& file, const HttpServerConfig& config, std::string_view date) {
  Headers h;
  h.add("Last-Modified", file.last_modified_text);
  h.add("ETag", file.etag);
  add_common_fields(h, config, date);
  return h;
}

/// The Connection field that tells the client what happens next (RFC 9112 §9.6, §C.2.2):
/// IIS names it only when it closes, or to an HTTP/1.0 keep-alive client.
void iis_connection_field(ServerReply& reply, const Request& request) {
  if (reply.close) {
    reply.response.headers.add("Connection", "close");
  } else if (request.version == Version::kHttp10) {
    reply.response.headers.add("Connection", "keep-alive");
  }
}

Response iis_file_response(const SiteFile& file, const Request& request, const HttpServerConfig& config,
                           std::string_view date) {
  if (is_not_modified(request.headers, file.etag, file.last_modified)) {
    return make_not_modified(iis_file_fields(file, config, date));
  }
  return make_response(200, file.content_type, file.body, iis_file_fields(file, config, date));
}

// ---- nginx 1.22 ----

/// nginx's ETag: "%xT-%xO", the file's mtime and size in hex (ngx_http_set_etag).
std::string nginx_etag(const SiteFile& file) {
  return fmt::format("\"{:x}-{:x}\"", file.last_modified, file.body.size());
}

/// ngx_http_error_pages[] titles where nginx's differ from RFC 9110's reason phrase.
std::string nginx_error_title(int status) {
  if (status == 405) return "405 Not Allowed";
  if (status == 413) return "413 Request Entity Too Large";
  if (status == 414) return "414 Request-URI Too Large";
  return fmt::format("{} {}", status, reason_phrase(status));
}

/// The error page of ngx_http_special_response.c: the status page, the
/// "nginx/1.22.1" tail, and with msie_padding (on by default) six comment
/// lines when the client is MSIE or Chrome, so that neither replaces a
/// short error page with its own "friendly" one.
std::string nginx_error_page(int status, const HttpServerConfig& config, bool padding) {
  const std::string title = nginx_error_title(status);
  std::string page = fmt::format(
      "<html>\r\n<head><title>{0}</title></head>\r\n<body>\r\n<center><h1>{0}</h1></center>\r\n"
      "<hr><center>{1}</center>\r\n</body>\r\n</html>\r\n",
      title, config.server_name);
  if (padding) {
    for (int i = 0; i < 6; ++i) page += "<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n";
  }
  return page;
}

/// ngx_http_headers_in: r->headers_in.msie / .chrome, from the User-Agent.
bool nginx_pads_for(const Request* request) {
  if (request == nullptr) return false;
  const std::string_view ua = request->headers.get("User-Agent").value_or("");
  return ua.find("MSIE ") != std::string_view::npos || ua.find("Chrome/") != std::string_view::npos;
}

/// Room for every field nginx_response adds (Server, Date, the entity's
/// three, Connection, ETag, Accept-Ranges) and a few the config adds.
constexpr std::size_t kNginxFieldRoom = 12;

/// The fields in the order ngx_http_header_filter writes them.
Response nginx_response(int status, const SiteFile* file, std::string_view content_type, Body body,
                        bool close, const HttpServerConfig& config, std::string_view date, bool with_entity) {
  Response r;
  r.status = status;
  r.reason = status == 405 ? "Not Allowed" : std::string(reason_phrase(status));
  r.headers.reserve(kNginxFieldRoom);
  add_common_fields(r.headers, config, date);
  if (with_entity) {
    r.headers.add("Content-Type", std::string(content_type));
    r.headers.add("Content-Length", std::to_string(body.size()));
  }
  if (file != nullptr) r.headers.add("Last-Modified", file->last_modified_text);
  r.headers.add("Connection", close ? "close" : "keep-alive");
  if (file != nullptr) {
    r.headers.add("ETag", nginx_etag(*file));
    if (status == 200) r.headers.add("Accept-Ranges", "bytes");
  }
  r.body = std::move(body);
  return r;
}

Response nginx_error(int status, const Request* request, bool close, const HttpServerConfig& config,
                     std::string_view date) {
  Body page(nginx_error_page(status, config, nginx_pads_for(request)));
  return nginx_response(status, nullptr, "text/html", std::move(page), close, config, date, true);
}

Response nginx_reply(const Site& site, const HttpServerConfig& config, const Request& request, bool close,
                     std::string_view date) {
  if (request.method != "GET" && request.method != "HEAD") return nginx_error(405, &request, close, config, date);
  const SiteLookup found = site.lookup(request.target);
  if (found.status == LookupStatus::kNotFound) return nginx_error(404, &request, close, config, date);
  if (found.status != LookupStatus::kFound) {
    return nginx_error(found.status == LookupStatus::kForbidden ? 403 : 400, &request, close, config, date);
  }
  const SiteFile& file = *found.file;
  if (is_not_modified(request.headers, nginx_etag(file), file.last_modified)) {
    return nginx_response(304, &file, "", Body(), close, config, date, false);
  }
  // mime.types gives the bare media type; the charset directive (off by default) would add a parameter.
  return nginx_response(200, &file, media_type(file.content_type), file.body, close, config, date, true);
}

// ---- either ----

int lookup_error_status(LookupStatus status) {
  switch (status) {
    case LookupStatus::kBadTarget: return 400;
    case LookupStatus::kForbidden: return 403;
    case LookupStatus::kNotFound:
    case LookupStatus::kFound: break;
  }
  return 404;
}

Response iis_reply(const Site& site, const HttpServerConfig& config, const Request& request, std::string_view date) {
  if (request.method != "GET" && request.method != "HEAD") {
    Headers extra{{"Allow", "GET, HEAD"}};
    add_common_fields(extra, config, date);
    return make_error_response(405, extra);
  }
  const SiteLookup found = site.lookup(request.target);
  if (found.status == LookupStatus::kFound) return iis_file_response(*found.file, request, config, date);
  return make_error_response(lookup_error_status(found.status), common_fields(config, date));
}

}  // namespace

ServerReply reply_to(const Site& site, const HttpServerConfig& config, const Request& request, std::string_view date) {
  ServerReply reply;
  reply.head_only = request.method == "HEAD";
  reply.close = !keeps_alive(config, request);
  switch (config.software) {
    case ServerSoftware::kNginx:
      reply.response = nginx_reply(site, config, request, reply.close, date);
      break;
    case ServerSoftware::kIis:
      reply.response = iis_reply(site, config, request, date);
      iis_connection_field(reply, request);
      break;
  }
  return reply;
}

ServerReply reply_to_error(const HttpServerConfig& config, ParseError error, std::string_view date) {
  ServerReply reply;
  reply.close = true;
  switch (config.software) {
    case ServerSoftware::kNginx:
      reply.response = nginx_error(response_status(error), nullptr, true, config, date);
      break;
    case ServerSoftware::kIis: {
      Headers extra = common_fields(config, date);
      extra.add("Connection", "close");
      reply.response = make_error_response(response_status(error), extra);
      break;
    }
  }
  return reply;
}

HttpServerConfig iis_server() {
  HttpServerConfig c;
  c.software = ServerSoftware::kIis;
  c.server_name = "Microsoft-IIS/10.0";
  c.keep_alive_timeout = Duration::seconds(120);  // IIS: limits/connectionTimeout, 00:02:00
  c.processing_delay = DelayRange(Duration::microseconds(200), Duration::microseconds(500));
  return c;
}

HttpServerConfig nginx_server() {
  HttpServerConfig c;
  c.software = ServerSoftware::kNginx;
  c.server_name = "nginx/1.22.1";
  c.keep_alive_timeout = Duration::seconds(65);  // Debian's nginx.conf: keepalive_timeout 65
  c.processing_delay = DelayRange(Duration::microseconds(150), Duration::microseconds(250));
  c.tcp_nodelay = true;  // ngx_http_set_keepalive: tcp_nodelay on (the default)
  c.tcp_nopush = true;   // ../shared/reference/nginx.conf: sendfile on; tcp_nopush on;
  return c;
}

std::optional<HttpServerConfig> server_profile_by_name(std::string_view name) {
  if (name == "iis") return iis_server();
  if (name == "nginx") return nginx_server();
  return std::nullopt;
}

}  // namespace wiresim::http
