#include "wiresim/scenario/output_dir.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <system_error>
#include <variant>

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <fmt/format.h>

#include "wiresim/scenario/scenario.hpp"

namespace wiresim::scenario {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTempTag = ".tmp-";
constexpr std::string_view kOldTag = ".old-";
/// A manifest larger than this is not ours (ours name each file once).
constexpr std::uintmax_t kMaxManifestBytes = 64u << 20;

/// `.<leaf><tag><pid>` next to `final_path`.
fs::path sibling(const fs::path& final_path, std::string_view tag, long pid) {
  return final_path.parent_path() / ("." + final_path.filename().string() + std::string(tag) + std::to_string(pid));
}

/// The pid in a name `prefix<digits>`, or -1 if the name has another shape.
long pid_in_name(const std::string& name, const std::string& prefix) {
  if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) return -1;
  long pid = 0;
  for (std::size_t i = prefix.size(); i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9' || pid > 100'000'000) return -1;
    pid = pid * 10 + (name[i] - '0');
  }
  return pid;
}

bool process_has_ended(long pid) { return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH; }

/// Swaps the names of two existing paths in one step, if the system can.
bool exchange(const fs::path& a, const fs::path& b) {
#ifdef RENAME_EXCHANGE
  return ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0;
#else
  (void)a;
  (void)b;
  return false;
#endif
}

/// `p` made absolute with every symbolic link of its existing part resolved.
fs::path resolved(const fs::path& p) {
  std::error_code ec;
  fs::path r = fs::weakly_canonical(fs::absolute(p, ec), ec);
  return ec ? fs::absolute(p).lexically_normal() : r;
}

/// Whether `outer` is `inner` or one of its ancestors (both resolved).
bool contains(const fs::path& outer, const fs::path& inner) {
  auto o = outer.begin();
  auto i = inner.begin();
  for (; o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // a trailing separator
    if (i == inner.end() || *o != *i) return false;
  }
  return true;
}

/// The folders no output may be or contain, whatever the scenario.
std::vector<ProtectedPath> always_protected() {
  std::vector<ProtectedPath> out{{"/", "the root folder"}};
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (!ec) out.push_back({cwd, "the current folder"});
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') out.push_back({home, "the home folder"});
  if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr && pw->pw_dir != nullptr && *pw->pw_dir != '\0') {
    out.push_back({pw->pw_dir, "the home folder"});
  }
  return out;
}

/// `path` without trailing separators or dots, checked to be usable as an output folder.
fs::path checked_final_path(const fs::path& path, const std::string& label) {
  fs::path p = path.lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  if (p.empty() || p.filename() == "." || p.filename() == ".." || p == p.root_path()) {
    throw OutputRefused(fmt::format("{} '{}' has no folder name of its own; choose a new or empty folder", label,
                                    path.string()));
  }
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(p, ec);
  if (fs::is_symlink(st)) {
    throw OutputRefused(fmt::format("{} '{}' is a symbolic link; name a real folder (wiresim replaces what it names)",
                                    label, p.string()));
  }
  if (fs::exists(st) && !fs::is_directory(st)) {
    throw OutputRefused(fmt::format("{} '{}' exists and is not a folder", label, p.string()));
  }
  return p;
}

void check_not_protected(const fs::path& final_path, const std::string& label, const std::vector<ProtectedPath>& keep) {
  const fs::path out = resolved(final_path);
  auto check = [&](const ProtectedPath& p) {
    if (p.path.empty()) return;
    const fs::path kept = resolved(p.path);
    if (contains(out, kept)) {
      throw OutputRefused(fmt::format("{} '{}' is or contains {} ({}); choose another folder", label,
                                      final_path.string(), p.what, kept.string()));
    }
  };
  for (const ProtectedPath& p : always_protected()) check(p);
  for (const ProtectedPath& p : keep) check(p);
}

/// The first line of `file` if it is a regular file (not a link) of sane size.
std::optional<std::string> manifest_header(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(file, ec))) return std::nullopt;
  const std::uintmax_t size = fs::file_size(file, ec);
  if (ec || size > kMaxManifestBytes) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  return line;
}

bool is_ours(const fs::path& folder) {
  return manifest_header(folder / OutputDir::kManifestName) == std::string(OutputDir::kManifestHeader);
}

/// The names a manifest lists (folders end in '/'); empty if it is not ours.
std::set<std::string> manifest_entries(const fs::path& folder) {
  std::set<std::string> out;
  if (!is_ours(folder)) return out;
  std::ifstream in(folder / OutputDir::kManifestName, std::ios::binary);
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#') out.insert(line);
  }
  return out;
}

