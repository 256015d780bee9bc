// ConfigCache: the parsed form of every guest config the lists read (GET /cluster/resources, the node and
// pool usage), kept per path beside the text it was parsed from. A lookup compares the file's current text
// with the cached one and parses again only when they differ, so any write (the API's, a rename to another
// node, a lab node writing its shared /etc/pve directly) invalidates its entry, and a list of N guests
// costs N reads and compares plus one parse per changed file instead of N parses (a regex pass and a
// SHA-1 each). Answers are the same as parsing every time: the parse is a pure function of the text.
// Implemented in ct_guest.cc, beside both parsers.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace pvesim {

struct GuestConfig;  // guest_config.h
struct CtConfig;     // ct_guest.h (which includes simulator.h, which holds a ConfigCache)

class ConfigCache {
 public:
  // The parse of `raw`, the current text of the file at `path` (a qemu-server or lxc config).
  std::shared_ptr<const GuestConfig> Guest(const std::string& path, const std::string& raw);
  std::shared_ptr<const CtConfig> Ct(const std::string& path, const std::string& raw);
  size_t Size() const;

 private:
  template <typename T>
  struct Entry {
    std::string raw;
    std::shared_ptr<const T> parsed;
  };
  template <typename T, typename Parse>
  static std::shared_ptr<const T> Lookup(std::mutex& mu, std::unordered_map<std::string, Entry<T>>& entries,
                                         const std::string& path, const std::string& raw, Parse parse);
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry<GuestConfig>> guests_;
  std::unordered_map<std::string, Entry<CtConfig>> cts_;
};

}  // namespace pvesim
