// Package objstore is the S3-compatible backend of artifact.Store, configured for
// Cloudflare R2: region "auto", a custom endpoint, and request/response checksums only
// "when required" — the SDK's default CRC32 trailers broke R2 (remote.md §4.2).
//
// Besides the Store methods it offers what the remote burst needs: PutFile, a resumable
// multipart upload of a local file (an interrupted upload continues from the parts already
// stored); PutContent, which uploads media once under its content address
// "media/sha256/<hex>"; and presigned GET/PUT URLs for the remote worker.
//
// Every body the SDK sends is seekable (a file section or an in-memory part), so uploads
// work over plain HTTP as well as TLS.
package objstore
