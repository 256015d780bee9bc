// Where `hainfra pause` keeps its record: in the cluster itself, /etc/pve/priv/hainfra-pause.json beside
// the cluster lock (pmxcfs keeps it the same on every node, so every runner — a timer on a node, a CI job,
// a laptop — sees it), written over SSH through a temp file and a rename; or, API-only (no SSH), in a
// local state folder that only this machine's runners see.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "hainfra/result.h"
#include "hainfra/value.h"
#include "providers/transport/ssh_client.h"

namespace hainfra::safety {

inline constexpr const char* kPauseFileName = "hainfra-pause.json";

// One pause: why, by whom, since when, until when (0: until `hainfra resume`).
struct PauseRecord {
  std::string reason;
  std::string by;        // "root@ops-laptop", who paused
  int64_t since = 0;     // Unix seconds
  int64_t until = 0;     // Unix seconds; 0: no end
  std::string job_url;   // the CI job that paused, when one did

  // Paused at `now`: an expired pause counts as not paused.
  bool ActiveAt(int64_t now) const { return until == 0 || now < until; }
  Value ToJson() const;
  // kInvalidArgument naming the problem when `json` is not a pause record.
  static Result<PauseRecord> FromJson(const Value& json);
};

class PauseStore {
 public:
  virtual ~PauseStore() = default;
  // The record, if any (expired ones too: the caller decides with ActiveAt).
  virtual Result<std::optional<PauseRecord>> Read() = 0;
  virtual Status Write(const PauseRecord& record) = 0;
  // Removes the record; Ok when there was none.
  virtual Status Clear() = 0;
  // Where the record lives, for messages: "/etc/pve/priv/hainfra-pause.json on pve-01".
  virtual std::string Where() const = 0;
  // True when every runner of the cluster sees this record (pmxcfs), false for a local file.
  virtual bool ClusterWide() const = 0;
};

// In pmxcfs over SSH on `node` (a quorate node); `cfs` is pmxcfs's mount point (another folder only in tests).
std::unique_ptr<PauseStore> MakeClusterPauseStore(transport::SshClient& ssh, std::string node,
                                                  std::string cfs = "/etc/pve");

// In `state_dir`/pause.json on this machine.
std::unique_ptr<PauseStore> MakeLocalPauseStore(std::string state_dir);

}  // namespace hainfra::safety
