// The handler modules' route registration functions, called in one list by routes.cc.
#pragma once

namespace pvesim {

class RouteTable;

void AddAccessRoutes(RouteTable& table);          // api_access.cc: /access/ticket, /access/domains
void AddVersionAndNodeRoutes(RouteTable& table);  // api_nodes.cc: /version, /nodes, /nodes/{node}/status ...
void AddClusterStatusRoutes(RouteTable& table);   // api_cluster.cc: /cluster/status, /resources, /nextid
void AddTaskRoutes(RouteTable& table);            // api_tasks.cc: /nodes/{node}/tasks...

}  // namespace pvesim
