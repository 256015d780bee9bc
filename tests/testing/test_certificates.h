// Certificates made at test start with the OpenSSL API: a CA and a server certificate it signed, valid for
// 127.0.0.1, ::1 and localhost, like a PVE node certificate signed by the cluster's pve-root-ca.
#pragma once

#include <string>

namespace hainfra::testing {

struct TestCertificates {
  std::string ca_cert;             // PEM file of the CA (a `ca_file` that trusts the server)
  std::string server_cert;         // PEM file of the server certificate
  std::string server_key;          // PEM file of its private key
  std::string server_fingerprint;  // SHA-256 of the server certificate's DER, "AB:CD:…" (what PVE pins)
  std::string ca_fingerprint;      // the same for the CA (a wrong pin for the server)
};

// Writes ca.pem, server.pem and server.key into `dir`. Aborts on an OpenSSL failure (a broken test machine).
TestCertificates MakeTestCertificates(const std::string& dir);

}  // namespace hainfra::testing
