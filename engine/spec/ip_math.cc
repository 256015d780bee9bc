#include "engine/spec/ip_math.h"

#include <arpa/inet.h>

#include <string>

#include "schemas/formats.h"

namespace hainfra::spec {

std::optional<IpAddress> ParseIp(std::string_view text) {
  // Our own format checks first: inet_pton accepts forms Proxmox refuses (and needs a NUL-terminated copy).
  IpAddress out;
  const std::string copy(text);
  if (schemas::IsIpv4(text)) {
    if (inet_pton(AF_INET, copy.c_str(), out.bytes.data()) != 1) return std::nullopt;
    return out;
  }
  if (schemas::IsIpv6(text)) {
    out.v6 = true;
    if (inet_pton(AF_INET6, copy.c_str(), out.bytes.data()) != 1) return std::nullopt;
    return out;
  }
  return std::nullopt;
}

bool InNetwork(std::string_view ip, std::string_view cidr) {
  std::string_view network_text;
  int prefix = 0;
  if (!schemas::SplitCidr(cidr, network_text, prefix)) return false;
  const std::optional<IpAddress> address = ParseIp(ip);
  const std::optional<IpAddress> network = ParseIp(network_text);
  if (!address || !network || address->v6 != network->v6) return false;
  if (prefix > (address->v6 ? 128 : 32)) return false;
  for (int bit = 0; bit < prefix; ++bit) {
    const int byte = bit / 8;
    const int mask = 0x80 >> (bit % 8);
    if ((address->bytes[byte] & mask) != (network->bytes[byte] & mask)) return false;
  }
  return true;
}

std::string_view CidrAddress(std::string_view cidr) { return cidr.substr(0, cidr.find('/')); }

}  // namespace hainfra::spec
