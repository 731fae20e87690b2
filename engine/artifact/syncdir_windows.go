package artifact

// syncDir is a no-op on Windows, where directories cannot be opened for fsync and
// MoveFileEx (os.Rename) is already durable once it returns.
func syncDir(dir string) error { return nil }
