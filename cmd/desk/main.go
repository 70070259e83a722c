// Command desk is a service desk that lives in a git repository.
package main

import (
	"os"

	"github.com/deskhq/desk/cmd/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
