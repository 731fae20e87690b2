package burst

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/samwise-app/samwise/engine/artifact"
	"github.com/samwise-app/samwise/internal/wait"
)

// upload puts the video into the object store under its content address, retrying with
// backoff; an interrupted multipart upload resumes from the parts already stored
// (objstore.PutFile). It returns the key and the file's SHA-256.
func (s *Service) upload(ctx context.Context, path string) (key, sha string, err error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", "", fmt.Errorf("the video: %w", err)
	}
	if st.IsDir() {
		return "", "", errors.New("frames folders are not sent to the GPU worker (upload the video as one file)")
	}
	delay := s.cfg.RetryDelay
	for attempt := 1; ; attempt++ {
		key, err = s.cfg.Store.PutContent(ctx, path)
		if err == nil {
			return key, strings.TrimPrefix(key, artifact.ContentPrefix), nil
		}
		if ctx.Err() != nil {
			return "", "", ctx.Err()
		}
		if attempt >= s.cfg.UploadAttempts {
			return "", "", fmt.Errorf("uploading the video to object storage (%d attempts): %w", attempt, err)
		}
		s.log.Warn("uploading the video failed; retrying", "attempt", attempt, "retry_in", delay, "err", err)
		if err := wait.Sleep(ctx, delay); err != nil {
			return "", "", err
		}
		delay *= 2
	}
}
