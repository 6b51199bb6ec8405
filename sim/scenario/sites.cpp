#include "wiresim/scenario/sites.hpp"

#include <variant>

namespace wiresim::scenario {

std::int64_t site_last_modified(const Scenario& scenario) {
  return scenario.start_time.unix_ns / 1'000'000'000 - 86'400;
}

void SiteSet::add(const Scenario& scenario) {
  const std::int64_t last_modified = site_last_modified(scenario);
  for (const AppSpec& a : scenario.apps) {
    const auto* server = std::get_if<HttpServerApp>(&a.config);
    if (server == nullptr) continue;
    auto key = std::make_pair(server->site, last_modified);
    if (sites_.count(key) != 0) continue;
    sites_.emplace(std::move(key), std::make_shared<const http::Site>(http::Site::load(server->site, last_modified)));
  }
}

std::shared_ptr<const http::Site> SiteSet::find(const std::filesystem::path& dir, std::int64_t last_modified) const {
  const auto it = sites_.find(std::make_pair(dir, last_modified));
  return it == sites_.end() ? nullptr : it->second;
}

}  // namespace wiresim::scenario
