// Command cmd writes the generated API descriptions: docs/openapi.json (and,
// with -ts, the frontend's TypeScript types).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/apigen"
	"github.com/samwise-app/samwise/engine/server"
)

func main() {
	openapi := flag.String("openapi", "", "write the OpenAPI document to this file")
	ts := flag.String("ts", "", "write the TypeScript types of the API to this file")
	flag.Parse()
	if *ts != "" {
		if err := os.WriteFile(*ts, apigen.TypeScript(api.Endpoints, apigen.TypeScriptTypes), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "apigen:", err)
			os.Exit(1)
		}
	}
	if *openapi != "" {
		doc, err := apigen.OpenAPI(server.Version, api.Endpoints)
		if err == nil {
			err = os.WriteFile(*openapi, doc, 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "apigen:", err)
			os.Exit(1)
		}
	}
}
