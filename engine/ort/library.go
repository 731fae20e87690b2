package ort

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// LibraryEnv names the environment variable that points at the ONNX Runtime
// shared library. It takes precedence over every other location.
const LibraryEnv = "SAMWISE_ORT_LIB"

// ErrLibraryNotFound is returned when no ONNX Runtime library is found.
var ErrLibraryNotFound = errors.New("ONNX Runtime library not found")

// Platform is the os-arch pair used for the repository's build output
// (build/lib/onnxruntime/<platform>/), e.g. "linux-x64".
func Platform() string {
	arch := runtime.GOARCH
	switch arch {
	case "amd64":
		arch = "x64"
	}
	return runtime.GOOS + "-" + arch
}

// Candidates lists, in search order, where the library is looked for:
//
//  1. explicit, if not empty (the --ort-lib flag), then $SAMWISE_ORT_LIB;
//  2. beside the running binary: <exe dir>/, <exe dir>/lib/, <exe dir>/../lib/,
//     <exe dir>/../Frameworks/ (macOS app bundles);
//  3. the repository's build output, build/lib/onnxruntime/<platform>/, found by
//     walking up from the binary's directory and from the working directory;
//  4. the system loader's own search (LD_LIBRARY_PATH, ldconfig, DYLD paths),
//     by bare file name.
func Candidates(explicit string) []string {
	var out []string
	if explicit != "" {
		out = append(out, explicit)
	}
	if env := os.Getenv(LibraryEnv); env != "" {
		out = append(out, env)
	}
	var starts []string
	if exe, err := os.Executable(); err == nil {
		if r, err := filepath.EvalSymlinks(exe); err == nil {
			exe = r
		}
		dir := filepath.Dir(exe)
		out = append(out,
			filepath.Join(dir, libraryName),
			filepath.Join(dir, "lib", libraryName),
			filepath.Join(dir, "..", "lib", libraryName),
			filepath.Join(dir, "..", "Frameworks", libraryName))
		starts = append(starts, dir)
	}
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	rel := filepath.Join("build", "lib", "onnxruntime", Platform(), libraryName)
	for _, s := range starts {
		for dir, i := s, 0; i < 8; i++ {
			out = append(out, filepath.Join(dir, rel))
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return dedupe(out)
}

// FindLibrary resolves the library path. A path given explicitly or by
// $SAMWISE_ORT_LIB must exist; otherwise the first existing search location
// wins, and when none exists the bare file name is returned for the system
// loader (source "system").
func FindLibrary(explicit string) (path string, source string, err error) {
	for _, pin := range []struct{ path, by string }{{explicit, "--ort-lib"}, {os.Getenv(LibraryEnv), LibraryEnv}} {
		if pin.path == "" {
			continue
		}
		if isFile(pin.path) {
			abs, _ := filepath.Abs(pin.path)
			return abs, pin.by, nil
		}
		return "", "", fmt.Errorf("%w: %s (set by %s) does not exist; run build/fetch-onnxruntime.sh or point it at libonnxruntime",
			ErrLibraryNotFound, pin.path, pin.by)
	}
	for _, c := range Candidates("") {
		if isFile(c) {
			abs, _ := filepath.Abs(c)
			return abs, "search", nil
		}
	}
	return libraryName, "system", nil
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// NotFoundHint explains how to install the library, listing where it was looked for.
func NotFoundHint(explicit string) string {
	return fmt.Sprintf("looked in:\n  %s\nrun build/fetch-onnxruntime.sh (fetches ONNX Runtime from the onnxruntime-node npm package) or set %s to the library's path",
		strings.Join(Candidates(explicit), "\n  "), LibraryEnv)
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0]
	for _, s := range in {
		c := filepath.Clean(s)
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}
