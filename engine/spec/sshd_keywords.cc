#include "engine/spec/sshd_keywords.h"

#include <cctype>
#include <utility>
#include <vector>

namespace hainfra::spec {
namespace {

enum class SshdValue { kText, kChoice, kCount, kPort, kTime, kMaxStartups };

struct SshdKeyword {
  SshdKeyword(const char* keyword, SshdValue kind = SshdValue::kText, std::vector<const char*> values = {},
              const char* first_release = nullptr, bool ignored = false)
      : name(keyword), value(kind), choices(std::move(values)), since(first_release), deprecated(ignored) {}

  const char* name;
  SshdValue value;
  std::vector<const char*> choices;  // kChoice, compared as sshd does (without case)
  const char* since;                 // first OpenSSH release that knows it, when newer than 9.2
  bool deprecated;                   // sshd logs "Deprecated option" and ignores it
};

#define YES_NO SshdValue::kChoice, {"yes", "no"}

// sshd_config(5) of OpenSSH 9.2p1 and 10.0p1, plus Debian's GSSAPI key exchange and DebianBanner patches.
// `Match` and `Include` are absent on purpose: in a flat drop-in a Match block would swallow every line after
// it, and an Include is a file hainfra does not manage.
const std::vector<SshdKeyword>& Keywords() {
  static const std::vector<SshdKeyword> keywords = {
      {"AcceptEnv"},
      {"AddressFamily", SshdValue::kChoice, {"any", "inet", "inet6"}},
      {"AllowAgentForwarding", YES_NO},
      {"AllowGroups"},
      {"AllowStreamLocalForwarding", SshdValue::kChoice, {"yes", "all", "no", "local", "remote"}},
      {"AllowTcpForwarding", SshdValue::kChoice, {"yes", "all", "no", "local", "remote"}},
      {"AllowUsers"},
      {"AuthenticationMethods"},
      {"AuthorizedKeysCommand"},
      {"AuthorizedKeysCommandUser"},
      {"AuthorizedKeysFile"},
      {"AuthorizedPrincipalsCommand"},
      {"AuthorizedPrincipalsCommandUser"},
      {"AuthorizedPrincipalsFile"},
      {"Banner"},
      {"CASignatureAlgorithms"},
      {"ChallengeResponseAuthentication", YES_NO},
      {"ChannelTimeout"},
      {"ChrootDirectory"},
      {"Ciphers"},
      {"ClientAliveCountMax", SshdValue::kCount},
      {"ClientAliveInterval", SshdValue::kTime},
      {"Compression", SshdValue::kChoice, {"yes", "delayed", "no"}},
      {"DebianBanner", YES_NO},
      {"DenyGroups"},
      {"DenyUsers"},
      {"DisableForwarding", YES_NO},
      {"ExposeAuthInfo", YES_NO},
      {"FingerprintHash", SshdValue::kChoice, {"md5", "sha256"}},
      {"ForceCommand"},
      {"GatewayPorts", SshdValue::kChoice, {"yes", "no", "clientspecified"}},
      {"GSSAPIAuthentication", YES_NO},
      {"GSSAPICleanupCredentials", YES_NO},
      {"GSSAPIKeyExchange", YES_NO},
      {"GSSAPIKexAlgorithms"},
      {"GSSAPIStoreCredentialsOnRekey", YES_NO},
      {"GSSAPIStrictAcceptorCheck", YES_NO},
      {"HostbasedAcceptedAlgorithms"},
      {"HostbasedAcceptedKeyTypes"},
      {"HostbasedAuthentication", YES_NO},
      {"HostbasedUsesNameFromPacketOnly", YES_NO},
      {"HostCertificate"},
      {"HostKey"},
      {"HostKeyAgent"},
      {"HostKeyAlgorithms"},
      {"IgnoreRhosts", SshdValue::kChoice, {"yes", "no", "shosts-only"}},
      {"IgnoreUserKnownHosts", YES_NO},
      {"IPQoS"},
      {"KbdInteractiveAuthentication", YES_NO},
      {"KerberosAuthentication", YES_NO},
      {"KerberosGetAFSToken", YES_NO},
      {"KerberosOrLocalPasswd", YES_NO},
      {"KerberosTicketCleanup", YES_NO},
      {"KexAlgorithms"},
      {"ListenAddress"},
      {"LoginGraceTime", SshdValue::kTime},
      {"LogLevel",
       SshdValue::kChoice,
       {"quiet", "fatal", "error", "info", "verbose", "debug", "debug1", "debug2", "debug3"}},
      {"LogVerbose"},
      {"MACs"},
      {"MaxAuthTries", SshdValue::kCount},
      {"MaxSessions", SshdValue::kCount},
      {"MaxStartups", SshdValue::kMaxStartups},
      {"ModuliFile"},
      {"PasswordAuthentication", YES_NO},
      {"PermitEmptyPasswords", YES_NO},
      {"PermitListen"},
      {"PermitOpen"},
      {"PermitRootLogin",
       SshdValue::kChoice,
       {"yes", "prohibit-password", "without-password", "forced-commands-only", "no"}},
      {"PermitTTY", YES_NO},
      {"PermitTunnel", SshdValue::kChoice, {"yes", "point-to-point", "ethernet", "no"}},
      {"PermitUserEnvironment"},
      {"PermitUserRC", YES_NO},
      {"PerSourceMaxStartups"},
      {"PerSourceNetBlockSize"},
      {"PerSourcePenalties", SshdValue::kText, {}, "9.8"},
      {"PerSourcePenaltyExemptList", SshdValue::kText, {}, "9.8"},
      {"PidFile"},
      {"Port", SshdValue::kPort},
      {"PrintLastLog", YES_NO},
      {"PrintMotd", YES_NO},
      {"PubkeyAcceptedAlgorithms"},
      {"PubkeyAcceptedKeyTypes"},
      {"PubkeyAuthentication", YES_NO},
      {"PubkeyAuthOptions"},
      {"RDomain"},
      {"RefuseConnection", SshdValue::kChoice, {"yes", "no"}, "10.0"},
      {"RekeyLimit"},
      {"RequiredRSASize", SshdValue::kCount},
      {"RevokedKeys"},
      {"SecurityKeyProvider"},
      {"SetEnv"},
      {"SshdAuthPath", SshdValue::kText, {}, "10.0"},
      {"SshdSessionPath", SshdValue::kText, {}, "9.8"},
      {"StreamLocalBindMask"},
      {"StreamLocalBindUnlink", YES_NO},
      {"StrictModes", YES_NO},
      {"Subsystem"},
      {"SyslogFacility",
       SshdValue::kChoice,
       {"daemon", "user", "auth", "authpriv", "local0", "local1", "local2", "local3", "local4", "local5", "local6",
        "local7"}},
      {"TCPKeepAlive", YES_NO},
      {"TrustedUserCAKeys"},
      {"UnusedConnectionTimeout", SshdValue::kTime},
      {"UseDNS", YES_NO},
      {"UsePAM", YES_NO},
      {"VersionAddendum"},
      {"X11DisplayOffset", SshdValue::kCount},
      {"X11Forwarding", YES_NO},
      {"X11UseLocalhost", YES_NO},
      {"XAuthLocation"},
      // Options OpenSSH still parses only to say they do nothing.
      {"KeyRegenerationInterval", SshdValue::kText, {}, nullptr, true},
      {"Protocol", SshdValue::kText, {}, nullptr, true},
      {"RhostsRSAAuthentication", SshdValue::kText, {}, nullptr, true},
      {"RSAAuthentication", SshdValue::kText, {}, nullptr, true},
      {"ServerKeyBits", SshdValue::kText, {}, nullptr, true},
      {"UseLogin", SshdValue::kText, {}, nullptr, true},
      {"UsePrivilegeSeparation", SshdValue::kText, {}, nullptr, true},
  };
  return keywords;
}

#undef YES_NO

bool SameWord(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool AllDigits(std::string_view s) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

// sshd's time format: a number, or number+unit pairs (s, m, h, d, w in either case): 90, 1m30s, 2h.
bool IsSshdTime(std::string_view s) {
  if (AllDigits(s)) return true;
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) ++i;
    if (i == start || i - start > 9) return false;
    if (i == s.size()) return true;  // a trailing number counts seconds
    if (std::string_view("smhdwSMHDW").find(s[i]) == std::string_view::npos) return false;
    ++i;
  }
  return !s.empty();
}

// `10` or `start:rate:full` (10:30:100), rate a percentage.
bool IsMaxStartups(std::string_view s) {
  if (AllDigits(s)) return true;
  const size_t a = s.find(':');
  const size_t b = a == std::string_view::npos ? a : s.find(':', a + 1);
  if (b == std::string_view::npos) return false;
  const std::string_view rate = s.substr(a + 1, b - a - 1);
  return AllDigits(s.substr(0, a)) && AllDigits(rate) && rate.size() <= 3 && std::stoi(std::string(rate)) <= 100 &&
         AllDigits(s.substr(b + 1));
}

std::string ValueProblem(const SshdKeyword& k, std::string_view value) {
  switch (k.value) {
    case SshdValue::kText:
      return "";
    case SshdValue::kChoice: {
      for (const char* choice : k.choices) {
        if (SameWord(value, choice)) return "";
      }
      std::string list;
      for (const char* choice : k.choices) list += std::string(list.empty() ? "" : ", ") + choice;
      return std::string(k.name) + " takes " + list + ", not `" + std::string(value) + "`";
    }
    case SshdValue::kCount:
      return AllDigits(value) ? "" : std::string(k.name) + " takes a number, not `" + std::string(value) + "`";
    case SshdValue::kPort:
      return AllDigits(value) && std::stol(std::string(value)) >= 1 && std::stol(std::string(value)) <= 65535
                 ? ""
                 : std::string(k.name) + " takes a port 1..65535, not `" + std::string(value) + "`";
    case SshdValue::kTime:
      return IsSshdTime(value) ? ""
                               : std::string(k.name) + " takes a time (90, 30s, 2m, 1h30m), not `" +
                                     std::string(value) + "`";
    case SshdValue::kMaxStartups:
      return IsMaxStartups(value) ? ""
                                  : std::string(k.name) + " takes a number or start:rate:full (10:30:100), not `" +
                                        std::string(value) + "`";
  }
  return "";
}

}  // namespace

SshdVerdict CheckSshdSetting(std::string_view keyword, std::string_view value) {
  if (SameWord(keyword, "Match") || SameWord(keyword, "Include")) {
    return {true, std::string(keyword) + " cannot be set in hainfra's drop-in (it would change how the lines after "
                                         "it are read): put it in a file of your own"};
  }
  for (const SshdKeyword& k : Keywords()) {
    if (!SameWord(keyword, k.name)) continue;
    if (value.empty()) return {true, std::string(k.name) + " needs a value"};
    if (value.find_first_of("\n\r") != std::string_view::npos) {
      return {true, std::string(k.name) + ": a value cannot span lines"};
    }
    if (std::string problem = ValueProblem(k, value); !problem.empty()) return {true, "sshd refuses it: " + problem};
    if (k.deprecated) return {false, std::string(k.name) + " is deprecated: sshd ignores it"};
    if (k.since != nullptr) {
      return {false, std::string(k.name) + " needs OpenSSH " + k.since +
                         " (Proxmox VE 9): sshd of Proxmox VE 8 (OpenSSH 9.2) refuses it"};
    }
    return {};
  }
  return {true, "sshd does not know the keyword `" + std::string(keyword) + "` (see sshd_config(5))"};
}

}  // namespace hainfra::spec
