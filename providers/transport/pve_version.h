// Which Proxmox VE a cluster runs, from GET /version: kinds branch on the major version (HA groups on 8,
// HA rules on 9), so it is read once per run and handed to them.
#pragma once

#include <string>

#include "hainfra/result.h"
#include "hainfra/value.h"

namespace hainfra::transport {

class ApiClient;

struct PveVersion {
  int major = 0;
  int minor = 0;
  std::string text;  // "9.1.1", "7.2-3"
};

// Parses the `data` of GET /version ({"version": "8.4.1", "release": "8.4", …}).
Result<PveVersion> ParsePveVersion(const Value& data);

// GET /version, parsed.
Result<PveVersion> FetchPveVersion(ApiClient& client);

}  // namespace hainfra::transport
