// The sshd_config keywords and values that `sshd -t` accepts, as the OpenSSH of the supported Proxmox VE
// releases knows them (9.2p1 on Debian 12 / PVE 8, 10.0p1 on Debian 13 / PVE 9, with Debian's patches), so
// that a baseline's `sshd` settings are refused by `validate` rather than by sshd on the node.
#pragma once

#include <string>
#include <string_view>

namespace hainfra::spec {

struct SshdVerdict {
  bool error = false;   // sshd refuses it (or hainfra's drop-in cannot carry it)
  std::string message;  // empty when sshd of every supported release accepts it
};

// The verdict on one `keyword value` line of hainfra's drop-in.
SshdVerdict CheckSshdSetting(std::string_view keyword, std::string_view value);

}  // namespace hainfra::spec
