package installtest

import (
	"bytes"
	"crypto"
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
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// testCA is a certificate authority made for one test run, and the one
// server certificate it signs (localhost and 127.0.0.1). The CLIs trust it
// through SSL_CERT_FILE only, so nothing else on the machine does.
type testCA struct {
	certFile string // the CA certificate, PEM, for SSL_CERT_FILE
	server   tls.Certificate
}

func newTestCA(dir string) (*testCA, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	// Validity is only what x509 needs to hold a certificate; nothing here
	// waits on the clock.
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "cloudlock install test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		return nil, err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	srvKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	srvTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "localhost"},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	srvDER, err := x509.CreateCertificate(rand.Reader, srvTmpl, caCert, srvKey.Public(), caKey)
	if err != nil {
		return nil, err
	}
	certFile := filepath.Join(dir, "ca.pem")
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	if err := os.WriteFile(certFile, caPEM, 0o600); err != nil {
		return nil, err
	}
	return &testCA{
		certFile: certFile,
		server:   tls.Certificate{Certificate: [][]byte{srvDER}, PrivateKey: srvKey, Leaf: nil},
	}, nil
}

// signer is an OpenPGP key that signs SHA256SUMS the way `gpg
// --detach-sign` does in `make release`: a binary detached signature.
type signer struct {
	entity *openpgp.Entity
}

// newSigner makes an RSA key: the public registry takes RSA (or DSA) keys
// only, so the tests use the kind a release would.
func newSigner(name string) (*signer, error) {
	e, err := openpgp.NewEntity(name, "install test, made at test time", "install-test@cloudlock.invalid",
		&packet.Config{Algorithm: packet.PubKeyAlgoRSA, RSABits: 2048, DefaultHash: crypto.SHA256})
	if err != nil {
		return nil, err
	}
	return &signer{entity: e}, nil
}

// keyID is the long key id as the registry protocol's key_id gives it.
func (s *signer) keyID() string {
	return strings.ToUpper(fmt.Sprintf("%016X", s.entity.PrimaryKey.KeyId))
}

func (s *signer) armoredPublicKey() (string, error) {
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PublicKeyType, nil)
	if err != nil {
		return "", err
	}
	if err := s.entity.Serialize(w); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return buf.String(), nil
}

func (s *signer) sign(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	if err := openpgp.DetachSign(&buf, s.entity, bytes.NewReader(data), nil); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
