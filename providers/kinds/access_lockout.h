// Who hainfra runs as, and the ACL grants that let it work: what the access kinds must never take away
// (docs/kinds/access.md, "Lock-out"). Read once per kind that may narrow access: GET /access/acl and
// GET /access/users?full=1 (for the groups of the token's user and the token's privilege separation).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "hainfra/result.h"
#include "providers/transport/api_client.h"

namespace hainfra::providers {

struct AccessGrant {
  std::string path;
  std::string type;  // user, group, token
  std::string ugid;
  std::string role;
  bool propagate = true;
};

struct AccessLockout {
  std::string token;   // "hainfra@pve!ci"; empty when hainfra logs in with a ticket (root@pam: all rights)
  std::string user;    // the token's user
  std::set<std::string> groups;  // the user's groups
  std::vector<AccessGrant> grants;  // every ACL entry

  // Whether a grant to `type`/`ugid` is one hainfra's own rights come from (the token, its user, or a group
  // of its user).
  bool Holds(const std::string& type, const std::string& ugid) const;
  // The roles of the grants hainfra's rights come from.
  std::set<std::string> RolesHeld() const;
  // " would lock hainfra out: ..." — the reason every refusal ends with.
  std::string Why() const;
};

// Reads what AccessLockout needs; an empty AccessLockout (nothing to protect) under ticket auth.
Result<AccessLockout> ReadAccessLockout(transport::ApiClient& api);

// The ACL entries of GET /access/acl.
Result<std::vector<AccessGrant>> ReadAccessGrants(transport::ApiClient& api);

}  // namespace hainfra::providers
