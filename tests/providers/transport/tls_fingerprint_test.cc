#include "providers/transport/tls_fingerprint.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>

#include "tests/testing/temp_dir.h"
#include "tests/testing/test_certificates.h"

namespace hainfra::transport {
namespace {

TEST(TlsFingerprint, NormalizesCaseAndColons) {
  std::string canonical = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
  EXPECT_EQ(*NormalizeFingerprint(canonical), canonical);
  EXPECT_EQ(*NormalizeFingerprint("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"), canonical);
}

TEST(TlsFingerprint, RefusesWrongLengthsAndNonHex) {
  EXPECT_FALSE(NormalizeFingerprint(""));
  EXPECT_FALSE(NormalizeFingerprint("AB:CD"));
  EXPECT_FALSE(NormalizeFingerprint(std::string(66, 'A')));
  auto bad = NormalizeFingerprint("ZZ" + std::string(62, 'A'));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("tls_fingerprint"), std::string::npos);
}

TEST(TlsFingerprint, HashesTheWholeCertificateLikeProxmox) {
  // Proxmox shows X509 SHA-256 fingerprints (Net::SSLeay::X509_get_fingerprint): OpenSSL's X509_digest.
  testing::TempDir dir("fp");
  auto certs = testing::MakeTestCertificates(dir.path());
  FILE* file = std::fopen(certs.server_cert.c_str(), "r");
  ASSERT_NE(file, nullptr);
  X509* cert = PEM_read_X509(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  ASSERT_NE(cert, nullptr);
  unsigned char* der = nullptr;
  int length = i2d_X509(cert, &der);
  ASSERT_GT(length, 0);
  std::string ours = FingerprintOfDer(std::string_view(reinterpret_cast<const char*>(der), static_cast<size_t>(length)));
  OPENSSL_free(der);
  X509_free(cert);
  EXPECT_EQ(ours, certs.server_fingerprint);
  EXPECT_EQ(ours.size(), 95u);
}

}  // namespace
}  // namespace hainfra::transport
