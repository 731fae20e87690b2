// Package artifact defines where the engine keeps its blobs — media, overlays, exports and
// job results — behind one small interface, Store, and provides the local-directory
// backend, Dir. The S3-compatible backend (Cloudflare R2 in production) lives in
// remote/objstore and satisfies the same interface; both pass the shared contract suite in
// engine/artifact/artifacttest.
//
// Keys are slash-separated paths made of the characters [A-Za-z0-9._-], such as
// "media/sha256/<hex>" or "jobs/<id>/results/00001.json". ValidKey explains what is wrong
// with a key that does not qualify.
package artifact
