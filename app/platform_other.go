//go:build !darwin

package app

const isMacOS = false
