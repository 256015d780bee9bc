// `metric_servers:` — external metric servers the nodes send their statistics to (/cluster/metrics/server,
// status.cfg): InfluxDB (UDP, or HTTP(S) with an API token) and Graphite.
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {

SectionSpec MetricServerSection() {
  return {
      .path = "metric_servers",
      .kind = "metric_server",
      .identity = "id",
      .item = Object(
          "metric_server", "An external metric server",
          {
              String("id", "metric server id").Format("pve-configid").Required().Example("influx"),
              StateField({"present", "absent"}, "absent removes the metric server"),
              Enum("type", "server type", {"influxdb", "graphite"}).Required().ForceNew(),
              String("server", "the server's DNS name or IP address").Format("address").Required()
                  .Example("10.0.0.5"),
              Int("port", "the server's port").Min(1).Max(65536).Required().Example("8086"),
              Enum("protocol", "influxdb: udp (default), http or https; graphite: udp (default) or tcp",
                   {"udp", "tcp", "http", "https"}),
              Bool("disable", "stop sending (default false)"),
              Int("mtu", "udp: the packet size (default 1500)").Min(512).Max(65536),
              Int("timeout", "tcp, http(s): the connection timeout in seconds (default 1)").Min(0),
              String("path", "graphite: the root path of the metrics (default proxmox)")
                  .Pattern("^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$"),
              String("organization", "influxdb http(s): the organization (InfluxDB 2)"),
              String("bucket", "influxdb http(s): the bucket"),
              String("token", "influxdb http(s): the API token").Secret().Example("${env:INFLUX_TOKEN}"),
              String("api_path_prefix", "influxdb http(s): a path before /api2/ (a reverse proxy)"),
              Int("max_body_size", "influxdb http(s): the largest request in bytes (default 25000000)").Min(1),
              Bool("verify_certificate", "influxdb https: verify the server's certificate (default true)"),
          })};
}

}  // namespace hainfra::schemas
