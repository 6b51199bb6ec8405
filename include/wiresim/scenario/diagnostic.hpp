#pragma once
/// Problems found while loading a scenario, each tied to where it came from:
/// a position in the scenario file, or a `--set` override on the command line.

#include <string>
#include <vector>

namespace wiresim::scenario {

/// Where a value came from.
struct SourceLocation {
  std::string origin;  ///< the scenario file path as given, or an override ("--set k=v")
  int line = 0;        ///< 1-based; 0 when the origin has no positions (overrides)
  int column = 0;      ///< 1-based; 0 when line is 0
  int source = 0;      ///< order of origins: 0 = the scenario file, n = the n-th override

  bool operator==(const SourceLocation&) const = default;
};

/// One problem. `message` reads "WHAT (expected ...)" or "WHAT (did you mean ...?)".
struct Diagnostic {
  SourceLocation where;
  std::string message;

  bool operator==(const Diagnostic&) const = default;
};

/// "FILE:LINE:COL" or, without a position, just the origin.
std::string to_string(const SourceLocation& where);
/// "LINE:COL" for a file position, or the origin of an override; used inside
/// messages that point back at an earlier definition.
std::string short_location(const SourceLocation& where);
/// "FILE:LINE:COL: error: MESSAGE".
std::string to_string(const Diagnostic& d);
/// "FILE:LINE:COL: warning: MESSAGE".
std::string warning_text(const Diagnostic& d);

/// Orders diagnostics as a reader meets them: the file's in line and column
/// order, then each override's in command-line order. Stable: problems at
/// one position keep the order they were found in.
void sort_diagnostics(std::vector<Diagnostic>& diagnostics);

}  // namespace wiresim::scenario
