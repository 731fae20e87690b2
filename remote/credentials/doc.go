// Package credentials keeps the remote burst's long-lived secrets — the Vast API key, the R2
// credentials, the tunnel token handed to workers, the gateway token — out of settings
// files: in the OS keychain (macOS Keychain, Windows Credential Manager, the Secret Service
// on Linux desktops, through github.com/zalando/go-keyring) where one answers, otherwise in
// a 0600 JSON file in the data directory, which is refused when group or others can read it.
//
// Values come back as secret.Secret, so they print as "[redacted]" wherever they travel.
// Environment variables and flags of the same settings take precedence (engine/config);
// `engine secrets set NAME` stores one from standard input.
package credentials
