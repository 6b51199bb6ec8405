#pragma once
/// An output folder that appears atomically (DESIGN.md: outputs are atomic)
/// and never takes anything with it that wiresim did not write.
///
/// A run writes into a temporary sibling of the final folder,
/// `<parent>/.<leaf>.tmp-<pid>`, and commit() moves it into place, replacing
/// a previous output. Until then the previous output is untouched; if the
/// object is destroyed without commit() (failure, exception, interruption),
/// the temporary folder is removed.
///
/// What may be replaced: a folder that does not exist, an empty folder, or
/// a folder that wiresim wrote and nobody added to since. Every committed
/// output holds a manifest, `.wiresim-output`, whose first line is
/// `wiresim-output 1` and whose other lines name every file and folder
/// wiresim wrote there; a folder with anything else in it (a user's file, a
/// symbolic link, a missing or foreign manifest) is refused with
/// OutputRefused, and so is a path that is, or contains, one of the
/// protected inputs (the root, the home and current folders, the scenario
/// file, the sites it serves). The temporary folders carry the same
/// manifest header from the start, so stale ones are recognised as ours.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace wiresim::scenario {

struct Scenario;

/// The output folder may not be used: bad input (exit 2), nothing touched.
class OutputRefused : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// A path an output folder must neither be nor contain.
struct ProtectedPath {
  std::filesystem::path path;
  std::string what;  ///< how the error names it, e.g. "the scenario file"
};

/// The scenario file and every site folder the scenario serves.
[[nodiscard]] std::vector<ProtectedPath> scenario_inputs(const Scenario& scenario,
                                                         const std::filesystem::path& scenario_file);

class OutputDir {
 public:
  /// The manifest's name inside every output folder wiresim writes.
  static constexpr const char* kManifestName = ".wiresim-output";
  /// Its first line: the format of the folder's marking.
  static constexpr const char* kManifestHeader = "wiresim-output 1";
  /// At most this many entries are read in a folder that would be replaced;
  /// a larger one is refused rather than walked without end.
  static constexpr std::size_t kMaxEntries = 1'000'000;

  /// Prepares to produce `final_path`: checks it (OutputRefused, see the
  /// file comment; `keep` adds to the always-protected root, home and
  /// current folders), creates its parent folders and an empty temporary
  /// folder next to it (removing one of ours left by a process that no
  /// longer exists). Errors name the folder as `label` (e.g. "--out").
  /// Throws std::filesystem::filesystem_error on failure.
  explicit OutputDir(const std::filesystem::path& final_path, const std::vector<ProtectedPath>& keep = {},
                     const std::string& label = "output folder");
  ~OutputDir();
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;

  /// The temporary folder to write into (until commit()).
  [[nodiscard]] const std::filesystem::path& path() const { return temp_; }
  /// Where the output appears on commit().
  [[nodiscard]] const std::filesystem::path& final_path() const { return final_; }
  [[nodiscard]] bool committed() const { return committed_; }

  /// Writes the manifest of what the temporary folder holds, checks again
  /// that a previous output may still be replaced (OutputRefused if
  /// something was added to it meanwhile; the new output is then discarded),
  /// and moves the temporary folder to final_path() (atomically where the
  /// file system can exchange two names). Throws
  /// std::filesystem::filesystem_error on failure, in which case the previous
  /// output is still in place. Calling it twice is an error (std::logic_error).
  void commit();
  /// Removes the temporary folder now; the object is then spent. Idempotent.
  void discard() noexcept;

 private:
  /// Removes `.<leaf>.tmp-<pid>` siblings that are ours and whose process
  /// has ended (killed before it could clean up).
  void remove_stale_siblings() const;

  std::filesystem::path final_;
  std::filesystem::path temp_;
  std::string label_;
  bool committed_ = false;
  bool discarded_ = false;
};

}  // namespace wiresim::scenario
