#pragma once
/// The hosts that browser and curl URLs name, checked against the scenario.
///
/// There is no DNS in the model: a URL's host is either a dotted IPv4
/// address that some interface of the scenario has, or the name of one of
/// the scenario's hosts, which stands for that host's `address` (as an
/// /etc/hosts entry would; names compare without regard to case, as DNS
/// names do, RFC 4343). The request's Host field keeps the name as written
/// (RFC 9110 §7.2), so `http://server/` sends `Host: server`. Anything else
/// is an error. A URL whose host runs no http_server, or none on the URL's
/// port, is valid but every load of it will fail: a warning.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "wiresim/scenario/config_node.hpp"
#include "wiresim/scenario/read_context.hpp"
#include "wiresim/scenario/scenario.hpp"

namespace wiresim::scenario {

/// The host and port of an http URL that check_http_url() accepted: the
/// host in lower case, the port 80 when the URL gives none.
struct UrlHost {
  std::string host;
  std::uint16_t port = 80;
};
[[nodiscard]] UrlHost url_host(std::string_view url);

/// The scenario hosts by the names a URL may give them: a lower-case name
/// stands for the host of exactly that name, else for the first host (in
/// file order) whose name equals it without regard to case. Built once:
/// lookups are O(log n), so 100,000 hosts cost no quadratic time.
class HostNames {
 public:
  explicit HostNames(const std::vector<HostSpec>& hosts);
  /// The host `name` (already lower case) stands for; nullopt if none.
  [[nodiscard]] std::optional<std::string> find(std::string_view name) const;

 private:
  std::map<std::string, std::string, std::less<>> by_lower_;
};

/// Checks the URL of every browser and curl app of `s` (read from `root`,
/// whose `apps` give the positions): errors into ctx.fields, warnings into
/// ctx.warnings.
void check_app_urls(ReadContext& ctx, const ConfigNode& root, const Scenario& s);

}  // namespace wiresim::scenario
