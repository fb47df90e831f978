package mockcloud

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

// credentials-go calls STS over HTTPS only, so the mock also serves itself
// over TLS, on a second loopback port, with a certificate from a CA made
// once per process. Clients trust it through the CA file (SSL_CERT_FILE for
// Go programs, including the provider under test).

var mockCA struct {
	once sync.Once
	cert tls.Certificate // leaf for 127.0.0.1 and localhost
	pem  []byte          // the CA certificate
	err  error
}

func loadMockCA() error {
	mockCA.once.Do(func() {
		caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			mockCA.err = err
			return
		}
		now := time.Now()
		ca := &x509.Certificate{
			SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "cloudlock mock cloud CA"},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
			IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
		}
		caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
		if err != nil {
			mockCA.err = err
			return
		}
		ca, _ = x509.ParseCertificate(caDER)
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			mockCA.err = err
			return
		}
		leaf := &x509.Certificate{
			SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
			IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}, DNSNames: []string{"localhost"},
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		}
		leafDER, err := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
		if err != nil {
			mockCA.err = err
			return
		}
		mockCA.cert = tls.Certificate{Certificate: [][]byte{leafDER, caDER}, PrivateKey: key}
		mockCA.pem = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	})
	return mockCA.err
}

// CABundle is the mock's CA certificate followed by the system's CAs: a
// file for SSL_CERT_FILE that lets Go programs reach the mock's TLS port
// and still every real HTTPS site (terraform init reads the same variable).
func CABundle() ([]byte, error) {
	ca, err := CACertPEM()
	if err != nil {
		return nil, err
	}
	bundle := append([]byte(nil), ca...)
	for _, f := range []string{os.Getenv("SSL_CERT_FILE"), "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"} {
		if f == "" {
			continue
		}
		if b, err := os.ReadFile(f); err == nil { //nolint:gosec // system CA bundles
			return append(bundle, b...), nil
		}
	}
	return bundle, nil
}

// CACertPEM is the certificate of the CA that signs the mock's TLS
// certificate (the same for every server of this process).
func CACertPEM() ([]byte, error) {
	if err := loadMockCA(); err != nil {
		return nil, err
	}
	return mockCA.pem, nil
}

// TLSURL serves the mock over TLS too, on another loopback port, and returns
// its base URL, "https://127.0.0.1:PORT" (the STS endpoint for tests).
func (s *Server) TLSURL() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tlsURL != "" {
		return s.tlsURL, nil
	}
	if err := loadMockCA(); err != nil {
		return "", err
	}
	host := "127.0.0.1:0"
	if err := CheckLoopback(host); err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", host)
	if err != nil {
		return "", fmt.Errorf("mockcloud: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{mockCA.cert}}}
	go func() { _ = srv.ServeTLS(ln, "", "") }()
	s.tlsSrv, s.tlsURL = srv, "https://"+ln.Addr().String()
	return s.tlsURL, nil
}
