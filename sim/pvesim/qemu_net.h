// qemu-server's network device strings: parse_net (a random MAC when none is given, as Proxmox does on
// every create and update) and print_net (print_property_string order).
#pragma once

#include <string>

#include "sim/pvesim/property_string.h"

namespace pvesim {

// Parses "virtio=MAC,bridge=vmbr0,tag=20" or "model=virtio,macaddr=MAC,..." into keys with "model" and
// "macaddr"; fills a random MAC when missing.
PropertyMap ParseNet(const std::string& value);
std::string PrintNet(const PropertyMap& net);
// add_random_macs on one value: parse and print again.
std::string NormalizeNet(const std::string& value);

}  // namespace pvesim
