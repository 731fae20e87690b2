package app

import "testing"

func TestAttachmentName(t *testing.T) {
	for header, want := range map[string]string{
		`attachment; filename="My project-coco.json"`: "My project-coco.json",
		`attachment; filename="../../etc/passwd"`:     "passwd",
		`attachment; filename="/"`:                    "fallback",
		`attachment`:                                  "fallback",
		``:                                            "fallback",
		`attachment; filename*=UTF-8''na%C3%AFve.zip`: "naïve.zip",
	} {
		if got := attachmentName(header, "fallback"); got != want {
			t.Errorf("attachmentName(%q) = %q, want %q", header, got, want)
		}
	}
}