/// Every entry below `folder` as manifest names (folders end in '/'), sorted;
/// symbolic links and special files come out with a trailing '@'. Throws
/// OutputRefused past kMaxEntries.
std::vector<std::string> walk(const fs::path& folder, const std::string& label) {
  std::vector<std::string> out;
  for (auto it = fs::recursive_directory_iterator(folder); it != fs::recursive_directory_iterator(); ++it) {
    if (out.size() >= OutputDir::kMaxEntries) {
      throw OutputRefused(fmt::format("{} '{}' holds more than {} entries; choose a new or empty folder", label,
                                      folder.string(), OutputDir::kMaxEntries));
    }
    const fs::file_status st = it->symlink_status();
    std::string name = it->path().lexically_relative(folder).generic_string();
    if (fs::is_directory(st)) {
      name += '/';
    } else if (!fs::is_regular_file(st)) {
      name += '@';
      it.disable_recursion_pending();
    }
    out.push_back(std::move(name));
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// Throws OutputRefused unless `folder` (an existing folder) may be replaced:
/// it is empty, or it is a wiresim output holding nothing but what its
/// manifest lists.
void check_replaceable(const fs::path& folder, const std::string& label) {
  std::error_code ec;
  if (fs::is_empty(folder, ec) && !ec) return;
  if (!is_ours(folder)) {
    std::size_t n = 0;
    for (auto it = fs::directory_iterator(folder); it != fs::directory_iterator() && n < OutputDir::kMaxEntries; ++it) {
      ++n;
    }
    throw OutputRefused(fmt::format(
        "{} '{}' exists and is not a wiresim output folder (it holds {} entr{}); choose a new or empty folder", label,
        folder.string(), n, n == 1 ? "y" : "ies"));
  }
  const std::set<std::string> listed = manifest_entries(folder);
  std::vector<std::string> foreign;
  for (const std::string& name : walk(folder, label)) {
    if (name != OutputDir::kManifestName && listed.count(name) == 0) foreign.push_back(name);
  }
  if (foreign.empty()) return;
  std::string shown;
  for (std::size_t i = 0; i < foreign.size() && i < 3; ++i) {
    if (i > 0) shown += ", ";
    shown += foreign[i];
  }
  if (foreign.size() > 3) shown += ", ...";
  throw OutputRefused(fmt::format(
      "{} '{}' is a wiresim output folder but holds {} entr{} that wiresim did not write ({}); move {} away or "
      "choose another folder",
      label, folder.string(), foreign.size(), foreign.size() == 1 ? "y" : "ies", shown,
      foreign.size() == 1 ? "it" : "them"));
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw fs::filesystem_error("cannot write", file, std::make_error_code(std::errc::io_error));
}

/// Removes `folder` if it is one of ours; refuses to touch anything else.
void remove_ours(const fs::path& folder, const std::string& label) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(folder, ec))) return;
  if (!fs::is_directory(fs::symlink_status(folder, ec)) || !is_ours(folder)) {
    throw OutputRefused(fmt::format("{}: '{}' is in the way and was not made by wiresim; move it away", label,
                                    folder.string()));
  }
  fs::remove_all(folder);
}

}  // namespace

std::vector<ProtectedPath> scenario_inputs(const Scenario& scenario, const fs::path& scenario_file) {
  std::vector<ProtectedPath> out;
  if (!scenario_file.empty()) out.push_back({scenario_file, "the scenario file"});
  for (const AppSpec& app : scenario.apps) {
    if (const auto* server = std::get_if<HttpServerApp>(&app.config)) {
      out.push_back({server->site, fmt::format("the site folder of app '{}'", app.name)});
    }
  }
  return out;
}

OutputDir::OutputDir(const fs::path& final_path, const std::vector<ProtectedPath>& keep, const std::string& label)
    : final_(checked_final_path(final_path, label)), label_(label) {
  check_not_protected(final_, label_, keep);
  std::error_code ec;
  if (fs::exists(fs::symlink_status(final_, ec))) check_replaceable(final_, label_);
  if (final_.has_parent_path()) fs::create_directories(final_.parent_path());
  const long pid = static_cast<long>(::getpid());
  temp_ = sibling(final_, kTempTag, pid);
  remove_stale_siblings();
  remove_ours(temp_, label_);  // left by an earlier process with our pid
  fs::create_directory(temp_);
  write_text(temp_ / kManifestName, std::string(kManifestHeader) + "\n# unfinished: wiresim is still writing here\n");
}

OutputDir::~OutputDir() { discard(); }

void OutputDir::commit() {
  if (committed_ || discarded_) throw std::logic_error("OutputDir::commit: already committed or discarded");
  std::string manifest = std::string(kManifestHeader) +
                         "\n# Written by wiresim, which replaces this folder on the next run into it only while\n"
                         "# it holds nothing but what is listed here. Everything it wrote:\n";
  for (const std::string& name : walk(temp_, label_)) {
    if (name != kManifestName) manifest += name + "\n";
  }
  write_text(temp_ / kManifestName, manifest);
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(final_, ec))) {
    fs::rename(temp_, final_);
  } else {
    checked_final_path(final_, label_);  // not turned into a link or a file meanwhile
    check_replaceable(final_, label_);   // nothing added meanwhile
    if (exchange(temp_, final_)) {
      fs::remove_all(temp_, ec);  // now the previous output, checked above
    } else {
      // Two steps: there is a moment without final_, but never a mixed folder.
      const fs::path old = sibling(final_, kOldTag, static_cast<long>(::getpid()));
      remove_ours(old, label_);
      fs::rename(final_, old);
      try {
        fs::rename(temp_, final_);
      } catch (const fs::filesystem_error&) {
        fs::rename(old, final_, ec);
        throw;
      }
      fs::remove_all(old, ec);
    }
  }
  committed_ = true;
}

void OutputDir::discard() noexcept {
  if (committed_ || discarded_) return;
  std::error_code ec;
  if (is_ours(temp_)) fs::remove_all(temp_, ec);
  discarded_ = true;
}

void OutputDir::remove_stale_siblings() const {
  // Only unfinished outputs: a ".old-" folder of a commit that was cut short
  // may be the only copy of the previous output, so it stays. The order
  // entries are visited in does not matter.
  const fs::path parent = final_.has_parent_path() ? final_.parent_path() : fs::path(".");
  const std::string leaf = "." + final_.filename().string();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const std::string name = entry.path().filename().string();
    if (!process_has_ended(pid_in_name(name, leaf + std::string(kTempTag)))) continue;
    if (fs::is_directory(entry.symlink_status(ec)) && is_ours(entry.path())) fs::remove_all(entry.path(), ec);
  }
}

}  // namespace wiresim::scenario
