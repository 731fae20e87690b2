package worker

import (
	"fmt"
	"strings"
)

// labelPrefix starts every label the engine gives an instance.
const labelPrefix = "samwise"

// Label is the Vast label "samwise-<owner>-<session>" of an instance: the owner finds
// its orphans by it, the session tells the current engine run's instances from older ones.
func Label(owner, session string) string {
	return labelPrefix + "-" + owner + "-" + session
}

// ParseLabel splits a label made by Label; ok is false for any other label (an instance
// someone else created, or the gateway's).
func ParseLabel(label string) (owner, session string, ok bool) {
	parts := strings.Split(label, "-")
	if len(parts) != 3 || parts[0] != labelPrefix || !validPart(parts[1]) || !validPart(parts[2]) {
		return "", "", false
	}
	return parts[1], parts[2], true
}

// CleanOwner turns a user or host name into a label part: lower-case letters and digits
// only (a dash would make one owner's labels a prefix of another's), at most 32 of them.
func CleanOwner(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if ('a' <= c && c <= 'z' || '0' <= c && c <= '9') && b.Len() < 32 {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func validPart(s string) bool { return s != "" && CleanOwner(s) == s }

func checkLabelParts(owner, session string) error {
	if !validPart(owner) {
		return fmt.Errorf("worker: owner %q must be 1-32 lower-case letters or digits (see CleanOwner)", owner)
	}
	if !validPart(session) {
		return fmt.Errorf("worker: session %q must be 1-32 lower-case letters or digits", session)
	}
	return nil
}

// instanceName is how a Vast instance appears in statuses and logs.
func instanceName(id int64) string { return fmt.Sprintf("vast:%d", id) }
