//go:build !onus_test_hooks

package main

// testHooksBuilt: a binary as released, without test hooks (testhooks.go).
const testHooksBuilt = false
