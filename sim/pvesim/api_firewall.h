// The firewall API's route registration (api_firewall.cc), called from routes.cc.
#pragma once

namespace pvesim {

class RouteTable;

void AddFirewallRoutes(RouteTable& table);  // api_firewall.cc: cluster, node and guest firewall

}  // namespace pvesim
