// The `firewall:` sections (schemas/firewall_fields.cc), listed in schemas/sections.cc.
#pragma once

#include "hainfra/field.h"
#include "schemas/sections.h"

namespace hainfra::schemas {

// `firewall.cluster`, `.aliases`, `.ipsets`, `.groups`, `.nodes`, `.guests`.
SectionSpec FirewallClusterSection();
SectionSpec FirewallAliasSection();
SectionSpec FirewallIpsetSection();
SectionSpec FirewallGroupSection();
SectionSpec FirewallNodeSection();
SectionSpec FirewallGuestSection();
// The ordered rule list every firewall level and security group shares.
FieldSpec FirewallRules();

}  // namespace hainfra::schemas
