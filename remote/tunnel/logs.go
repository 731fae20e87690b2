package tunnel

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"strings"
)

// maxLine bounds one re-logged line of cloudflared output.
const maxLine = 4 << 10

// relog copies cloudflared's output to log line by line, scrubbed, at the level cloudflared
// printed ("INF", "WRN", "ERR", "DBG" in its console format), until r ends.
func relog(r io.Reader, log *slog.Logger, s scrubber) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := s.scrub(sc.Text())
		if strings.TrimSpace(line) == "" {
			continue
		}
		if len(line) > maxLine {
			line = line[:maxLine] + "…"
		}
		log.Log(context.Background(), lineLevel(line), "cloudflared", "line", line)
	}
}

// lineLevel reads the level word of a cloudflared console line such as
// "2026-08-30T10:00:00Z INF Registered tunnel connection connIndex=0".
func lineLevel(line string) slog.Level {
	f := strings.Fields(line)
	if len(f) < 2 {
		return slog.LevelInfo
	}
	switch f[1] {
	case "DBG":
		return slog.LevelDebug
	case "WRN":
		return slog.LevelWarn
	case "ERR", "FTL":
		return slog.LevelError
	}
	return slog.LevelInfo
}
