#include "tests/testing/pvesim_client.h"

#include <httplib.h>

#include <thread>

namespace hainfra::testing {

namespace {

std::string PercentEncode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

ApiResult ToResult(const httplib::Result& res) {
  ApiResult r;
  if (!res) return r;
  r.status = res->status;
  r.reason = res->get_header_value("X-Pvesim-Reason");
  r.raw = res->body;
  try {
    if (!r.raw.empty()) r.body = nlohmann::json::parse(r.raw);
  } catch (const nlohmann::json::exception&) {
    r.body = nullptr;
  }
  return r;
}

}  // namespace

std::string EncodeForm(const Form& form) {
  std::string out;
  for (const auto& [k, v] : form) {
    if (!out.empty()) out += '&';
    out += PercentEncode(k) + "=" + PercentEncode(v);
  }
  return out;
}

PvesimClient::PvesimClient(const PvesimProcess& pvesim, Auth auth) : PvesimClient(pvesim, pvesim.endpoint(), auth) {}

PvesimClient::PvesimClient(const PvesimProcess& pvesim, const std::string& endpoint, Auth auth)
    : pvesim_(pvesim), auth_(auth) {
  client_ = std::make_unique<httplib::Client>(endpoint);
  client_->enable_server_certificate_verification(false);
  client_->set_connection_timeout(10);
  client_->set_read_timeout(60);
  client_->set_keep_alive(true);
}

PvesimClient::~PvesimClient() = default;

std::map<std::string, std::string> PvesimClient::AuthHeaders(const std::string& method) const {
  std::map<std::string, std::string> h;
  if (!ticket_.empty()) {
    h["Cookie"] = "PVEAuthCookie=" + ticket_;
    if (method != "GET") h["CSRFPreventionToken"] = csrf_;
  } else if (auth_ == Auth::kToken) {
    h["Authorization"] = "PVEAPIToken=" + pvesim_.token_id() + "=" + pvesim_.secret();
  }
  return h;
}

bool PvesimClient::Login() {
  ApiResult r = Raw("POST", "/access/ticket", {},
                    EncodeForm({{"username", "root@pam"}, {"password", pvesim_.password()}}),
                    "application/x-www-form-urlencoded");
  if (r.status != 200) return false;
  SetTicket(r.data().value("ticket", ""), r.data().value("CSRFPreventionToken", ""));
  return !ticket_.empty();
}

void PvesimClient::SetTicket(const std::string& ticket, const std::string& csrf) {
  ticket_ = ticket;
  csrf_ = csrf;
}

ApiResult PvesimClient::Raw(const std::string& method, const std::string& path,
                            const std::map<std::string, std::string>& headers, const std::string& body,
                            const std::string& content_type) {
  httplib::Headers h;
  for (const auto& [k, v] : headers) h.emplace(k, v);
  std::string full = "/api2/json" + path;
  if (method == "GET") return ToResult(client_->Get(full.c_str(), h));
  if (method == "DELETE") return ToResult(client_->Delete(full.c_str(), h));
  std::string ct = content_type.empty() ? "application/x-www-form-urlencoded" : content_type;
  if (method == "POST") return ToResult(client_->Post(full.c_str(), h, body, ct.c_str()));
  return ToResult(client_->Put(full.c_str(), h, body, ct.c_str()));
}

ApiResult PvesimClient::Get(const std::string& path, const Form& query) {
  std::string p = query.empty() ? path : path + "?" + EncodeForm(query);
  return Raw("GET", p, AuthHeaders("GET"));
}

ApiResult PvesimClient::Delete(const std::string& path, const Form& query) {
  std::string p = query.empty() ? path : path + "?" + EncodeForm(query);
  return Raw("DELETE", p, AuthHeaders("DELETE"));
}

ApiResult PvesimClient::Post(const std::string& path, const Form& form) {
  return Raw("POST", path, AuthHeaders("POST"), EncodeForm(form), "application/x-www-form-urlencoded");
}

ApiResult PvesimClient::Put(const std::string& path, const Form& form) {
  return Raw("PUT", path, AuthHeaders("PUT"), EncodeForm(form), "application/x-www-form-urlencoded");
}

ApiResult PvesimClient::PostJson(const std::string& path, const nlohmann::json& body) {
  return Raw("POST", path, AuthHeaders("POST"), body.dump(), "application/json");
}

ApiResult PvesimClient::PutJson(const std::string& path, const nlohmann::json& body) {
  return Raw("PUT", path, AuthHeaders("PUT"), body.dump(), "application/json");
}

std::string PvesimClient::WaitTask(const std::string& upid, std::chrono::milliseconds timeout) {
  // The task's node is the UPID's second field.
  std::string node = upid.substr(5, upid.find(':', 5) - 5);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    ApiResult r = Get("/nodes/" + node + "/tasks/" + upid + "/status");
    if (r.status == 200 && r.data().value("status", "") == "stopped") return r.data().value("exitstatus", "");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return "";
}

ApiResult PvesimClient::Control(const std::string& method, const std::string& path, const nlohmann::json& body) {
  httplib::Headers h = {{"Authorization", "Bearer " + pvesim_.control_token()}};
  std::string full = "/pvesim" + path;
  std::string b = body.is_null() ? "" : body.dump();
  if (method == "GET") return ToResult(client_->Get(full.c_str(), h));
  if (method == "DELETE") return ToResult(client_->Delete(full.c_str(), h));
  if (method == "POST") return ToResult(client_->Post(full.c_str(), h, b, "application/json"));
  return ToResult(client_->Put(full.c_str(), h, b, "application/json"));
}

}  // namespace hainfra::testing
