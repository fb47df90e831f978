// Command terraform-provider-cloudlock serves the cloudlock Terraform provider.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/provider"
)

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	// Fewer garbage collections: the process is short-lived and small (see
	// provider.TuneGC).
	provider.TuneGC()
	if !debug {
		// Terraform drops provider log lines unless TF_LOG or TF_LOG_PROVIDER
		// is set; then do not build them (see provider.QuietLogs).
		provider.QuietLogs()
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/cloudlock/cloudlock",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
