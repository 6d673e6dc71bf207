//go:build onus_test_hooks

package main

// testHooksBuilt: this binary was built for tests (testhooks.go).
const testHooksBuilt = true
