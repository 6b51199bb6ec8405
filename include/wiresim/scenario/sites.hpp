#pragma once
/// The sites a scenario's http_server apps serve, each read from disk and
/// hashed for its ETags once, then shared read-only: `wiresim compare`
/// loads them once per sweep and every world of every thread serves the
/// same immutable http::Site (DESIGN.md, "Sweeps share what is immutable
/// across runs"). A world built without a SiteSet loads its own.
/// Implemented in sim/scenario/sites.cpp (target wiresim_runner).

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <utility>

#include "wiresim/http/site.hpp"
#include "wiresim/scenario/scenario.hpp"

namespace wiresim::scenario {

/// The Last-Modified date (Unix seconds) of every file `scenario` serves:
/// one day before its t=0, a fixed date that keeps runs reproducible.
[[nodiscard]] std::int64_t site_last_modified(const Scenario& scenario);

class SiteSet {
 public:
  /// Loads each site of `scenario`'s http_server apps not yet here.
  /// Throws std::runtime_error as http::Site::load does.
  void add(const Scenario& scenario);
  /// The site loaded from `dir` dated `last_modified`, or null.
  [[nodiscard]] std::shared_ptr<const http::Site> find(const std::filesystem::path& dir,
                                                       std::int64_t last_modified) const;
  [[nodiscard]] std::size_t size() const { return sites_.size(); }

 private:
  /// (site folder, Last-Modified) -> the loaded site; ordered, never iterated into an output.
  std::map<std::pair<std::filesystem::path, std::int64_t>, std::shared_ptr<const http::Site>> sites_;
};

}  // namespace wiresim::scenario
