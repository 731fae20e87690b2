//go:build !desktop && !dev && !production

// Command samwise is the desktop app. This file is what a build without the
// Wails tags gets: such a binary could not open a window (wails.Run would
// return at once), so it says how to build it properly and exits 2. The
// real entry point is main.go.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, `samwise: built without the Wails tags: use make app / build/app.sh
(or: go build -tags desktop,production,webkit2_41 -o bin/samwise . on Linux with WebKitGTK 4.1)`)
	os.Exit(2)
}
