package main

import (
	"fmt"
	"os"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/upgrade"
)

func main() {
	b, _ := os.ReadFile(os.Args[2])
	if os.Args[1] == "blocks" {
		fmt.Print(upgrade.BlockSyntax(string(b)))
	} else {
		fmt.Print(upgrade.AttributeSyntax(string(b)))
	}
}
