// sshd's configuration as a node has it: the main file, the drop-in folder, and `sshd -T` (effective values),
// read in one SSH command; which file sets each keyword first (sshd keeps the first value it reads, so a
// drop-in only takes effect when the main file includes it before setting the keyword itself); the checked
// spec values and the hainfra-owned drop-in rendered from them.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/result.h"
#include "hainfra/value.h"

namespace hainfra::node {

inline constexpr const char* kSshdMainConfig = "/etc/ssh/sshd_config";
inline constexpr const char* kSshdDropInDir = "/etc/ssh/sshd_config.d";
// Low in the folder's order, so the baseline wins over the usual drop-ins (50-cloud-init.conf, …); a file
// sorting before it that sets the same keyword is reported, never fought.
inline constexpr const char* kSshdDropIn = "/etc/ssh/sshd_config.d/10-hainfra.conf";

// A keyword/value pair is safe to write into sshd_config: the keyword is letters and digits (and not
// `Match` or `Include`, which would change what follows or read other files); the value is one line of
// printable ASCII words separated by single spaces, without quotes, backslashes or a word starting with
// `#` (sshd would read those as quoting, escapes or a comment). Errors name the keyword.
Status CheckSshdSetting(std::string_view keyword, std::string_view value);

// The drop-in's text: a header naming the owner, then `Keyword value` lines in the order of `settings`.
std::string RenderSshdDropIn(const Value& settings, std::string_view baseline);

// A comparable spelling of a value: blanks collapsed; yes/no and sshd's enumerations lower-cased;
// `without-password` as `prohibit-password` (sshd -T prints the old name); times in seconds.
std::string NormalizeSshdValue(std::string_view keyword, std::string_view value);

// argv of the one command that reads everything: the main file, each regular file of the drop-in folder,
// and `sshd -T` with its exit status, in sections introduced by lines starting with `marker`.
std::vector<std::string> SshdSnapshotArgv(const std::string& marker);

struct SshdSnapshot {
  std::string main;                          // the main file ("" when missing)
  std::map<std::string, std::string> files;  // path -> content, every regular file of the drop-in folder
  std::string effective;                     // sshd -T output (stdout and stderr)
  bool effective_ok = false;                 // sshd -T exited 0
};

Result<SshdSnapshot> ParseSshdSnapshot(std::string_view text, std::string_view marker);

// Where a keyword is set.
struct SshdSource {
  std::string file;
  int line = 0;
  std::string value;
  int order = 0;  // position in sshd's reading order

  std::string Where() const { return file + " line " + std::to_string(line); }
};

struct SshdAnalysis {
  bool included = false;     // the main file includes the hainfra drop-in (outside any Match block)
  std::string not_included;  // why not, when not
  int drop_in_order = -1;    // where the drop-in's settings come in sshd's reading order (when included)
  bool opaque = false;       // an Include of files outside the drop-in folder comes first: order unknown
  std::map<std::string, SshdSource> first;  // lower-case keyword -> where sshd reads it first (global scope)
  std::map<std::string, std::string> effective;  // lower-case keyword -> sshd -T value (list lines joined)
  std::vector<std::pair<std::string, std::string>> drop_in;  // the hainfra drop-in's settings as written
  bool drop_in_exists = false;
};

SshdAnalysis AnalyzeSshd(const SshdSnapshot& snapshot);

// The observed `settings` for the keywords `desired` declares, plus every other keyword the hainfra drop-in
// holds (the drop-in is owned whole): a keyword the drop-in sets first has the drop-in's value; any other
// has its effective value (sshd -T), or where sshd -T failed, the first value the files set.
Value ObservedSshdSettings(const Value& desired, const SshdAnalysis& analysis);

}  // namespace hainfra::node
